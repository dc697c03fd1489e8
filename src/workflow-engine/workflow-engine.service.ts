import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EntityManager } from 'typeorm';
import {
  acceptedEventTypes,
  allowedActors,
  decide,
  EventMeta,
  isSeparationOfDutiesViolation,
  PAIRING_EVENT_TYPES,
  PairingActor,
  PairingEvent,
  PairingEventType,
  PairingSnapshot,
  PairingState,
  persistSnapshot,
  stateMeta,
  stateString,
  workflowOf,
} from '../../workflows';
import { pairingChain } from '../audit/audit.service';
import { auditHash, canonicalJson, GENESIS_HASH } from '../audit/canonical-json';
import { Clock, dateIn } from '../common/clock';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, RuleViolationError, ValidationFailedError } from '../common/errors';
import { flattenValidationErrors, machineryKeyProblems, withMachineryProblems } from '../common/validation';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { RequestUser } from '../identity/current-user.decorator';
import { OutboxService } from '../outbox/outbox.service';
import { NOTIFICATIONS_QUEUE } from '../outbox/queues';
import { AggregateCache, PairingAggregate } from './aggregate-cache';
import { eventOptions, EventOptions, needsProposalFacts, NO_OPTIONS } from './event-options';
import { EVENT_HANDLERS, EventHandler, partnerActs, proposalFacts } from './events';
import { taskAfter } from './open-task';
import { canSeePairing, capacitiesOf } from './pairing-access';
import type { CourtScope } from '../identity/court-scope';
import { Pairing } from './pairing.entity';
import { NO_RECORDS, PairingRecords, PairingsRepository } from './pairings.repository';

/** Who sends an event: a signed-in user, or the system (deadline jobs). */
export type EventSender = { kind: 'user'; user: RequestUser; reach?: CourtScope } | { kind: 'system' };

export type Fields = Record<string, unknown> & { comment?: string };

export const isEventType = (value: unknown): value is PairingEventType =>
  typeof value === 'string' && (PAIRING_EVENT_TYPES as readonly string[]).includes(value);

/** A change of the pairing as its audit event records it. */
export interface RecordedChange {
  type: string;
  actorId: number | null;
  payload: unknown;
  comment: string | null;
  /** Who sent the submission a decision answers; told of the decision. */
  submitterId?: string | null;
}

function parseIfMatch(header: string | undefined): number | null {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return null;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  return match ? Number(match[1]) : -1;
}

/** The pairing's columns that follow from its snapshot. */
function stateColumns(snapshot: PairingSnapshot) {
  const state = stateString(snapshot);
  const { context } = snapshot;
  return {
    state,
    // The current quarter means something only while the pairing is active (SPEC §4).
    quarter: state.startsWith('active.') ? context.quarter : null,
    quarterScores: context.quarterScores,
    reviewScore: context.reviewScore,
    finalScore: context.finalScore,
    snapshot: JSON.stringify(persistSnapshot(snapshot)),
  };
}

/** The columns of `next` that differ from `previous` (JSON columns compared by value). */
function changedColumns(previous: Pairing, next: Pairing): Partial<Pairing> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof Pairing)[]) {
    const a = previous[key];
    const b = next[key];
    if (a === b) continue;
    if (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b)) continue;
    changes[key] = b;
  }
  return changes as Partial<Pairing>;
}

/**
 * The write side of the pairing aggregate: the one transition method. Inside the caller's transaction it
 * locks the pairing, restores its snapshot, checks who may send the event, the version, the state, the
 * payload, four-eyes and the business rules — in the order SPEC §5 gives — then writes the event's own
 * rows, the pairing row (state, snapshot, version, chain head and open task in one statement), one audit
 * event and the outbox row. It reads nothing back: the aggregate it returns is built from what it wrote.
 */
