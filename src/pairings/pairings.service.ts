import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import {
  createPairingSnapshot,
  PairingEventType,
  PairingSnapshot,
  persistSnapshot,
  PAIRING_EVENT_TYPES,
  PAIRING_WORKFLOW_VERSION,
  restorePairingSnapshot,
} from '../../workflows';
import { AuditEvent } from '../audit/audit-event.entity';
import { AuditService, pairingChain, SYSTEM_CHAIN, toAuditView } from '../audit/audit.service';
import { hasRole, RequestUser } from '../identity/current-user.decorator';
import { Clock, dateIn } from '../common/clock';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationFailedError } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { Branch } from '../organisation/branch.entity';
import { Partner } from '../organisation/partner.entity';
import { User } from '../identity/user.entity';
import { EventSender, Fields, isEventType, WorkflowEngine } from '../workflow-engine/workflow-engine.service';
import { canSeePairing, capacitiesOf, seesAllPairings } from '../workflow-engine/pairing-access';
import { eventOptions, proposalFacts } from '../workflow-engine/event-options';
import { IdempotencyService } from './idempotency.service';
import { complianceMatrix, pairingView, recordsView } from './pairing-view';
import { Pairing } from '../workflow-engine/pairing.entity';
import { CreatePairingDto, ListPairingsQuery, UpdatePairingDto } from './pairings.dto';
import { PairingsRepository } from '../workflow-engine/pairings.repository';

const EDITABLE_STATES = ['draft', 'returned'];

export interface SendOptions {
  ifMatch?: string;
  idempotencyKey?: string;
}

export interface EventResponse {
  status: number;
  body: PairingDetail;
}

export type PairingDetail = Awaited<ReturnType<PairingsService['detail']>>;
type EditableFields = Pick<
  Pairing,
  'title' | 'theme' | 'problem' | 'goals' | 'partnerIds' | 'coBranchIds' | 'categories' | 'liaisonUserId' | 'partnerLiaisons'
>;

