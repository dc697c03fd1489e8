import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import {
  createPairingSnapshot,
  isEditableState,
  PAIRING_EVENT_TYPES,
  PAIRING_WORKFLOW_VERSION,
  PairingEventType,
  persistSnapshot,
} from '../../workflows';
import { AuditEvent } from '../audit/audit-event.entity';
import { AuditService, pairingChain, toAuditView } from '../audit/audit.service';
import { Clock, dateIn } from '../common/clock';
import { CourtDirectory } from '../identity/court-directory';
import { CourtScope } from '../identity/court-scope';
import { courtChain } from '../identity/court.entity';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationFailedError } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { hasRole, RequestUser } from '../identity/current-user.decorator';
import { User } from '../identity/user.entity';
import { Branch } from '../organisation/branch.entity';
import { Partner } from '../organisation/partner.entity';
import type { PairingAggregate } from '../workflow-engine/aggregate-cache';
import { eventOptions, NO_OPTIONS } from '../workflow-engine/event-options';
import { partnerActs, proposalFactsOf } from '../workflow-engine/events';
import { canSeePairing, capacitiesOf, listVisibility, readsAsPartner } from '../workflow-engine/pairing-access';
import { Pairing } from '../workflow-engine/pairing.entity';
import { PairingsRepository } from '../workflow-engine/pairings.repository';
import { EventSender, Fields, isEventType, WorkflowEngine } from '../workflow-engine/workflow-engine.service';
import { IdempotencyService } from './idempotency.service';
import { complianceMatrix, historyView, pairingView, recordsView } from './pairing-view';
import { CreatePairingDto, ListPairingsQuery, UpdatePairingDto } from './pairings.dto';

type EditableFields = Pick<
  Pairing,
  'title' | 'theme' | 'problem' | 'goals' | 'partnerIds' | 'coBranchIds' | 'categories' | 'liaisonUserId' | 'partnerLiaisons'
>;

/** What a PATCH may change, by the API's names. */
const EDITABLE_FIELDS: readonly (keyof EditableFields)[] = [
  'title',
  'theme',
  'problem',
  'goals',
  'partnerIds',
  'coBranchIds',
  'categories',
  'liaisonUserId',
  'partnerLiaisons',
];

export interface SendOptions {
  ifMatch?: string;
  idempotencyKey?: string;
  /** The courts the user reads (a supervisor's reach past their own): a pairing there is refused 403, not 404. */
  reach?: CourtScope;
}

export interface EventResponse {
  status: number;
  body: PairingDetail;
}

export type PairingDetail = Awaited<ReturnType<PairingsService['detail']>>;

/**
 * The pairings as their users meet them: each request's transaction around the engine, the
 * Idempotency-Key, and the views (what a user sees of a pairing, with what they may do now).
 */
