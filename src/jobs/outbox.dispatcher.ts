import { Injectable, Logger } from '@nestjs/common';
import { In } from 'typeorm';
import { Clock } from '../common/clock';
import { DatabaseService } from '../database/database.service';
import { JobHandlers } from './job-handlers';
import { OutboxRow } from './outbox.entity';
import { QueueGateway } from './queue.gateway';

const BATCH = 50;
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

  /** Dispatches until nothing is due; returns how many rows were handed on. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.claim();
      if (!rows.length) return total;
      for (const row of rows) if (await this.deliver(row)) total++;
    }
  }

  private async claim(): Promise<OutboxRow[]> {
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
      if (this.db.engine === 'mysql') qb.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await qb.getMany();
      if (rows.length)
        await m.update(OutboxRow, { id: In(rows.map((r) => r.id)) }, { claimedUntil: new Date(now.getTime() + CLAIM_MS).toISOString() });
      return rows;
    });
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
