import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { EntityManager, In } from 'typeorm';
import {
  allowedActors,
  decide,
  isSeparationOfDutiesViolation,
  PAIRING_EVENT_TYPES,
  PairingActor,
  PairingEvent,
  PairingEventType,
  PairingSnapshot,
  PairingState,
  persistSnapshot,
  probe,
  quarterOf,
  restorePairingSnapshot,
  stateMeta,
} from '../../workflows';
import { Attachment } from '../attachments/attachment.entity';
import { AuditService, pairingChain } from '../audit/audit.service';
import type { RequestUser } from '../identity/current-user.decorator';
import { Clock, dateIn } from '../common/clock';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, RuleViolationError, ValidationFailedError } from '../common/errors';
import { flattenValidationErrors } from '../common/validation';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { OutboxService } from '../outbox/outbox.service';
import { NOTIFICATIONS_QUEUE } from '../outbox/queues';
import { canSeePairing, capacitiesOf } from './pairing-access';
import { eventOptions, proposalFacts } from './event-options';
import { Pairing } from './pairing.entity';
import { PairingsRepository } from './pairings.repository';
import { Activity, Agreement, Plan, QuarterReport, YearEndReview } from './records.entity';
import { TasksService } from '../tasks/tasks.service';
import { EVENT_PAYLOADS } from './event-payloads.dto';

/** Who sends an event: a signed-in user, or the system (deadline jobs). */
export type EventSender = { kind: 'user'; user: RequestUser } | { kind: 'system' };

/** What an accepted event leaves: the pairing as written, and its new snapshot. */
export interface Transitioned {
  pairing: Pairing;
  snapshot: PairingSnapshot;
}

export interface RecordedChange {
  type: string;
  actorId: number | null;
  fromState: PairingState | null;
  toState: PairingState;
  payload: unknown;
  comment: string | null;
  /** Who sent the submission a decision answers; told of the decision. */
  submitterId?: string | null;
}

export type Fields = Record<string, unknown> & { comment?: string };

export const isEventType = (value: unknown): value is PairingEventType =>
  typeof value === 'string' && (PAIRING_EVENT_TYPES as readonly string[]).includes(value);

function parseIfMatch(header: string | undefined): number | null {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return null;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  return match ? Number(match[1]) : -1;
}

/**
 * The one transition method of the pairing aggregate. One event = one database transaction:
 * lock the pairing, restore its snapshot, check who may send it, the version, the state, the payload,
 * four-eyes and the business rules — in the order SPEC §5 gives — then persist the new state and
 * snapshot, the event's own rows, one audit event, the task and the outbox rows, all or nothing.
 */
