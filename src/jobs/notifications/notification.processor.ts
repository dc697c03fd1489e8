import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { pairingChain } from '../../audit/audit.service';
import { DatabaseService } from '../../database/database.service';
import { select } from '../../database/sql';
import type { NoticeKind, NoticeParams } from '../../notifications/notification-text';
import { NewNotification, NotificationsService, Recipient } from '../../notifications/notifications.service';
import { confirmedBy, partnerActs } from '../../workflow-engine/events';
import { PairingsRepository } from '../../workflow-engine/pairings.repository';
import { PAIRING_MACHINES, isPartnerTask, PairingState, PairingStateMeta, pairingMachine, partnerTasksOf } from '../../../workflows';
import { EventNoticeFacts, PairingEventJob, PairingNoticeFacts } from './pairing-event.job';

const DECISIONS = ['APPROVE', 'RETURN', 'REJECT', 'ACCEPT_PLAN', 'SCORE_QUARTER', 'APPROVE_REVIEW'];
/** Leaders are copied (抄送) on these. */
const LEADER_COPIES = ['APPROVE', 'REJECT', 'TERMINATE', 'APPROVE_REVIEW'];
const SECRETARY_TOLD = ['TERMINATE', 'QUARTER_OVERDUE', 'WITHDRAW'];
/** The partner side hears of the committee's decisions on its pairings (SPEC §12). */
const PARTNER_TOLD = ['APPROVE', 'ACCEPT_PLAN', 'SCORE_QUARTER', 'APPROVE_REVIEW', 'TERMINATE'];

/** What a pairing of version 2 or later now asks of its partners' users, by the event that asks it. */
function partnerTask(job: PairingEventJob, workflowVersion: number): string | null {
  if (workflowVersion < 2) return null;
  if (job.type === 'SIGN_AGREEMENT') return 'COUNTERSIGN_AGREEMENT';
  if (job.type === 'RECORD_ACTIVITY') return 'CONFIRM_ACTIVITY';
  // On entering the year-end review from the last quarter (or being migrated into it), not on every event while it lasts.
  const intoReview = job.fromState !== job.toState || job.type === 'MIGRATE_WORKFLOW';
  if (job.toState === 'yearEndReview' && job.fromState !== 'underReview' && intoReview) return 'EVALUATE_PARTNERSHIP';
  return null;
}

/** When a person has several reasons to hear of one event, the notice carries the first of these. */
const STRONGEST: NoticeKind[] = ['DECISION', 'URGED', 'OVERDUE', 'WAITING', 'COPY'];

interface Addressee {
  user: Recipient;
  kinds: Set<NoticeKind>;
  /** The pairing now waits on this person. */
  waitedOn: boolean;
  /** What it waits on them for, when that is not the state's own task (the partner side's). */
  task?: string;
}

/** The task a state waits for, from the machine's state meta. */
function taskOf(state: PairingState, workflowVersion: number): string | null {
  const machine = PAIRING_MACHINES[workflowVersion] ?? pairingMachine;
  try {
    return (machine.getStateNodeById(`${machine.id}.${state}`).meta as PairingStateMeta | undefined)?.task ?? null;
  } catch {
    return null;
  }
}

/** What a notice says of the pairing, read without its snapshot or records. */
type PairingFacts = PairingNoticeFacts & { id: number };

/** The event's audit row as far as a notice needs it. */
type EventFacts = EventNoticeFacts & { seq: number };

/** The quarter a QUARTER_OVERDUE event flagged, from its audit payload. */
function overdueQuarter(event: EventFacts | null): number | null {
  try {
    const quarter = (JSON.parse(event?.payload ?? 'null') as { quarter?: unknown } | null)?.quarter;
    return typeof quarter === 'number' ? quarter : null;
  } catch {
    return null;
  }
}

/**
 * Tells people what a transition means for them: one notice per person and event, carrying the event's
 * reason and what the person is now asked to do; earlier notices that asked for an action are marked done
 * once the pairing moves to another step. Idempotent: each notice's dedupe key is (pairing, seq, recipient),
 * and marking done touches only notices not yet done, so a replayed job changes nothing.
 */
@Injectable()
export class NotificationProcessor {
  constructor(
    private readonly db: DatabaseService,
    private readonly notifications: NotificationsService,
    private readonly pairings: PairingsRepository,
  ) {}

