import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager, In, IsNull, Not } from 'typeorm';
import { PairingContext, quarterEnd, reportDueDate } from '../../../workflows';
import { Clock, dateIn } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { DatabaseService } from '../../database/database.service';
import { NewNotification, NotificationsService } from '../../notifications/notifications.service';
import { Pairing } from '../../workflow-engine/pairing.entity';
import { Task } from '../../tasks/task.entity';
import { User } from '../../identity/user.entity';
import { PairingsService } from '../../pairings/pairings.service';

/** A reminder goes out this long before a task falls due. */
export const REMIND_BEFORE_MS = 3 * 86_400_000;
const ACTIVE_STATES = ['active.collecting', 'active.reportSubmitted'];

export interface SweepResult {
  reminders: number;
  overdueNotices: number;
  quartersFlagged: number;
}

/**
 * The deadline sweep (SPEC §8): reminders before a task's due date, overdue notices to the committee
 * after it, and QUARTER_OVERDUE through the transition engine for quarters that ended without a report.
 * Deadlines live in the database; the sweep may run any number of times, on any worker.
 */
@Injectable()
export class DeadlineSweeper {
  private readonly logger = new Logger(DeadlineSweeper.name);

  constructor(
    private readonly db: DatabaseService,
    private readonly notifications: NotificationsService,
    private readonly pairings: PairingsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sweep(): Promise<SweepResult> {
    const now = this.clock.now();
    const reminders = await this.remind(now);
    const overdueNotices = await this.noticeOverdue(now);
    const quartersFlagged = await this.flagOverdueQuarters(now);
    return { reminders, overdueNotices, quartersFlagged };
  }

  private async remind(now: Date): Promise<number> {
    const horizon = new Date(now.getTime() + REMIND_BEFORE_MS).toISOString();
    return this.db.transaction(async (m) => {
      // Only tasks still ahead: overdue ones are never reminded and must not crowd the batch out.
      const due = await this.claimTasks(m, 't.reminded_at IS NULL AND t.due_at > :now AND t.due_at < :horizon', {
        now: now.toISOString(),
        horizon,
      });
      let sent = 0;
      for (const task of due) {
        const pairing = await m.findOneOrFail(Pairing, { where: { id: task.pairingId } });
        const users = await this.waitingUsers(m, task, pairing);
        sent += await this.notifications.deliver(
          m,
          users.map((u) =>
            notice(
              u,
              pairing,
              'REMINDER',
              `${pairing.code} 即将到期`,
              `「${pairing.title}」待办将于 ${dateIn(this.config.timezone, new Date(task.dueAt!))} 到期，请及时处理。`,
              `reminder:${task.id}:${u.id}`,
            ),
          ),
        );
        await m.update(Task, { id: task.id }, { remindedAt: now.toISOString() });
      }
      return sent;
    });
  }

  private async noticeOverdue(now: Date): Promise<number> {
    return this.db.transaction(async (m) => {
      const tasks = await this.claimTasks(m, 't.overdue_notified_at IS NULL AND t.due_at < :now', { now: now.toISOString() });
      let sent = 0;
      for (const task of tasks) {
        const pairing = await m.findOneOrFail(Pairing, { where: { id: task.pairingId } });
        const committee = await this.notifications.usersWithRole(m, 'committee');
        const waiting = task.waitsOn === 'secretary' ? await this.notifications.secretariesOf(m, pairing.leadBranchId) : [];
        const body = `「${pairing.title}」的待办已于 ${dateIn(this.config.timezone, new Date(task.dueAt!))} 到期仍未办理。`;
        sent += await this.notifications.deliver(m, [
          ...committee.map((u) => notice(u, pairing, 'OVERDUE', `${pairing.code} 已逾期`, body, `overdue:${task.id}:${u.id}`)),
          ...waiting.map((u) => notice(u, pairing, 'OVERDUE', `${pairing.code} 已逾期`, body, `overdue:${task.id}:${u.id}`)),
        ]);
        await m.update(Task, { id: task.id }, { overdueNotifiedAt: now.toISOString() });
      }
      return sent;
    });
  }

  /** Raises QUARTER_OVERDUE as the system for every quarter whose report is past due and unreported. */
  private async flagOverdueQuarters(now: Date): Promise<number> {
    const today = dateIn(this.config.timezone, now);
    const candidates = await this.db.read((m) =>
      m.find(Pairing, { where: { state: In(ACTIVE_STATES), finalScore: IsNull(), id: Not(0) } }),
    );
    let flagged = 0;
    for (const pairing of candidates) {
      const context = (JSON.parse(pairing.snapshot) as { context: PairingContext }).context;
      for (const quarter of [1, 2, 3, 4]) {
        if (context.startQuarter === null || quarter < context.startQuarter) continue;
        if (context.overdueQuarters.includes(quarter) || (context.reportedThrough ?? 0) >= quarter) continue;
        // A quarter that ended before the plan was accepted is never overdue: skip it without locking the pairing.
        if (context.planAcceptedOn === null || quarterEnd(pairing.year, quarter) < context.planAcceptedOn) continue;
        if (reportDueDate(pairing.year, quarter) >= today) continue;
        try {
          await this.pairings.sendAsSystem(pairing.id, 'QUARTER_OVERDUE', { quarter });
          flagged++;
        } catch (error) {
          // The machine has the last word (e.g. a quarter that ended before the plan was accepted).
          if (!(error instanceof DomainError)) throw error;
          this.logger.debug({ pairingId: pairing.id, quarter, code: error.code }, 'Quarter not flagged');
        }
      }
    }
    return flagged;
  }

  /**
   * Open tasks matching `condition`, locked until this sweep's transaction ends. Several sweeps may run at
   * once (one per worker): on MySQL a task another sweep holds is skipped, so each notice is sent once
   * instead of the later sweep failing on the notification's unique key. SQLite runs one transaction at a time.
   */
  private claimTasks(m: EntityManager, condition: string, params: Record<string, string>): Promise<Task[]> {
    const qb = m.createQueryBuilder(Task, 't').where('t.closed_at IS NULL').andWhere(condition, params).orderBy('t.id', 'ASC').take(500);
    if (this.db.engine === 'mysql') qb.setLock('pessimistic_write').setOnLocked('skip_locked');
    return qb.getMany();
  }

  private waitingUsers(m: EntityManager, task: Task, pairing: Pairing): Promise<User[]> {
    return task.waitsOn === 'committee'
      ? this.notifications.usersWithRole(m, 'committee')
      : this.notifications.secretariesOf(m, pairing.leadBranchId);
  }
}

function notice(user: User, pairing: Pairing, kind: string, title: string, body: string, dedupeKey: string): NewNotification {
  return { userId: user.id, pairingId: pairing.id, kind, title, body, dedupeKey };
}
