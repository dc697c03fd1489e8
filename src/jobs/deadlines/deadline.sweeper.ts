import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { PairingContext, quartersToFlag } from '../../../workflows';
import { Clock, dateIn } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { DatabaseService } from '../../database/database.service';
import { deadlineNotice, NotificationsService, Recipient } from '../../notifications/notifications.service';
import { Pairing } from '../../workflow-engine/pairing.entity';
import { PairingsService } from '../../pairings/pairings.service';
import { isTaskOverdue } from '../../workflow-engine/open-task';

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
      const due = await this.claimTasks(m, 'p.task_reminded_at IS NULL AND p.task_due_at > :now AND p.task_due_at < :horizon', {
        now: now.toISOString(),
        horizon,
      });
      let sent = 0;
      for (const pairing of due) {
        const users = await this.waitingUsers(m, pairing);
        sent += await this.notifications.deliver(
          m,
          users.map((u) => deadlineNotice('REMINDER', u.id, pairing, this.due(pairing), `reminder:${taskKey(pairing)}:${u.id}`)),
        );
        await m.update(Pairing, { id: pairing.id, taskSince: pairing.taskSince! }, { taskRemindedAt: now.toISOString() });
      }
      return sent;
    });
  }

  private async noticeOverdue(now: Date): Promise<number> {
    return this.db.transaction(async (m) => {
      const overdue = await this.claimTasks(m, 'p.task_overdue_notified_at IS NULL AND p.task_due_at < :now', { now: now.toISOString() });
      let sent = 0;
      for (const pairing of overdue) {
        // Dealt with either way: a quarter that ended before its plan was accepted is owed but never late.
        await m.update(Pairing, { id: pairing.id, taskSince: pairing.taskSince! }, { taskOverdueNotifiedAt: now.toISOString() });
        if (!isTaskOverdue(pairing, contextOf(pairing), now.toISOString(), dateIn(this.config.timezone, now))) continue;
        const committee = await this.notifications.usersWithRole(m, pairing.courtId, 'committee');
        const waiting = pairing.taskWaitsOn === 'secretary' ? await this.notifications.secretariesOf(m, pairing.leadBranchId) : [];
        const key = taskKey(pairing);
        sent += await this.notifications.deliver(
          m,
          [...committee, ...waiting].map((u) => deadlineNotice('OVERDUE', u.id, pairing, this.due(pairing), `overdue:${key}:${u.id}`)),
        );
      }
      return sent;
    });
  }

  /** Raises QUARTER_OVERDUE as the system for every quarter whose report is past due and unreported. */
  private async flagOverdueQuarters(now: Date): Promise<number> {
    const today = dateIn(this.config.timezone, now);
    const candidates = await this.db.read((m) => m.find(Pairing, { where: { state: In(ACTIVE_STATES) } }));
    let flagged = 0;
    for (const pairing of candidates) {
      // The rule QUARTER_OVERDUE is judged by, read off the stored context without locking the pairing.
      for (const quarter of quartersToFlag(contextOf(pairing), today)) {
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
   * Pairings whose open task matches `condition`, locked until this sweep's transaction ends. Several sweeps
   * may run at once (one per worker): on MySQL a pairing another sweep (or a transition) holds is skipped,
   * so each notice is sent once instead of the later sweep failing on the notification's unique key; it is
   * taken by the next sweep. SQLite runs one transaction at a time.
   */
  private claimTasks(m: EntityManager, condition: string, params: Record<string, string>): Promise<Pairing[]> {
    const qb = m
      .createQueryBuilder(Pairing, 'p')
      .where('p.task_kind IS NOT NULL')
      .andWhere(condition, params)
      .orderBy('p.id', 'ASC')
      .take(500);
    if (this.db.engine === 'mysql') qb.setLock('pessimistic_write').setOnLocked('skip_locked');
    return qb.getMany();
  }

  /** What a deadline notice says: the task, its quarter, its due date in APP_TIMEZONE. */
  private due(pairing: Pairing) {
    return { task: pairing.taskKind, quarter: pairing.quarter, dueOn: dateIn(this.config.timezone, new Date(pairing.taskDueAt!)) };
  }

  private waitingUsers(m: EntityManager, pairing: Pairing): Promise<Recipient[]> {
    return pairing.taskWaitsOn === 'committee'
      ? this.notifications.usersWithRole(m, pairing.courtId, 'committee')
      : this.notifications.secretariesOf(m, pairing.leadBranchId);
  }
}

function contextOf(pairing: Pairing): PairingContext {
  return (JSON.parse(pairing.snapshot) as { context: PairingContext }).context;
}

/** A task is the pairing's wait that began at `taskSince`: the same wait keeps its reminders. */
function taskKey(pairing: Pairing): string {
  return `${pairing.id}:${pairing.taskSince}`;
}
