import { Inject, Injectable } from '@nestjs/common';
import type { RequestUser } from '../identity/current-user.decorator';
import { DatabaseService } from '../database/database.service';
import { CourtScope } from '../identity/court-scope';
import { PairingContext, partnerTasksAsked } from '../../workflows';
import { Clock, dateIn } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { confirmedBy, partnerActs } from '../workflow-engine/events';
import { isTaskOverdue } from '../workflow-engine/open-task';
import { PARTNER_SIGHT, partnerOf } from '../workflow-engine/pairing-access';
import { Pairing } from '../workflow-engine/pairing.entity';
import { PairingsRepository } from '../workflow-engine/pairings.repository';
import { WorkflowEngine } from '../workflow-engine/workflow-engine.service';

/** At most this many of a partner's pairings are looked through for what waits on it (a partner has a few a year). */
const PARTNER_PAIRINGS = 200;

/** GET /api/tasks: what waits on this user now (each pairing's open task lives on its row). */
@Injectable()
export class TasksQuery {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: PairingsRepository,
    private readonly engine: WorkflowEngine,
  ) {}

  /** The committee's decisions, what pairings led by a secretary's own branch wait on them for, and a partner's part. */
  async forUser(user: RequestUser) {
    const partnerId = partnerOf(user);
    if (partnerId !== null) return this.forPartner(user, partnerId);
    const waiting: string[] = [];
    if (user.roles.includes('committee')) waiting.push("p.task_waits_on = 'committee'");
    if (user.roles.includes('secretary') && user.branchId !== null)
      waiting.push("(p.task_waits_on = 'secretary' AND p.lead_branch_id = :branch)");
    if (!waiting.length) return [];
    return this.db.read(async (m) => {
      const rows: Record<string, unknown>[] = await m
        .createQueryBuilder(Pairing, 'p')
        .select([
          'p.id AS pairingId',
          'p.code AS code',
          'p.title AS title',
          'p.task_kind AS kind',
          'p.state AS state',
          'p.task_waits_on AS waitsOn',
          'p.quarter AS quarter',
          'p.task_since AS since',
          'p.task_due_at AS dueAt',
          'p.snapshot AS snapshot',
        ])
        .where(...CourtScope.own(user).qb('p'))
        .andWhere('p.task_kind IS NOT NULL')
        .andWhere(`(${waiting.join(' OR ')})`, { branch: user.branchId })
        .orderBy('p.task_due_at IS NULL', 'ASC')
        .addOrderBy('p.task_due_at', 'ASC')
        .addOrderBy('p.id', 'ASC')
        .getRawMany();
      const now = this.clock.now();
      const today = dateIn(this.config.timezone, now);
      return rows.map((r) => {
        const task = {
          taskKind: r.kind as Pairing['taskKind'],
          taskDueAt: (r.dueAt as string | null) ?? null,
          quarter: r.quarter === null ? null : Number(r.quarter),
        };
        const { context } = JSON.parse(r.snapshot as string) as { context: PairingContext };
        return {
          pairingId: Number(r.pairingId),
          code: r.code,
          title: r.title,
          kind: r.kind,
          state: r.state,
          waitsOn: r.waitsOn,
          quarter: task.quarter,
          since: r.since,
          dueAt: task.taskDueAt,
          // The server's judgement, so every screen says the same (a past due date alone is not overdue).
          overdue: isTaskOverdue(task, context, now.toISOString(), today),
        };
      });
    });
  }

  /**
   * What the pairings of a partner ask of its users (SPEC §12): countersigning the agreement, confirming each
   * activity not yet confirmed, and the evaluation while the year is reviewed — wherever the pairing's state and
   * version take that event. None has a deadline.
   */
  private forPartner(user: RequestUser, partnerId: number) {
    return this.db.read(async (m) => {
      const [pairings] = await this.repository.list(m, CourtScope.own(user), {
        visibleToPartner: { partnerId, ...PARTNER_SIGHT },
        page: 1,
        pageSize: PARTNER_PAIRINGS,
      });
      const tasks = [];
      for (const pairing of [...pairings].reverse()) {
        const asked = partnerTasksAsked(this.engine.snapshotOf(pairing));
        if (!asked.size) continue;
        const { records } = await this.engine.aggregate(m, pairing);
        const acts = partnerActs(records, partnerId);
        const base = { pairingId: pairing.id, code: pairing.code, title: pairing.title, state: pairing.state, waitsOn: 'partner' };
        const task = (kind: string, since: string, extra: Record<string, unknown> = {}) => ({
          ...base,
          kind,
          quarter: pairing.quarter,
          since,
          dueAt: null,
          overdue: false,
          ...extra,
        });
        if (asked.has('COUNTERSIGN_AGREEMENT') && records.agreement && !acts.countersigned) {
          tasks.push(task('COUNTERSIGN_AGREEMENT', records.agreement.createdAt));
        }
        if (asked.has('CONFIRM_ACTIVITY')) {
          for (const activity of records.activities) {
            if (activity.voided || confirmedBy(records, partnerId, activity.id)) continue;
            tasks.push(
              task('CONFIRM_ACTIVITY', activity.createdAt, {
                activityId: activity.id,
                activityTitle: activity.title,
                activityKind: activity.kind,
                heldOn: activity.heldOn,
              }),
            );
          }
        }
        if (asked.has('EVALUATE_PARTNERSHIP') && !acts.evaluated) {
          tasks.push(task('EVALUATE_PARTNERSHIP', pairing.updatedAt));
        }
      }
      return tasks;
    });
  }
}