@Injectable()
export class PairingsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly pairings: PairingsRepository,
    private readonly engine: WorkflowEngine,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * POST /api/pairings/:id/events: the Idempotency-Key, one transaction around the engine's transition,
   * and the updated pairing as this user sees it. A refusal with 403 is recorded in the system chain.
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
      return await this.db.transaction(async (m) => {
        const response = await this.transition(m, pairingId, { kind: 'user', user }, type, rest, options.ifMatch);
        if (key) await this.idempotency.complete(m, user.id, key, response);
        return response;
      });
    } catch (error) {
      if (key) await this.idempotency.release(user.id, key);
      if (error instanceof ForbiddenError) await this.recordForbidden(user, pairingId, type, error);
      throw error;
    }
  }

  /** Events raised by jobs (QUARTER_OVERDUE), through the same checks and persistence as a user's. */
  sendAsSystem(pairingId: number, type: PairingEventType, payload: Fields): Promise<EventResponse> {
    return this.db.transaction((m) => this.transition(m, pairingId, { kind: 'system' }, type, payload, undefined));
  }

  private async transition(
    m: EntityManager,
    pairingId: number,
    sender: EventSender,
    type: PairingEventType,
    fields: Fields,
    ifMatch: string | undefined,
  ): Promise<EventResponse> {
    const { pairing, snapshot } = await this.engine.apply(m, pairingId, sender, type, fields, ifMatch);
    return { status: 200, body: await this.detail(m, sender.kind === 'user' ? sender.user : null, pairing, snapshot) };
  }

  /** The single-pairing view for a user (or the system), with what they may do now. */
  async detail(m: EntityManager, user: RequestUser | null, pairing: Pairing, restored?: PairingSnapshot) {
    const now = this.clock.now();
    const meta = { actorId: user ? String(user.id) : null, now: now.toISOString(), today: dateIn(this.config.timezone, now) };
    const snapshot = restored ?? restorePairingSnapshot(JSON.parse(pairing.snapshot), pairing.workflowVersion);
    const records = await this.pairings.records(m, pairing.id);
    const options = user ? await this.engine.options(m, user, pairing, snapshot, meta) : { availableEvents: [], blockedEvents: [] };
    return {
      ...pairingView(pairing, options),
      overdueQuarters: snapshot.context.overdueQuarters,
      ...recordsView(records),
      compliance: complianceMatrix(pairing, snapshot, records, meta.today),
    };
  }

  private async recordForbidden(user: RequestUser, pairingId: number, type: PairingEventType, error: ForbiddenError): Promise<void> {
    await this.db.transaction((m) =>
      this.audit.append(m, {
        chain: SYSTEM_CHAIN,
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
    return this.db.transaction(async (m) => {
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
      await this.checkReferences(m, leadBranchId, fields);
      const mode = directed ? 'directed' : 'voluntary';
      const snapshot = createPairingSnapshot({ year: dto.year, mode });
      const at = now.toISOString();
      const pairing = m.create(Pairing, {
        ...fields,
        code: await this.pairings.nextCode(m, dto.year),
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
        createdBy: user.id,
        createdAt: at,
        updatedAt: at,
      });
      await m.insert(Pairing, pairing);
      await this.pairings.replaceBranches(m, pairing);
      const { snapshot: _s, version: _v, ...created } = pairing;
      await this.engine.recordChange(
        m,
        pairing,
        snapshot,
        { type: 'CREATE', actorId: user.id, fromState: null, toState: 'draft', payload: created, comment: null },
        at,
      );
      return this.detail(m, user, pairing);
    });
  }

  async update(user: RequestUser, id: number, dto: UpdatePairingDto, ifMatch: string | undefined) {
    return this.db.transaction(async (m) => {
      const pairing = await this.pairings.findForUpdate(m, id);
      if (!pairing || !canSeePairing(user, pairing)) throw new NotFoundError('The pairing');
      if (!capacitiesOf(user, pairing).has('leadSecretary'))
        throw new ForbiddenError('Only a secretary of the lead branch may edit the proposal.');
      const expected = ifMatch?.trim().replace(/^W\//, '').replace(/"/g, '');
      // "*" (or an empty header) asks for no version check, as on POST …/events.
      if (expected && expected !== '*' && expected !== String(pairing.version)) {
        throw new DomainError(412, 'VERSION_CONFLICT', 'Someone else changed this pairing since you loaded it; reload it and try again.', {
          version: pairing.version,
        });
      }
      if (!EDITABLE_STATES.includes(pairing.state)) {
        throw new ConflictError(
          'INVALID_TRANSITION',
          `The proposal can be edited only while it is a draft or returned, not ${pairing.state}.`,
          { state: pairing.state, availableEvents: [] },
        );
      }
      const changes: Partial<EditableFields> = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      const next = { ...pairing, ...changes };
      await this.checkReferences(m, pairing.leadBranchId, next);
      const diff = Object.fromEntries(
        Object.entries(changes)
          .filter(([key, value]) => JSON.stringify(pairing[key as keyof Pairing]) !== JSON.stringify(value))
          .map(([key, value]) => [key, { from: pairing[key as keyof Pairing], to: value }]),
      );
      Object.assign(pairing, changes);
      if ('coBranchIds' in changes) await this.pairings.replaceBranches(m, pairing);
      const snapshot = restorePairingSnapshot(JSON.parse(pairing.snapshot), pairing.workflowVersion);
      const at = this.clock.now().toISOString();
      await this.engine.recordChange(
        m,
        pairing,
        snapshot,
        { type: 'EDIT', actorId: user.id, fromState: pairing.state, toState: pairing.state, payload: { changes: diff }, comment: null },
        at,
      );
      return this.detail(m, user, pairing);
    });
  }

  async list(user: RequestUser, query: ListPairingsQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    return this.db.read(async (m) => {
      const [rows, total] = await this.pairings.list(m, {
        state: query.state,
        year: query.year,
        branchId: query.branchId,
        q: query.q,
        visibleToBranchId: seesAllPairings(user) ? undefined : user.branchId,
        page,
        pageSize,
      });
      const now = this.clock.now();
      const meta = { actorId: String(user.id), now: now.toISOString(), today: dateIn(this.config.timezone, now) };
      const liaisons = await this.pairings.activeUsers(
        m,
        rows.map((p) => p.liaisonUserId),
      );
      const items = rows.map((pairing) => {
        const snapshot = restorePairingSnapshot(JSON.parse(pairing.snapshot), pairing.workflowVersion);
        return pairingView(pairing, this.engineOptions(user, pairing, snapshot, meta, liaisons));
      });
      return { items, total, page, pageSize };
    });
  }

  async get(user: RequestUser, id: number) {
    return this.db.read(async (m) => {
      const pairing = await this.visible(m, user, id);
      return this.detail(m, user, pairing);
    });
  }

  async history(user: RequestUser, id: number) {
    return this.db.read(async (m) => {
      await this.visible(m, user, id);
      const rows = await m.find(AuditEvent, { where: { chain: pairingChain(id) }, order: { seq: 'ASC' } });
      return rows.map(toAuditView);
    });
  }

  /** Display names of the people in a pairing's history, so a timeline can name them. */
  async people(user: RequestUser, id: number) {
    return this.db.read(async (m) => {
      await this.visible(m, user, id);
      const actorIds: { actorId: string | null }[] = await m
        .createQueryBuilder(AuditEvent, 'e')
        .select('DISTINCT e.actor_id', 'actorId')
        .where('e.chain = :chain', { chain: pairingChain(id) })
        .getRawMany();
      const ids = actorIds.map((r) => Number(r.actorId)).filter((n) => Number.isInteger(n) && n > 0);
      const users = ids.length ? await m.find(User, { where: { id: In(ids) } }) : [];
      return users.map((u) => ({ id: u.id, displayName: u.displayName }));
    });
  }

  private engineOptions(
    user: RequestUser,
    pairing: Pairing,
    snapshot: ReturnType<typeof restorePairingSnapshot>,
    meta: { actorId: string; now: string; today: string },
    liaisons: Map<number, User>,
  ) {
    return eventOptions(user, pairing, snapshot, { meta, proposal: proposalFacts(pairing, this.engine.liaisonActive(pairing, liaisons)) });
  }

  private async visible(m: EntityManager, user: RequestUser, id: number): Promise<Pairing> {
    const pairing = await this.pairings.findById(m, id);
    if (!pairing || !canSeePairing(user, pairing)) throw new NotFoundError('The pairing');
    return pairing;
  }

  /** Partners, co-branches and liaisons must exist and fit the lead branch; refused as field errors. */
  private async checkReferences(m: EntityManager, leadBranchId: number, fields: EditableFields): Promise<void> {
    const problems: { field: string; messages: string[] }[] = [];
    if (!(await m.exists(Branch, { where: { id: leadBranchId } })))
      problems.push({ field: 'leadBranchId', messages: [`branch ${leadBranchId} does not exist`] });
    if (fields.partnerIds.length) {
      const found = await m.count(Partner, { where: { id: In(fields.partnerIds) } });
      if (found !== fields.partnerIds.length) problems.push({ field: 'partnerIds', messages: ['every partner must exist'] });
    }
    if (fields.coBranchIds.includes(leadBranchId))
      problems.push({ field: 'coBranchIds', messages: ['the lead branch cannot also be a co-branch'] });
    else if (fields.coBranchIds.length) {
      const found = await m.count(Branch, { where: { id: In(fields.coBranchIds) } });
      if (found !== fields.coBranchIds.length) problems.push({ field: 'coBranchIds', messages: ['every co-branch must exist'] });
    }
    if (fields.liaisonUserId !== null) {
      const liaison = await m.findOne(User, { where: { id: fields.liaisonUserId, active: true } });
      if (!liaison || liaison.branchId !== leadBranchId)
        problems.push({ field: 'liaisonUserId', messages: ['the liaison must be an active user of the lead branch'] });
    }
    if (fields.partnerLiaisons.some((l) => !fields.partnerIds.includes(Number(l.partnerId)))) {
      problems.push({ field: 'partnerLiaisons', messages: ['each partner liaison must belong to one of the pairing’s partners'] });
    }
    if (problems.length) throw new ValidationFailedError(problems);
  }
}