@Injectable()
export class WorkflowEngine {
  constructor(
    private readonly pairings: PairingsRepository,
    private readonly audit: AuditService,
    private readonly tasks: TasksService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Inside the caller's transaction: checks the event in SPEC §5's order and persists it, or throws. */
  async apply(
    m: EntityManager,
    pairingId: number,
    sender: EventSender,
    type: PairingEventType,
    fields: Fields,
    ifMatch: string | undefined,
  ): Promise<Transitioned> {
    const now = this.clock.now();
    const meta = {
      actorId: sender.kind === 'user' ? String(sender.user.id) : null,
      now: now.toISOString(),
      today: dateIn(this.config.timezone, now),
    };
    const pairing = await this.pairings.findForUpdate(m, pairingId);
    if (!pairing || (sender.kind === 'user' && !canSeePairing(sender.user, pairing))) throw new NotFoundError('The pairing');
    const snapshot = restorePairingSnapshot(JSON.parse(pairing.snapshot), pairing.workflowVersion);

    const capacities: Set<PairingActor> = sender.kind === 'system' ? new Set(['system']) : capacitiesOf(sender.user, pairing);
    if (!allowedActors(type, snapshot.context).some((actor) => capacities.has(actor))) {
      throw new ForbiddenError(`Your role does not allow ${type} on this pairing.`);
    }
    const expected = parseIfMatch(ifMatch);
    if (expected !== null && expected !== pairing.version) {
      throw new DomainError(412, 'VERSION_CONFLICT', 'Someone else changed this pairing since you loaded it; reload it and try again.', {
        version: pairing.version,
      });
    }
    if (!probe(snapshot, type).accepted) {
      const available = sender.kind === 'user' ? (await this.options(m, sender.user, pairing, snapshot, meta)).availableEvents : [];
      throw new ConflictError('INVALID_TRANSITION', `${type} is not possible while the pairing is ${pairing.state}.`, {
        state: pairing.state,
        availableEvents: available,
      });
    }
    const dto = plainToInstance(EVENT_PAYLOADS[type], fields) as Fields;
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) throw new ValidationFailedError(flattenValidationErrors(errors));
    const { comment, ...payload } = dto;

    const facts = await this.facts(m, pairing, snapshot, type, payload);
    const event = { type, meta, comment, payload, facts } as unknown as PairingEvent;
    if (isSeparationOfDutiesViolation(snapshot, event)) {
      throw new ForbiddenError(
        'You submitted this yourself; another committee member must decide on it (four-eyes rule).',
        'SEPARATION_OF_DUTIES',
      );
    }
    const decision = decide(snapshot, event);
    if (!decision.ok) {
      if (decision.reason === 'RULE') throw new RuleViolationError(decision.code, decision.message, decision.status);
      throw new ConflictError('INVALID_TRANSITION', `${type} is not possible while the pairing is ${pairing.state}.`, {
        state: pairing.state,
        availableEvents: [],
      });
    }
    const actorId = sender.kind === 'user' ? sender.user.id : null;
    const recorded = await this.writeRecords(m, pairing, decision.snapshot, type, payload, facts, comment ?? null, actorId, meta.now);

    const fromState = pairing.state;
    const next = decision.snapshot.context;
    Object.assign(pairing, {
      state: decision.state,
      // The current quarter means something only while the pairing is active (SPEC §4).
      quarter: decision.state.startsWith('active.') ? next.quarter : null,
      quarterScores: next.quarterScores,
      reviewScore: next.reviewScore,
      finalScore: next.finalScore,
      snapshot: JSON.stringify(persistSnapshot(decision.snapshot)),
    });
    await this.recordChange(
      m,
      pairing,
      decision.snapshot,
      {
        type,
        actorId,
        fromState,
        toState: decision.state,
        payload: recorded,
        comment: comment ?? null,
        submitterId: snapshot.context.pendingSubmitterId,
      },
      meta.now,
    );
    return { pairing, snapshot: decision.snapshot };
  }

  /** Persists a change of the pairing: version + 1, one audit event (its seq equals the new version), tasks, outbox. */
  async recordChange(m: EntityManager, pairing: Pairing, snapshot: PairingSnapshot, change: RecordedChange, now: string): Promise<void> {
    pairing.version += 1;
    pairing.updatedAt = now;
    const { id, ...columns } = pairing;
    await m.update(Pairing, { id }, columns);
    const { submitterId, ...audited } = change;
    const event = await this.audit.append(m, { chain: pairingChain(id), ...audited });
    if (event.seq !== pairing.version) throw new Error(`Pairing ${id}: version ${pairing.version} and chain seq ${event.seq} diverged`);
    await this.tasks.sync(m, pairing, snapshot, now);
    await this.outbox.add(
      m,
      NOTIFICATIONS_QUEUE,
      'pairing.event',
      {
        pairingId: id,
        seq: event.seq,
        type: change.type,
        fromState: change.fromState,
        toState: change.toState,
        actorId: change.actorId,
        quarter: snapshot.context.quarter,
        waitsOn: stateMeta(snapshot)?.waitsOn ?? null,
        submitterId: submitterId ?? null,
      },
      now,
    );
  }

  async options(m: EntityManager, user: RequestUser, pairing: Pairing, snapshot: PairingSnapshot, meta: PairingEvent['meta']) {
    const liaisons = await this.pairings.activeUsers(m, [pairing.liaisonUserId]);
    return eventOptions(user, pairing, snapshot, { meta, proposal: proposalFacts(pairing, this.liaisonActive(pairing, liaisons)) });
  }

  liaisonActive(pairing: Pairing, activeUsers: Map<number, { branchId: number | null }>): boolean {
    const liaison = pairing.liaisonUserId === null ? undefined : activeUsers.get(pairing.liaisonUserId);
    return Boolean(liaison && liaison.branchId === pairing.leadBranchId);
  }