  async process(job: PairingEventJob): Promise<number> {
    return this.db.transaction(async (m) => {
      const pairing = job.pairing ? { id: job.pairingId, ...job.pairing } : await this.pairing(m, job.pairingId);
      if (!pairing) return 0;
      const chain = pairingChain(pairing.id);
      const event = job.event ? { seq: job.seq, ...job.event } : await this.event(m, chain, job.seq);
      const movedOn = job.fromState !== job.toState;
      // Jobs may run out of order: a notice asking for a step the pairing has already left is done at once. A later
      // step settles all this one would (and this job's own notices), below; else this step settles the earlier ones.
      // A partner's task outlives the steps that still take it (its notice stays open through them).
      const laterStep = await this.latestStep(m, chain, job.seq);
      if (movedOn && event && !laterStep)
        await this.notifications.markDone(m, pairing.id, job.seq, event.at, partnerTasksOf(pairing.workflowVersion, job.toState));

      const task = taskOf(job.toState, pairing.workflowVersion);
      const base: NoticeParams = {
        code: pairing.code,
        title: pairing.title,
        event: job.type,
        toState: job.toState,
        quarter: job.type === 'QUARTER_OVERDUE' ? (overdueQuarter(event) ?? job.quarter) : job.quarter,
        comment: event?.comment ?? null,
      };
      const addressees = await this.recipients(m, job, pairing);
      const items: NewNotification[] = addressees.map(({ user, kinds, waitedOn, task: own }) => {
        const kind = STRONGEST.find((k) => kinds.has(k))!;
        return {
          userId: user.id,
          pairingId: pairing.id,
          kind,
          seq: job.seq,
          params: { ...base, task: waitedOn ? (own ?? task) : null },
          needsAction: waitedOn,
          dedupeKey: `event:${job.pairingId}:${job.seq}:${user.id}:${kind}`,
        };
      });
      const created = await this.notifications.deliver(m, items);
      if (laterStep)
        await this.notifications.markDone(
          m,
          pairing.id,
          laterStep.seq,
          laterStep.at,
          partnerTasksOf(pairing.workflowVersion, laterStep.toState),
        );
      // The partner's act and the notice asking for it may be handled in either order.
      if (isPartnerTask(job.type) || addressees.some((a) => a.task !== undefined)) await this.settlePartnerAsks(m, chain, pairing.id);
      return created;
    });
  }

  /**
   * A partner's part is done once that partner did it (SPEC §12), though the pairing stays where it is: its users'
   * notices asking to countersign, to confirm an activity or to evaluate are done as soon as that partner's
   * countersignature, confirmation or evaluation is on record.
   */
  private async settlePartnerAsks(m: EntityManager, chain: string, pairingId: number): Promise<void> {
    const asks = (await this.notifications.openPartnerAsks(m, pairingId)).filter((ask) => isPartnerTask(ask.task));
    if (!asks.length) return;
    const asked = (task: string) => asks.some((ask) => ask.task === task);
    const where = '`pairing_id` = ?';
    const [countersignatures, confirmations, evaluations] = await Promise.all([
      asked('COUNTERSIGN_AGREEMENT') ? this.pairings.countersignatures.findMany(m, where, [pairingId], '`id` ASC') : [],
      asked('CONFIRM_ACTIVITY') ? this.pairings.confirmations.findMany(m, where, [pairingId], '`id` ASC') : [],
      asked('EVALUATE_PARTNERSHIP') ? this.pairings.evaluations.findMany(m, where, [pairingId], '`id` ASC') : [],
    ]);
    // Only a partner that confirmed something can have confirmed the activity an ask is about: the others' asks
    // stay open without reading which activity they ask for (partners who never confirm leave many open).
    const confirming = new Set(confirmations.map((c) => c.partnerId));
    const activityOf = await this.recordedActivities(
      m,
      chain,
      asks.flatMap((ask) => (ask.task === 'CONFIRM_ACTIVITY' && ask.seq !== null && confirming.has(ask.partnerId) ? [ask.seq] : [])),
    );
    const done = asks.filter((ask) => {
      const acts = partnerActs({ countersignatures, evaluations }, ask.partnerId);
      if (ask.task === 'COUNTERSIGN_AGREEMENT') return acts.countersigned;
      if (ask.task === 'EVALUATE_PARTNERSHIP') return acts.evaluated;
      return confirmedBy({ confirmations }, ask.partnerId, ask.seq === null ? undefined : activityOf.get(ask.seq));
    });
    await this.notifications.markDoneByIds(
      m,
      done.map((ask) => ask.id),
    );
  }

  /** The activity each of these RECORD_ACTIVITY events recorded, by seq (from its audit payload). */
  private async recordedActivities(m: EntityManager, chain: string, seqs: number[]): Promise<Map<number, number>> {
    if (!seqs.length) return new Map();
    const rows: { seq: number | string; payload: string }[] = await select(
      m,
      `SELECT \`seq\`, \`payload\` FROM \`audit_event\` WHERE \`chain\` = ? AND \`type\` = 'RECORD_ACTIVITY' AND \`seq\` IN (${seqs.map(() => '?').join(', ')})`,
      [chain, ...seqs],
    );
    return new Map(rows.map((r) => [Number(r.seq), Number((JSON.parse(r.payload) as { activityId: unknown }).activityId)]));
  }