@Injectable()
export class PairingsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly pairings: PairingsRepository,
    private readonly engine: WorkflowEngine,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly courts: CourtDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * POST /api/pairings/:id/events: the Idempotency-Key, one transaction around the engine's transition, and
   * the updated pairing as this user sees it, built once after commit (with a key, inside the transaction,
   * so the stored response is the one replayed). A refusal with 403 is recorded in the system chain.
   */
  async send(pairingId: number, user: RequestUser, body: unknown, options: SendOptions = {}): Promise<EventResponse> {
    const fields = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Fields & { type?: unknown };
    const { type, ...rest } = fields;
    if (!isEventType(type)) {
      throw new ValidationFailedError(
        [{ field: 'type', messages: [`type must be one of ${PAIRING_EVENT_TYPES.join(', ')}`] }],
        'Unknown event type.',
      );
    }
    const key = options.idempotencyKey?.trim();
    if (key !== undefined && (key.length === 0 || key.length > 128)) {
      throw new ValidationFailedError([{ field: 'Idempotency-Key', messages: ['Idempotency-Key must be 1 to 128 characters'] }]);
    }
    if (key) {
      const replay = await this.idempotency.claim(
        user.id,
        key,
        this.idempotency.requestHash({ pairingId, body: fields }),
        this.clock.now(),
      );
      if (replay) return replay as EventResponse;
    }
    try {
      const { aggregate, response } = await this.db.transaction(async (m) => {
        const aggregate = await this.engine.apply(m, pairingId, { kind: 'user', user, reach: options.reach }, type, rest, options.ifMatch);
        if (!key) return { aggregate, response: null };
        const response = { status: 200, body: await this.detail(m, user, aggregate) };
        await this.idempotency.complete(m, user.id, key, response);
        return { aggregate, response };
      });
      this.engine.remember(aggregate);
      return response ?? { status: 200, body: await this.db.read((m) => this.detail(m, user, aggregate)) };
    } catch (error) {
      if (key) await this.idempotency.release(user.id, key);
      if (error instanceof ForbiddenError) await this.recordForbidden(user, pairingId, type, error);
      throw error;
    }
  }

  /** Events raised by jobs (QUARTER_OVERDUE), through the same checks and persistence as a user's. */
  async sendAsSystem(pairingId: number, type: PairingEventType, payload: Fields): Promise<PairingAggregate> {
    const sender: EventSender = { kind: 'system' };
    const aggregate = await this.db.transaction((m) => this.engine.apply(m, pairingId, sender, type, payload, undefined));
    this.engine.remember(aggregate);
    return aggregate;
  }

  /** The single-pairing view for a user (or the system), with what they may do now. */
  async detail(m: EntityManager, user: RequestUser | null, aggregate: PairingAggregate) {
    const { pairing, snapshot, records } = aggregate;
    const meta = this.engine.meta(user ? String(user.id) : null);
    const options = user ? await this.engine.options(m, user, pairing, snapshot, meta, records) : NO_OPTIONS;
    return {
      ...pairingView(pairing, options),
      overdueQuarters: snapshot.context.overdueQuarters,
      ...recordsView(records, user && readsAsPartner(user)),
      compliance: complianceMatrix(aggregate, meta.today),
    };
  }

  private async recordForbidden(user: RequestUser, pairingId: number, type: PairingEventType, error: ForbiddenError): Promise<void> {
    await this.db.transaction(async (m) =>
      this.audit.append(m, {
        chain: courtChain(await this.courts.code(m, user.courtId)),
        actorId: user.id,
        type: 'EVENT_FORBIDDEN',
        payload: { pairingId, event: type, code: error.code, reason: error.message },
      }),
    );
  }

  async create(user: RequestUser, dto: CreatePairingDto) {
    const directed = hasRole(user, 'committee') && (dto.leadBranchId !== undefined || !hasRole(user, 'secretary'));
    if (!directed && dto.leadBranchId !== undefined && dto.leadBranchId !== user.branchId) {
      throw new ForbiddenError('A branch secretary creates pairings for their own branch only.');
    }
    const leadBranchId = directed ? dto.leadBranchId : user.branchId;
    if (leadBranchId === undefined || leadBranchId === null) {
      throw new ValidationFailedError([
        { field: 'leadBranchId', messages: ['leadBranchId is required for a directed pairing (指导性安排)'] },
      ]);
    }
    const now = this.clock.now();
    const thisYear = Number(dateIn(this.config.timezone, now).slice(0, 4));
    if (dto.year < thisYear - 5 || dto.year > thisYear + 1) {
      throw new ValidationFailedError([{ field: 'year', messages: [`year must lie between ${thisYear - 5} and ${thisYear + 1}`] }]);
    }
    const aggregate = await this.db.transaction(async (m) => {
      const fields: EditableFields = {
        title: dto.title,
        theme: dto.theme ?? '',
        problem: dto.problem ?? '',
        goals: dto.goals ?? null,
        partnerIds: dto.partnerIds ?? [],
        coBranchIds: dto.coBranchIds ?? [],
        categories: dto.categories ?? [],
        liaisonUserId: dto.liaisonUserId ?? null,
        partnerLiaisons: dto.partnerLiaisons ?? [],
      };
      const scope = CourtScope.own(user);
      await this.checkReferences(m, scope, leadBranchId, fields, null);
      const mode = directed ? 'directed' : 'voluntary';
      const snapshot = createPairingSnapshot({ year: dto.year, mode });
      const at = now.toISOString();
      const row: Omit<Pairing, 'id'> = {
        ...fields,
        courtId: user.courtId,
        code: await this.pairings.nextCode(m, { id: user.courtId, code: await this.courts.code(m, user.courtId) }, dto.year),
        year: dto.year,
        mode,
        leadBranchId,
        state: 'draft',
        quarter: null,
        quarterScores: [],
        reviewScore: null,
        finalScore: null,
        snapshot: JSON.stringify(persistSnapshot(snapshot)),
        workflowVersion: PAIRING_WORKFLOW_VERSION,
        version: 0,
        chainHash: '',
        taskKind: null,
        taskWaitsOn: null,
        taskSince: null,
        taskDueAt: null,
        taskRemindedAt: null,
        taskOverdueNotifiedAt: null,
        createdBy: user.id,
        createdAt: at,
        updatedAt: at,
      };
      return this.engine.create(m, row, snapshot, user.id);
    });
    this.engine.remember(aggregate);
    return this.db.read((m) => this.detail(m, user, aggregate));
  }

  async update(user: RequestUser, id: number, dto: UpdatePairingDto, ifMatch: string | undefined) {
    const aggregate = await this.db.transaction(async (m) => {
      const pairing = await this.pairings.findForUpdate(m, id);
      if (!pairing || !(await canSeePairing(m, this.pairings, user, pairing))) throw new NotFoundError('The pairing');
      if (!capacitiesOf(user, pairing).has('leadSecretary'))
        throw new ForbiddenError('Only a secretary of the lead branch may edit the proposal.');
      const expected = ifMatch?.trim().replace(/^W\//, '').replace(/"/g, '');
      // "*" (or an empty header) asks for no version check, as on POST …/events.
      if (expected && expected !== '*' && expected !== String(pairing.version)) {
        throw new DomainError(412, 'VERSION_CONFLICT', 'Someone else changed this pairing since you loaded it; reload it and try again.', {
          version: pairing.version,
        });
      }
      if (!isEditableState(pairing.state)) {
        throw new ConflictError(
          'INVALID_TRANSITION',
          `The proposal can be edited only while it is a draft or returned, not ${pairing.state}.`,
          { state: pairing.state, availableEvents: [] },
        );
      }
      const changes: Partial<EditableFields> = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      if (Object.keys(changes).length === 0) {
        throw new ValidationFailedError(
          [{ field: 'body', messages: [`the request gives no field to change; give one or more of ${EDITABLE_FIELDS.join(', ')}`] }],
          'Nothing to change: the request gives no field of the proposal.',
        );
      }
      await this.checkReferences(m, CourtScope.own(user), pairing.leadBranchId, { ...pairing, ...changes }, pairing);
      const { records } = await this.engine.aggregate(m, pairing);
      return this.engine.edit(m, pairing, changes, user.id, records);
    });
    this.engine.remember(aggregate);
    return this.db.read((m) => this.detail(m, user, aggregate));
  }

  async list(user: RequestUser, query: ListPairingsQuery, scope: CourtScope = CourtScope.own(user)) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    return this.db.read(async (m) => {
      const [rows, total] = await this.pairings.list(m, scope, {
        state: query.state,
        year: query.year,
        branchId: query.branchId,
        q: query.q,
        ...listVisibility(user),
        page,
        pageSize,
      });
      const meta = this.engine.meta(String(user.id));
      const liaisons = await this.pairings.activeBranchOf(
        m,
        rows.map((p) => p.liaisonUserId),
      );
      const items = [];
      for (const pairing of rows) {
        const snapshot = this.engine.snapshotOf(pairing);
        const liaisonActive = pairing.liaisonUserId !== null && liaisons.get(pairing.liaisonUserId) === pairing.leadBranchId;
        // A partner's user is offered what their organisation has not done yet (countersigned, evaluated), as on the pairing's page.
        const partner = capacitiesOf(user, pairing).has('partner')
          ? partnerActs((await this.engine.aggregate(m, pairing)).records, user.partnerId)
          : undefined;
        items.push(
          pairingView(pairing, eventOptions(user, pairing, snapshot, { meta, proposal: proposalFactsOf(pairing, liaisonActive), partner })),
        );
      }
      return { items, total, page, pageSize };
    });
  }

  async get(user: RequestUser, id: number, reach: CourtScope = CourtScope.own(user)) {
    return this.db.read(async (m) => {
      const pairing = await this.visible(m, user, id, reach);
      return this.detail(m, user, await this.engine.aggregate(m, pairing));
    });
  }

  /** GET …/history: the pairing's audit events this user reads, oldest first, exactly as hashed (historyView). */
  async history(user: RequestUser, id: number, reach: CourtScope = CourtScope.own(user)) {
    return historyView(await this.chain(user, id, reach), readsAsPartner(user));
  }

  /** The pairing's whole chain, to whoever may see the pairing: for what is derived from it (its revisions). */
  async chain(user: RequestUser, id: number, reach: CourtScope = CourtScope.own(user)) {
    return this.db.read(async (m) => {
      await this.visible(m, user, id, reach);
      return this.chainOf(m, id);
    });
  }

  /** Display names of the people in the history this user reads, so a timeline can name them. */
  async people(user: RequestUser, id: number, reach: CourtScope = CourtScope.own(user)) {
    const partnerId = readsAsPartner(user);
    return this.db.read(async (m) => {
      await this.visible(m, user, id, reach);
      // A partner's user is not told who acted only in events it is not shown.
      const actorIds: (string | null)[] =
        partnerId === null ? await this.actorsOf(m, id) : historyView(await this.chainOf(m, id), partnerId).map((e) => e.actorId);
      const ids = [...new Set(actorIds.map(Number))].filter((n) => Number.isInteger(n) && n > 0);
      const users = ids.length ? await m.find(User, { where: { id: In(ids) } }) : [];
      return users.map((u) => ({ id: u.id, displayName: u.displayName }));
    });
  }

  private async chainOf(m: EntityManager, id: number) {
    const rows = await m.find(AuditEvent, { where: { chain: pairingChain(id) }, order: { seq: 'ASC' } });
    return rows.map(toAuditView);
  }

  private async actorsOf(m: EntityManager, id: number): Promise<(string | null)[]> {
    const rows: { actorId: string | null }[] = await m
      .createQueryBuilder(AuditEvent, 'e')
      .select('DISTINCT e.actor_id', 'actorId')
      .where('e.chain = :chain', { chain: pairingChain(id) })
      .getRawMany();
    return rows.map((r) => r.actorId);
  }

  /** The pairing if the user may read it: in their own court, or (a supervisor) in a court below theirs. */
  private async visible(m: EntityManager, user: RequestUser, id: number, reach: CourtScope): Promise<Pairing> {
    const pairing = await this.pairings.findById(m, reach, id);
    if (!pairing || !(await canSeePairing(m, this.pairings, user, pairing, reach))) throw new NotFoundError('The pairing');
    return pairing;
  }

  /**
   * Partners, co-branches and liaisons must exist and fit the lead branch; refused as field errors. What is newly
   * chosen (not already on the pairing) must also be active: a deactivated branch or partner stays on the
   * pairings that have it.
   */
  private async checkReferences(
    m: EntityManager,
    scope: CourtScope,
    leadBranchId: number,
    fields: EditableFields,
    before: EditableFields | null,
  ): Promise<void> {
    const problems: { field: string; messages: string[] }[] = [];
    const lead = await m.findOne(Branch, { where: { id: leadBranchId, ...scope.where() } });
    if (!lead) problems.push({ field: 'leadBranchId', messages: [`branch ${leadBranchId} does not exist`] });
    else if (!before && !lead.active) problems.push({ field: 'leadBranchId', messages: [`branch ${leadBranchId} is deactivated`] });
    const added = (ids: number[], had: number[] | undefined) => ids.filter((id) => !(had ?? []).includes(id));
    if (fields.partnerIds.length) {
      const found = await m.find(Partner, { where: { id: In(fields.partnerIds), ...scope.where() } });
      if (found.length !== new Set(fields.partnerIds).size) problems.push({ field: 'partnerIds', messages: ['every partner must exist'] });
      const inactive = found.filter((p) => !p.active && added(fields.partnerIds, before?.partnerIds).includes(p.id));
      if (inactive.length) problems.push({ field: 'partnerIds', messages: inactive.map((p) => `partner ${p.id} is deactivated`) });
    }
    if (fields.coBranchIds.includes(leadBranchId))
      problems.push({ field: 'coBranchIds', messages: ['the lead branch cannot also be a co-branch'] });
    else if (fields.coBranchIds.length) {
      const found = await m.find(Branch, { where: { id: In(fields.coBranchIds), ...scope.where() } });
      if (found.length !== new Set(fields.coBranchIds).size)
        problems.push({ field: 'coBranchIds', messages: ['every co-branch must exist'] });
      const inactive = found.filter((b) => !b.active && added(fields.coBranchIds, before?.coBranchIds).includes(b.id));
      if (inactive.length) problems.push({ field: 'coBranchIds', messages: inactive.map((b) => `branch ${b.id} is deactivated`) });
    }
    // As with partners and branches, only a liaison newly named must be active: one who was deactivated since
    // stays on the draft (its SUBMIT then waits for a new liaison, PROPOSAL_INCOMPLETE) and does not block edits.
    if (fields.liaisonUserId !== null && fields.liaisonUserId !== before?.liaisonUserId) {
      const liaison = await m.findOne(User, { where: { id: fields.liaisonUserId, active: true, ...scope.where() } });
      if (!liaison || liaison.branchId !== leadBranchId)
        problems.push({ field: 'liaisonUserId', messages: ['the liaison must be an active user of the lead branch'] });
    }
    if (fields.partnerLiaisons.some((l) => !fields.partnerIds.includes(Number(l.partnerId)))) {
      problems.push({ field: 'partnerLiaisons', messages: ['each partner liaison must belong to one of the pairing’s partners'] });
    }
    if (problems.length) throw new ValidationFailedError(problems);
  }
}
