import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { ServiceUnavailableError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { databaseUnavailable } from '../database/outage';
import { select, write } from '../database/sql';
import { OutboxRow } from '../outbox/outbox.entity';
import { NOTIFICATIONS_QUEUE } from '../outbox/queues';
import { JOB_TIMERS, JobTimers } from './job-timers';
import { NotificationProcessor } from './notifications/notification.processor';
import { PairingEventJob } from './notifications/pairing-event.job';

const MAX_BACKOFF_MS = 5 * 60_000;
/** From this many failed attempts on, each further failure is logged as an error: someone should look. */
const ALERT_AFTER = 5;

export type OutboxOutcome = 'done' | 'skipped';

/** An outbox row as its claim read it (its queue, kind and payload never change). */
export type ClaimedRow = Pick<OutboxRow, 'id' | 'queue' | 'kind' | 'payload'>;

/** The wait before attempt n + 1 after n failed ones: 2 s, 4 s, 8 s … at most five minutes. */
export const backoffMs = (attempts: number) => Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts, 20));

/**
 * The processors, by queue and job name: Bull workers and the dispatcher's own process call the same code.
 * An outbox row runs through `runOutboxRow`, which marks it done in the same transaction as the processor's
 * effect, so "done" means "recorded", whoever ran it and however often.
 */
@Injectable()
export class JobHandlers {
  private readonly logger = new Logger(JobHandlers.name);

  constructor(
    private readonly notifications: NotificationProcessor,
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    @Inject(JOB_TIMERS) private readonly timing: JobTimers,
  ) {}

  /** The processor of one kind of job. */
  async run(queue: string, name: string, data: Record<string, unknown>): Promise<unknown> {
    if (queue === NOTIFICATIONS_QUEUE && name === 'pairing.event') return this.notifications.process(data as unknown as PairingEventJob);
    throw new Error(`No processor for ${queue}/${name}`);
  }

  /**
   * Runs an outbox row's processor and marks the row done with its effect, in one transaction; a row already
   * done (or parked) is left alone. A failure is recorded on the row (attempts, backoff, error) and thrown.
   * The row by its id (a Bull job's: read first), or as the dispatcher's claim read it (not read again).
   */
  async runOutboxRow(row: number | ClaimedRow): Promise<OutboxOutcome> {
    const id = typeof row === 'number' ? row : row.id;
    try {
      return await this.db.transaction((m) => this.runRow(m, row));
    } catch (error) {
      await this.recordFailure(id, error);
      throw error;
    }
  }

  /**
   * Runs several outbox rows in one transaction: one commit for them all (on SQLite, one write of the WAL instead of
   * one per row). Rows rarely fail, and a savepoint per row would cost two statements a row every time; so should
   * one fail, nothing of the batch is kept: a row whose processor failed has its failure recorded, once, and the
   * others run again without it; a failure of the database (a deadlock, a lock timeout, an outage: MySQL may have
   * rolled the whole transaction back) is not a row's, and each row runs again on its own. Returns the ids whose
   * effect is recorded.
   */
  async runOutboxRows(rows: ClaimedRow[]): Promise<Set<number>> {
    let rest = rows;
    while (rest.length > 1) {
      let running: number | null = null; // the row whose processor runs; null once all ran (then a failure is the COMMIT's)
      try {
        await this.db.transaction(async (m) => {
          for (const row of rest) {
            running = row.id;
            await this.runRow(m, row);
          }
          running = null;
        });
        return new Set(rest.map((row) => row.id));
      } catch (error) {
        const failed: number | null = running;
        if (failed === null || isOutage(error)) break;
        await this.recordFailure(failed, error);
        rest = rest.filter((row) => row.id !== failed);
      }
    }
    const done = await Promise.all(
      rest.map((row) =>
        this.runOutboxRow(row).then(
          () => row.id,
          () => null,
        ),
      ),
    );
    return new Set(done.filter((id) => id !== null));
  }

  /**
   * Plain statements: every transition's side effects pass here once. The row is marked done first, by a
   * statement that finds it only while it is neither done nor parked (on MySQL it locks the row, so a worker
   * running the same row waits, then finds it done); should the processor fail, the transaction takes the mark
   * back with the rest. A row the dispatcher did not claim itself (a Bull job's) is read first.
   */
  private async runRow(m: EntityManager, target: number | ClaimedRow): Promise<OutboxOutcome> {
    const row = typeof target === 'number' ? await this.readRow(m, target) : target;
    if (!row) return 'skipped';
    const { id } = row;
    const marked = await write(
      m,
      'UPDATE `outbox` SET `done_at` = ?, `claimed_until` = NULL, `last_error` = NULL WHERE `id` = ? AND `done_at` IS NULL AND `parked_at` IS NULL',
      [this.clock.now().toISOString(), id],
    );
    if (!marked.affected) return 'skipped';
    await this.run(row.queue, row.kind, { ...row.payload, outboxId: id });
    return 'done';
  }

  /** An outbox row's queue, kind and payload, or null when it is gone. */
  private async readRow(m: EntityManager, id: number): Promise<ClaimedRow | null> {
    const [row]: { queue: string; kind: string; payload: string }[] = await select(
      m,
      'SELECT `queue`, `kind`, `payload` FROM `outbox` WHERE `id` = ?',
      [id],
    );
    return row ? { id, queue: row.queue, kind: row.kind, payload: JSON.parse(row.payload) as Record<string, unknown> } : null;
  }

  /**
   * Attempts, backoff and error on the row. An outage (the database, a lock timeout) never parks a row:
   * after hours of it the row is simply tried again. Any other error, `parkAfter` times, parks it.
   * When the database itself is gone nothing can be written: the row's lease runs out and it comes back.
   */
  private async recordFailure(id: number, error: unknown): Promise<void> {
    const outage = isOutage(error);
    const message = String((error as Error)?.message ?? error).slice(0, 2000);
    try {
      await this.db.transaction(async (m) => {
        const row = await this.db.findForUpdate(m, OutboxRow, { where: { id } });
        if (!row || row.doneAt !== null) return;
        const attempts = row.attempts + 1;
        const now = this.clock.now();
        const park = !outage && attempts >= this.timing.parkAfter;
        await m.update(
          OutboxRow,
          { id },
          {
            attempts,
            availableAt: new Date(now.getTime() + backoffMs(attempts)).toISOString(),
            claimedUntil: null,
            lastError: message,
            parkedAt: park ? now.toISOString() : null,
          },
        );
        const facts = { outboxId: id, queue: row.queue, kind: row.kind, attempts, err: message };
        if (park)
          this.logger.error(
            facts,
            `Outbox row ${id} parked after ${attempts} failed attempts; it waits for a person (GET /api/jobs/outbox)`,
          );
        else if (attempts >= ALERT_AFTER) this.logger.error(facts, `Outbox row ${id} still failing after ${attempts} attempts; retrying`);
        else if (!outage) this.logger.warn(facts, 'Outbox row failed; will retry');
      });
    } catch (failure) {
      // The database is gone (its outage is logged once); the lease brings the row back.
      if (!(failure instanceof ServiceUnavailableError))
        this.logger.error({ outboxId: id, err: failure }, 'Could not record a failed outbox row');
    }
  }
}

/** The database's failure, not the row's: it never parks a row. */
function isOutage(error: unknown): boolean {
  return error instanceof ServiceUnavailableError || databaseUnavailable(error) || isTransient(error);
}

function isTransient(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
}