  private async pairing(m: EntityManager, id: number): Promise<PairingFacts | null> {
    const [row] = await select<Record<string, unknown> & { code: string; title: string }>(
      m,
      'SELECT `id`, `court_id` AS `courtId`, `code`, `title`, `lead_branch_id` AS `leadBranchId`, `workflow_version` AS `workflowVersion`, ' +
        '`partner_ids` AS `partnerIds` FROM `pairing` WHERE `id` = ?',
      [id],
    );
    return row
      ? {
          ...row,
          id: Number(row.id),
          courtId: Number(row.courtId),
          leadBranchId: Number(row.leadBranchId),
          workflowVersion: Number(row.workflowVersion),
          partnerIds: (JSON.parse(String(row.partnerIds)) as unknown[]).map(Number),
        }
      : null;
  }

  /** The event's audit row, for a job written before outbox rows carried what their notices tell. */
  private async event(m: EntityManager, chain: string, seq: number): Promise<EventFacts | null> {
    const [row]: EventFacts[] = await select(
      m,
      'SELECT `seq`, `at`, `comment`, `payload` FROM `audit_event` WHERE `chain` = ? AND `seq` = ?',
      [chain, seq],
    );
    return row ? { ...row, seq: Number(row.seq) } : null;
  }

  /**
   * The last event after `seq` that moved the pairing to another state, if one was recorded already: the step the
   * pairing is at (as far as this job can tell), and the state it is in.
   */
  private async latestStep(
    m: EntityManager,
    chain: string,
    seq: number,
  ): Promise<{ seq: number; at: string; toState: PairingState } | undefined> {
    const [latest]: { seq: number | string; at: string; toState: PairingState }[] = await select(
      m,
      'SELECT `seq`, `at`, `to_state` AS `toState` FROM `audit_event` WHERE `chain` = ? AND `seq` > ? ' +
        'AND (`from_state` IS NULL OR `from_state` <> `to_state`) ORDER BY `seq` DESC LIMIT 1',
      [chain, seq],
    );
    return latest && { ...latest, seq: Number(latest.seq) };
  }

  private async recipients(m: EntityManager, job: PairingEventJob, pairing: PairingFacts): Promise<Addressee[]> {
    const byUser = new Map<number, Addressee>();
    const add = (users: Recipient[], kind: NoticeKind, waitedOn = false) => {
      for (const user of users) {
        if (user.id === job.actorId) continue;
        const entry = byUser.get(user.id) ?? { user, kinds: new Set<NoticeKind>(), waitedOn: false };
        entry.kinds.add(kind);
        entry.waitedOn ||= waitedOn;
        byUser.set(user.id, entry);
      }
    };
    const committee = () => this.notifications.usersWithRole(m, pairing.courtId, 'committee');
    const secretaries = () => this.notifications.secretariesOf(m, pairing.leadBranchId);

    if (job.type === 'URGE') add(await committee(), 'URGED', true);
    else if (job.fromState !== job.toState && job.waitsOn)
      add(job.waitsOn === 'committee' ? await committee() : await secretaries(), 'WAITING', true);
    if (DECISIONS.includes(job.type) && job.submitterId) {
      const submitter = await this.notifications.activeUser(m, Number(job.submitterId));
      if (submitter) add([submitter], 'DECISION');
    }
    if (job.type === 'QUARTER_OVERDUE') {
      // The secretaries still owe the report; the committee is told.
      add(await secretaries(), 'OVERDUE', true);
      add(await committee(), 'OVERDUE');
    } else if (SECRETARY_TOLD.includes(job.type)) add(await secretaries(), 'DECISION');
    if (LEADER_COPIES.includes(job.type)) add(await this.notifications.usersWithRole(m, pairing.courtId, 'leader'), 'COPY');
    const asked = partnerTask(job, pairing.workflowVersion);
    if ((asked || PARTNER_TOLD.includes(job.type)) && (await this.partnersSee(m, job, pairing))) {
      const partners = await this.notifications.partnerUsersOf(m, pairing.partnerIds);
      if (asked) {
        add(partners, 'WAITING', true);
        for (const user of partners) {
          const entry = byUser.get(user.id);
          if (entry) entry.task = asked;
        }
      }
      if (PARTNER_TOLD.includes(job.type)) add(partners, 'DECISION');
    }
    return [...byUser.values()];
  }

  /**
   * The partner side sees a pairing from its approval on (SPEC §12): one terminated before it was approved they
   * never saw, so they hear nothing of its end either. Only a TERMINATE costs the question.
   */
  private async partnersSee(m: EntityManager, job: PairingEventJob, pairing: PairingFacts): Promise<boolean> {
    return job.type !== 'TERMINATE' || (await this.pairings.everApproved(m, [pairing.id])).has(pairing.id);
  }
}