  /** What the machine's rules need to know from the database. */
  private async facts(m: EntityManager, pairing: Pairing, snapshot: PairingSnapshot, type: PairingEventType, payload: Fields) {
    switch (type) {
      case 'SUBMIT': {
        const liaisons = await this.pairings.activeUsers(m, [pairing.liaisonUserId]);
        return { proposal: proposalFacts(pairing, this.liaisonActive(pairing, liaisons)) };
      }
      case 'VOID_ACTIVITY': {
        const activity = await m.findOne(Activity, { where: { id: payload.activityId as number, pairingId: pairing.id } });
        return { activity: activity ? { quarter: activity.quarter, voided: activity.voided } : null };
      }
      case 'SUBMIT_QUARTER_REPORT': {
        const quarter = snapshot.context.quarter ?? 0;
        return {
          jointMeetings: await this.pairings.countActivities(m, pairing.id, quarter, 'joint_meeting'),
          activityDays: await this.pairings.countActivities(m, pairing.id, quarter, 'activity_day'),
        };
      }
      default:
        return undefined;
    }
  }

  /** Writes the event's own rows; returns the payload as the audit trail keeps it. */
  private async writeRecords(
    m: EntityManager,
    pairing: Pairing,
    next: PairingSnapshot,
    type: PairingEventType,
    payload: Fields,
    /** What the machine's rules were judged on (see `facts`). */
    facts: unknown,
    comment: string | null,
    actorId: number | null,
    now: string,
  ): Promise<unknown> {
    const pairingId = pairing.id;
    const by = actorId ?? 0;
    switch (type) {
      case 'SUBMIT':
        return { revision: next.context.revision, proposal: proposalSnapshot(pairing) };
      case 'SIGN_AGREEMENT': {
        const attachmentIds = await this.claimAttachments(m, pairing, payload.attachmentIds as number[] | undefined, by);
        const row = m.create(Agreement, { ...(payload as object), attachmentIds, pairingId, createdBy: by, createdAt: now });
        await m.insert(Agreement, row);
        return { ...payload, attachmentIds };
      }
      case 'FILE_PLAN':
        await m.insert(Plan, {
          pairingId,
          startQuarter: payload.startQuarter as number,
          items: payload.items as Plan['items'],
          status: 'filed',
          createdBy: by,
          createdAt: now,
        });
        return payload;
      case 'ACCEPT_PLAN':
        await this.setLatest(m, Plan, pairingId, 'filed', { status: 'accepted' });
        return payload;
      case 'RECORD_ACTIVITY': {
        const attachmentIds = await this.claimAttachments(m, pairing, payload.attachmentIds as number[] | undefined, by);
        const row = m.create(Activity, {
          ...(payload as object),
          location: (payload.location as string | undefined) ?? null,
          attachmentIds,
          pairingId,
          quarter: quarterOf(payload.heldOn as string),
          voided: false,
          voidComment: null,
          voidedBy: null,
          voidedAt: null,
          recordedBy: by,
          createdAt: now,
        });
        await m.insert(Activity, row);
        return { ...payload, attachmentIds, activityId: row.id, quarter: row.quarter };
      }
      case 'VOID_ACTIVITY':
        await m.update(
          Activity,
          { id: payload.activityId as number, pairingId },
          { voided: true, voidComment: comment, voidedBy: by, voidedAt: now },
        );
        return payload;
      case 'SUBMIT_QUARTER_REPORT': {
        const quarter = next.context.quarter!;
        // The counts the rule was judged on, read under the pairing's lock.
        const { jointMeetings, activityDays } = facts as { jointMeetings: number; activityDays: number };
        const requirementsMet = jointMeetings > 0 && activityDays > 0;
        await m.insert(QuarterReport, {
          ...submitted(by, now),
          pairingId,
          quarter,
          summary: payload.summary as string,
          planProgress: (payload.planProgress as string | undefined) ?? null,
          shortfallReason: (payload.shortfallReason as string | undefined) ?? null,
          requirementsMet,
        });
        return { ...payload, quarter, requirementsMet, jointMeetings, activityDays };
      }
      case 'SCORE_QUARTER': {
        const quarter = pairing.quarter!;
        await this.setLatest(m, QuarterReport, pairingId, 'submitted', {
          status: 'scored',
          score: payload.score as number,
          decisionComment: comment,
          decidedBy: by,
          decidedAt: now,
        });
        return { ...payload, quarter };
      }
      case 'SUBMIT_REVIEW':
        await m.insert(YearEndReview, {
          ...submitted(by, now),
          pairingId,
          summary: payload.summary as string,
          problemSolved: payload.problemSolved as boolean,
          problemResolution: payload.problemResolution as string,
          outcomes: payload.outcomes as YearEndReview['outcomes'],
        });
        return payload;
      case 'APPROVE_REVIEW':
        await this.setLatest(m, YearEndReview, pairingId, 'submitted', {
          status: 'approved',
          score: payload.score as number,
          decisionComment: comment,
          decidedBy: by,
          decidedAt: now,
        });
        return { ...payload, finalScore: next.context.finalScore, quarterScores: next.context.quarterScores };
      case 'RETURN': {
        const decided = { status: 'returned' as const, decisionComment: comment, decidedBy: by, decidedAt: now };
        if (pairing.state === 'planFiled') await this.setLatest(m, Plan, pairingId, 'filed', { status: 'returned' });
        if (pairing.state === 'active.reportSubmitted') await this.setLatest(m, QuarterReport, pairingId, 'submitted', decided);
        if (pairing.state === 'underReview') await this.setLatest(m, YearEndReview, pairingId, 'submitted', decided);
        return payload;
      }
      case 'UPDATE_LIAISONS': {
        await this.checkLiaisons(m, pairing, payload);
        if (payload.liaisonUserId !== undefined) pairing.liaisonUserId = payload.liaisonUserId as number | null;
        if (payload.partnerLiaisons !== undefined) pairing.partnerLiaisons = payload.partnerLiaisons as Pairing['partnerLiaisons'];
        return payload;
      }
      default:
        return Object.keys(payload).length ? payload : null;
    }
  }

