import { Inject, Injectable, Logger } from '@nestjs/common';
import { In } from 'typeorm';
import { Clock } from '../common/clock';
import { DatabaseService } from '../database/database.service';
import { OutboxRow } from '../outbox/outbox.entity';
import { JobHandlers } from './job-handlers';
import { JOB_TIMERS, JobTimers } from './job-timers';
import { QueueGateway } from './queue.gateway';

const BATCH = 50;
/** Rows handed to Bull at once. */
const HANDED_ON_AT_ONCE = 8;
/** Outbox rows run here in one transaction (`JobHandlers.runOutboxRows`); a claim's transactions run at once. */
const ROWS_PER_TRANSACTION = 8;

/**
 * Drives committed outbox rows until their effect is recorded. Rows are claimed in the database for a lease
 * (FOR UPDATE SKIP LOCKED on MySQL), so dispatchers never take the same row at once. With Redis, a row goes to
 * Bull once (job id `outbox:<id>`); a row that is not done when its lease runs out — Redis lost the job, the
 * worker died, the attempt failed — runs in the dispatcher's own process, as every row does without Redis.
 * Failed attempts wait out a backoff (JobHandlers); a row is never dropped.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger(OutboxDispatcher.name);

  constructor(
    private readonly db: DatabaseService,
    private readonly handlers: JobHandlers,
    private readonly queues: QueueGateway,
    private readonly clock: Clock,
    @Inject(JOB_TIMERS) private readonly timing: JobTimers,
  ) {}

  /**
   * Drives every row that is due until none is left; returns how many were handed to Bull or done here.
   * A row that fails waits for a later round, never this one: its backoff (2 s, 4 s …) can be shorter than a
   * round, and the round would never end. Once Redis refuses a job, the rest of the round runs here.
   */
  async drain(): Promise<number> {
    let total = 0;
    const tried: number[] = [];
    let redis = this.queues.enabled;
    for (;;) {
      const rows = await this.claim(tried);
      if (!rows.length) return total;
      tried.push(...rows.map((row) => row.id));
      // Rows are independent (each processor guards its own effect): a few go to Bull at once, and those that
      // run here run a few to a transaction, those transactions all at once. On SQLite they then commit as one
      // group (one after the other, each waiting its turn behind the requests', they fell behind a busy app); on
      // MySQL each has a connection of its own, and a busy event loop stretches every round trip of a row.
      const here: OutboxRow[] = [];
      for (let i = 0; i < rows.length; i += HANDED_ON_AT_ONCE) {
        await Promise.all(
          rows.slice(i, i + HANDED_ON_AT_ONCE).map(async (row) => {
            if (redis && row.dispatchedAt === null) {
              if (await this.handOn(row)) return total++;
              redis = false;
            }
            here.push(row);
          }),
        );
      }
      here.sort((a, b) => a.id - b.id);
      const runs: Promise<Set<number>>[] = [];
      for (let i = 0; i < here.length; i += ROWS_PER_TRANSACTION)
        runs.push(this.handlers.runOutboxRows(here.slice(i, i + ROWS_PER_TRANSACTION)));
      for (const done of await Promise.all(runs)) total += done.size;
    }
  }

  private async claim(exclude: number[]): Promise<OutboxRow[]> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    return this.db.transaction(
      async (m) => {
        const qb = m
          .createQueryBuilder(OutboxRow, 'o')
          .where('o.done_at IS NULL AND o.parked_at IS NULL')
          .andWhere('o.available_at <= :now', { now: nowIso })
          .andWhere('(o.claimed_until IS NULL OR o.claimed_until < :now)', { now: nowIso })
          .orderBy('o.id', 'ASC')
          .take(BATCH);
        if (exclude.length) qb.andWhere('o.id NOT IN (:...exclude)', { exclude });
        if (this.db.engine === 'mysql') qb.setLock('pessimistic_write').setOnLocked('skip_locked');
        const rows = await qb.getMany();
        if (rows.length) {
          const claimedUntil = new Date(now.getTime() + this.timing.leaseMs).toISOString();
          await m.update(OutboxRow, { id: In(rows.map((r) => r.id)) }, { claimedUntil });
        }
        return rows;
      },
      // Workers finish rows (done_at) while dispatchers claim: no gap locks in the claim's scan for them to meet.
      { readCommitted: true },
    );
  }

  /** To Bull, once; the lease taken by the claim covers the job. False when Redis does not take it. */
  private async handOn(row: OutboxRow): Promise<boolean> {
    try {
      await this.queues.enqueue(row.queue, row.kind, { ...row.payload, outboxId: row.id }, `outbox:${row.id}`);
    } catch (error) {
      this.logger.warn({ outboxId: row.id, err: (error as Error).message }, 'Redis did not take the job; it runs in this process');
      return false;
    }
    await this.db.transaction((m) => m.update(OutboxRow, { id: row.id }, { dispatchedAt: this.clock.now().toISOString() }));
    return true;
  }
}
