import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DatabaseService } from '../database/database.service';
import { JobSchedule } from './job-schedule.entity';

/**
 * Recurring jobs driven from the database: every worker asks, as often as it likes, whether a job is due,
 * and the one whose conditional UPDATE moves `next_run_at` on runs it. So each period runs once across all
 * workers, and nothing is lost with Redis: a worker that dies mid-run costs at most that one period.
 */
@Injectable()
export class Schedules {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
  ) {}

  /** True for exactly one caller per period: the job is due and this caller now holds the period. */
  async claim(name: string, everyMs: number): Promise<boolean> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const next = new Date(now.getTime() + everyMs).toISOString();
    return this.db.transaction(async (m) => {
      const result = await m
        .createQueryBuilder()
        .update(JobSchedule)
        .set({ nextRunAt: next, lastRunAt: nowIso })
        .where('name = :name AND next_run_at <= :now', { name, now: nowIso })
        .execute();
      if (result.affected) return true;
      if (await m.exists(JobSchedule, { where: { name } })) return false;
      // The first worker ever to ask: the job is due now. A racing first insert loses on the primary key.
      try {
        await m.insert(JobSchedule, { name, nextRunAt: next, lastRunAt: nowIso });
        return true;
      } catch {
        return false;
      }
    });
  }
}