  private async setLatest<E extends { id: number; pairingId: number; status: string }>(
    m: EntityManager,
    entity: new () => E,
    pairingId: number,
    status: string,
    changes: Partial<E>,
  ) {
    const latest = await m.findOne(entity, { where: { pairingId, status } as never, order: { id: 'DESC' } as never });
    if (latest) await m.update(entity, { id: latest.id } as never, changes as never);
  }

  /** Evidence must be an upload of this user's not yet used elsewhere, or one already on this pairing. */
  private async claimAttachments(m: EntityManager, pairing: Pairing, ids: number[] | undefined, userId: number): Promise<number[]> {
    const wanted = [...new Set(ids ?? [])];
    if (!wanted.length) return [];
    const rows = await m.find(Attachment, { where: { id: In(wanted) } });
    const usable = rows.filter((a) => a.pairingId === pairing.id || (a.pairingId === null && a.uploadedBy === userId));
    if (usable.length !== wanted.length) {
      const bad = wanted.filter((id) => !usable.some((a) => a.id === id));
      throw new RuleViolationError(
        'ATTACHMENT_NOT_FOUND',
        `Attachment ${bad.join(', ')} is unknown or belongs to someone else; upload the file again.`,
      );
    }
    await m.update(Attachment, { id: In(wanted) }, { pairingId: pairing.id });
    return wanted;
  }

  private async checkLiaisons(m: EntityManager, pairing: Pairing, payload: Fields): Promise<void> {
    if (payload.liaisonUserId !== undefined && payload.liaisonUserId !== null) {
      const users = await this.pairings.activeUsers(m, [payload.liaisonUserId as number]);
      const user = users.get(payload.liaisonUserId as number);
      if (!user || user.branchId !== pairing.leadBranchId) {
        throw new RuleViolationError('LIAISON_NOT_IN_BRANCH', 'The liaison must be an active member of the lead branch.');
      }
    }
    const partnerLiaisons = (payload.partnerLiaisons as { partnerId: number }[] | undefined) ?? [];
    if (partnerLiaisons.some((l) => !pairing.partnerIds.includes(l.partnerId))) {
      throw new RuleViolationError('PARTNER_NOT_IN_PAIRING', 'Each partner liaison must belong to one of the pairing’s partners.');
    }
  }
}

/** A submission (quarter report, year-end review) as it waits for the committee's decision. */
function submitted(by: number, now: string) {
  return {
    status: 'submitted' as const,
    score: null,
    decisionComment: null,
    submittedBy: by,
    submittedAt: now,
    decidedBy: null,
    decidedAt: null,
  };
}

/** The proposal exactly as the committee saw it when it was submitted. */
export function proposalSnapshot(p: Pairing) {
  return {
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
  };
}