@Injectable()
export class WorkflowEngine {
  constructor(
    private readonly repository: PairingsRepository,
    private readonly cache: AggregateCache,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  meta(actorId: string | null, now = this.clock.now()): EventMeta {
    return { actorId, now: now.toISOString(), today: dateIn(this.config.timezone, now) };
  }

  async apply(
    m: EntityManager,
    pairingId: number,
    sender: EventSender,
    type: PairingEventType,
    fields: Fields,
    ifMatch: string | undefined,
  ): Promise<PairingAggregate> {
    const user = sender.kind === 'user' ? sender.user : null;
    const meta = this.meta(user ? String(user.id) : null);
    const pairing = await this.repository.findForUpdate(m, pairingId);
    if (!pairing || (sender.kind === 'user' && !(await canSeePairing(m, this.repository, sender.user, pairing, sender.reach))))
      throw new NotFoundError('The pairing');
    const before = this.cache.snapshotOf(pairing);

    const capacities: Set<PairingActor> = user ? capacitiesOf(user, pairing) : new Set(['system']);
    if (!allowedActors(type, before.context, workflowOf(before)).some((actor) => capacities.has(actor))) {
      throw new ForbiddenError(`Your role does not allow ${type} on this pairing.`);
    }
    const expected = parseIfMatch(ifMatch);
    if (expected !== null && expected !== pairing.version) {
      throw new DomainError(412, 'VERSION_CONFLICT', 'Someone else changed this pairing since you loaded it; reload it and try again.', {
        version: pairing.version,
      });
    }
    if (!acceptedEventTypes(before).has(type)) {
      // What the pairing's page would offer this user now: the same computation, from the same facts.
      const { availableEvents } = user ? await this.options(m, user, pairing, before, meta) : NO_OPTIONS;
      throw new ConflictError('INVALID_TRANSITION', `${type} is not possible while the pairing is ${pairing.state}.`, {
        state: pairing.state,
        availableEvents,
      });
    }
    // One cast, here: the table is typed per event, and `type` picks the entry.
    const handler = EVENT_HANDLERS[type] as unknown as EventHandler<PairingEventType>;
    const dto = plainToInstance(handler.payload, fields) as Fields;
    // No payload has an asynchronous constraint: validated at once, without a promise per constraint.
    // Keys naming an object's machinery are unknown fields like `foo`, though class-transformer drops most of them.
    const errors = withMachineryProblems(
      flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })),
      machineryKeyProblems(fields),
    );
    if (errors.length) throw new ValidationFailedError(errors);
    const { comment, ...payload } = dto;

    const records = await this.recordsOf(m, pairing);
    const actorId = user?.id ?? null;
    const actorPartnerId = user && capacities.has('partner') ? user.partnerId : null;
    const context = {
      m,
      repository: this.repository,
      pairing,
      records,
      before,
      payload,
      comment: comment ?? null,
      actorId,
      actorPartnerId,
      now: meta.now,
    };
    const problems = handler.check?.(context) ?? [];
    if (problems.length) throw new ValidationFailedError(problems);
    const facts = await handler.facts?.(context);
    const event = { type, meta, comment, payload, facts } as unknown as PairingEvent;
    if (isSeparationOfDutiesViolation(before, event)) {
      throw new ForbiddenError(
        'You submitted this yourself; another committee member must decide on it (four-eyes rule).',
        'SEPARATION_OF_DUTIES',
      );
    }
    const decision = decide(before, event);
    if (!decision.ok) {
      if (decision.reason === 'RULE') throw new RuleViolationError(decision.code, decision.message, decision.status, decision.details);
      throw new ConflictError('INVALID_TRANSITION', `${type} is not possible while the pairing is ${pairing.state}.`, {
        state: pairing.state,
        availableEvents: [],
      });
    }
    if (handler.unchanged?.(context)) return { pairing, snapshot: before, records };
    const written = (await handler.write?.({ ...context, after: decision.snapshot, facts: facts as never })) ?? {
      audit: Object.keys(payload).length ? payload : null,
    };
    const saved = await this.record(m, pairing, { ...pairing, ...written.pairing }, decision.snapshot, {
      type,
      actorId,
      payload: written.audit,
      comment: comment ?? null,
      submitterId: before.context.pendingSubmitterId,
    });
    return { pairing: saved, snapshot: decision.snapshot, records: written.records ?? records };
  }

  /** A new pairing: its row (version 0), then CREATE as the first event of its chain. */
  async create(m: EntityManager, row: Omit<Pairing, 'id'>, snapshot: PairingSnapshot, actorId: number): Promise<PairingAggregate> {
    const id = await this.repository.insertPairing(m, row);
    const pairing: Pairing = { id, ...row };
    await this.repository.replaceBranches(m, pairing);
    const saved = await this.record(m, pairing, pairing, snapshot, {
      type: 'CREATE',
      actorId,
      payload: createdPayload(pairing),
      comment: null,
    });
    return { pairing: saved, snapshot, records: NO_RECORDS };
  }

  /**
   * An edit of the proposal (PATCH): the new fields, and EDIT with what changed from what to what. Fields
   * given with the values they hold already change nothing: when none differs, nothing is written (no EDIT,
   * the same version), since the chain records changes, not requests.
   */
  async edit(
    m: EntityManager,
    pairing: Pairing,
    changes: Partial<Pairing>,
    actorId: number,
    records: PairingRecords,
  ): Promise<PairingAggregate> {
    const diff = Object.fromEntries(
      Object.entries(changes)
        .filter(([key, value]) => JSON.stringify(pairing[key as keyof Pairing]) !== JSON.stringify(value))
        .map(([key, value]) => [key, { from: pairing[key as keyof Pairing], to: value }]),
    );
    const snapshot = this.cache.snapshotOf(pairing);
    if (Object.keys(diff).length === 0) return { pairing, snapshot, records };
    const next = { ...pairing, ...changes };
    if ('coBranchIds' in diff) await this.repository.replaceBranches(m, next);
    const saved = await this.record(m, pairing, next, snapshot, { type: 'EDIT', actorId, payload: { changes: diff }, comment: null });
    return { pairing: saved, snapshot, records };
  }

  /**
   * Persists one change of the pairing: version + 1, one audit event whose seq is the new version and whose
   * prevHash is the head kept on the row, the open task, the outbox row — and the row itself in one UPDATE.
   */
  private async record(
    m: EntityManager,
    previous: Pairing,
    next: Pairing,
    snapshot: PairingSnapshot,
    change: RecordedChange,
  ): Promise<Pairing> {
    const at = this.clock.now().toISOString();
    const seq = previous.version + 1;
    const chain = pairingChain(previous.id);
    const columns = stateColumns(snapshot);
    const fromState: PairingState | null = change.type === 'CREATE' ? null : previous.state;
    const link = {
      chain,
      seq,
      at,
      actorId: change.actorId === null ? null : String(change.actorId),
      type: change.type,
      fromState,
      toState: columns.state,
      payload: change.payload ?? null,
      comment: change.comment,
      prevHash: previous.version === 0 ? GENESIS_HASH : previous.chainHash,
    };
    const hash = auditHash(link);
    const payload = link.payload === null ? null : canonicalJson(link.payload);
    await this.repository.appendToChain(m, { ...link, payload, hash });

    const saved: Pairing = {
      ...next,
      ...columns,
      ...taskAfter(previous, { state: columns.state, quarter: columns.quarter, snapshot }, at, this.config.timezone),
      version: seq,
      chainHash: hash,
      updatedAt: change.type === 'CREATE' ? previous.updatedAt : at,
    };
    await this.repository.savePairing(m, previous.id, previous.version, changedColumns(previous, saved));
    await this.outbox.add(
      m,
      previous.courtId,
      NOTIFICATIONS_QUEUE,
      'pairing.event',
      {
        pairingId: previous.id,
        seq,
        type: change.type,
        fromState,
        toState: columns.state,
        actorId: change.actorId,
        quarter: snapshot.context.quarter,
        waitsOn: stateMeta(snapshot)?.waitsOn ?? null,
        submitterId: change.submitterId ?? null,
        // What the notices tell of the pairing and the event, so that their processor need not read it back.
        pairing: {
          courtId: saved.courtId,
          code: saved.code,
          title: saved.title,
          leadBranchId: saved.leadBranchId,
          workflowVersion: saved.workflowVersion,
          partnerIds: saved.partnerIds,
        },
        event: { at, comment: link.comment, payload },
      },
      at,
    );
    return saved;
  }

  /**
   * What this user may send now: the one answer behind a view's availableEvents/blockedEvents and a 409's
   * details. Looks up the liaison only where SUBMIT is possible, and the records (unless given) only for a
   * partner's user, whose organisation's own acts block COUNTERSIGN_AGREEMENT and EVALUATE_PARTNERSHIP.
   */
  async options(
    m: EntityManager,
    user: RequestUser,
    pairing: Pairing,
    snapshot: PairingSnapshot,
    meta: EventMeta,
    records?: PairingRecords,
  ): Promise<EventOptions> {
    const capacities = capacitiesOf(user, pairing);
    if (!capacities.size) return NO_OPTIONS;
    const proposal = needsProposalFacts(snapshot) ? await proposalFacts(m, this.repository, pairing) : undefined;
    const partner = capacities.has('partner') ? partnerActs(records ?? (await this.recordsOf(m, pairing)), user.partnerId) : undefined;
    return eventOptions(user, pairing, snapshot, { meta, proposal, partner });
  }

  /** The pairing's records as of its version: from the cache when it holds them. */
  private async recordsOf(m: EntityManager, pairing: Pairing): Promise<PairingRecords> {
    return this.cache.recordsOf(pairing) ?? this.repository.records(m, pairing.id);
  }

  snapshotOf(pairing: Pairing): PairingSnapshot {
    return this.cache.snapshotOf(pairing);
  }

  /** The pairing as one whole, from the cache when it holds this version. */
  async aggregate(m: EntityManager, pairing: Pairing): Promise<PairingAggregate> {
    const snapshot = this.cache.snapshotOf(pairing);
    return { pairing, snapshot, records: await this.recordsOf(m, pairing) };
  }

  /** After commit: the state just written is the one to serve next. */
  remember(aggregate: PairingAggregate): void {
    this.cache.remember(aggregate);
  }
}

/** CREATE keeps the new pairing as created (not its snapshot, version or bookkeeping columns). */
function createdPayload(p: Pairing) {
  return {
    id: p.id,
    code: p.code,
    year: p.year,
    title: p.title,
    theme: p.theme,
    problem: p.problem,
    goals: p.goals,
    mode: p.mode,
    leadBranchId: p.leadBranchId,
    coBranchIds: p.coBranchIds,
    partnerIds: p.partnerIds,
    categories: p.categories,
    liaisonUserId: p.liaisonUserId,
    partnerLiaisons: p.partnerLiaisons,
    state: p.state,
    quarter: p.quarter,
    quarterScores: p.quarterScores,
    reviewScore: p.reviewScore,
    finalScore: p.finalScore,
    workflowVersion: p.workflowVersion,
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
