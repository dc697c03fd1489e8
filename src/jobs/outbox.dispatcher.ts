import { Injectable, Logger } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { Clock } from '../common/clock';
import { DatabaseService } from '../database/database.service';
import { JobHandlers } from './job-handlers';
import { OutboxRow } from '../outbox/outbox.entity';
import { QueueGateway } from './queue.gateway';

const BATCH = 50;
const PARALLEL = 8;
const CLAIM_MS = 30_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Moves committed outbox rows on: to Bull (job id `outbox:<id>`) when Redis is configured, or straight
 * into the processors in-process. Rows are claimed in the database (FOR UPDATE SKIP LOCKED on MySQL), so
 * several dispatchers never take the same row; a row is marked dispatched only after it was handed on.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger(OutboxDispatcher.name);

  constructor(
    private readonly db: DatabaseService,
    private readonly handlers: JobHandlers,
    private readonly queues: QueueGateway,
    private readonly clock: Clock,
  ) {}

  /**
   * Dispatches until nothing is due; returns how many rows were handed on. A row that fails waits for a
   * later round, never this one: its backoff (2 s, 4 s …) can be shorter than a round, and the round would
   * never end. When Redis does not take a job, the round stops and gives the rest of its batch back: each
   * row would wait out the same enqueue timeout, for longer than the claim lasts.
   */
  async drain(): Promise<number> {
    let total = 0;
    const failed: number[] = [];
    for (;;) {
      const rows = await this.claim(failed);
      if (!rows.length) return total;
      // Rows are independent (each processor guards its own effect), so a few go at once.
      for (let i = 0; i < rows.length; i += PARALLEL) {
        const chunk = rows.slice(i, i + PARALLEL);
        const delivered = await Promise.all(chunk.map((row) => this.deliver(row)));
        total += delivered.filter(Boolean).length;
        failed.push(...chunk.filter((_, j) => !delivered[j]).map((row) => row.id));
        if (this.queues.enabled && delivered.includes(false)) {
          await this.release(rows.slice(i + PARALLEL));
          return total;
        }
      }
    }
  }

  private async claim(exclude: number[]): Promise<OutboxRow[]> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    return this.db.transaction(async (m) => {
      const qb = m
        .createQueryBuilder(OutboxRow, 'o')
        .where('o.dispatched_at IS NULL')
        .andWhere('o.available_at <= :now', { now: nowIso })
        .andWhere('(o.claimed_until IS NULL OR o.claimed_until < :now)', { now: nowIso })
        .orderBy('o.id', 'ASC')
        .take(BATCH);
      if (exclude.length) qb.andWhere('o.id NOT IN (:...exclude)', { exclude });
      if (this.db.engine === 'mysql') qb.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await qb.getMany();
      if (rows.length)
        await m.update(OutboxRow, { id: In(rows.map((r) => r.id)) }, { claimedUntil: new Date(now.getTime() + CLAIM_MS).toISOString() });
      return rows;
    });
  }

  /** Gives claimed rows back untried, for the next round here or in another dispatcher. */
  private async release(rows: OutboxRow[]): Promise<void> {
    if (!rows.length) return;
    await this.db.transaction((m) =>
      m.update(OutboxRow, { id: In(rows.map((r) => r.id)), dispatchedAt: IsNull() }, { claimedUntil: null }),
    );
  }

  private async deliver(row: OutboxRow): Promise<boolean> {
    const data = { ...row.payload, outboxId: row.id };
    try {
      if (this.queues.enabled) await this.queues.enqueue(row.queue, row.kind, data, `outbox:${row.id}`);
      else await this.handlers.run(row.queue, row.kind, data);
      await this.db.transaction((m) =>
        m.update(OutboxRow, { id: row.id }, { dispatchedAt: this.clock.now().toISOString(), claimedUntil: null, lastError: null }),
      );
      return true;
    } catch (error) {
      const attempts = row.attempts + 1;
      const retryAt = new Date(this.clock.now().getTime() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts)).toISOString();
      this.logger.warn({ outboxId: row.id, attempts, err: (error as Error).message }, 'Outbox row not delivered; will retry');
      await this.db.transaction((m) =>
        m.update(
          OutboxRow,
          { id: row.id },
          { attempts, availableAt: retryAt, claimedUntil: null, lastError: String((error as Error).message).slice(0, 2000) },
        ),
      );
      return false;
    }
  }
}
