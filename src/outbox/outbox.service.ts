import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { writeLater } from '../database/sql';

/**
 * Side effects are promised here, inside the transaction that causes them, and carried out after commit.
 * One plain statement: every transition writes one of these. Whoever carries them out in this process hears
 * of each commit that promised some (`onCommitted`), so that it need not wait for its next poll.
 */
@Injectable()
export class OutboxService {
  private readonly listeners = new Set<() => void>();
  private readonly committed = () => this.listeners.forEach((listener) => listener());

  constructor(private readonly db: DatabaseService) {}

  /** The row goes to the database with the transaction's next statement (`writeLater`), its COMMIT at the latest. */
  async add(m: EntityManager, courtId: number, queue: string, kind: string, payload: Record<string, unknown>, now: string): Promise<void> {
    await writeLater(
      m,
      'INSERT INTO `outbox` (`court_id`, `queue`, `kind`, `payload`, `created_at`, `available_at`, `attempts`) VALUES (?, ?, ?, ?, ?, ?, 0)',
      [courtId, queue, kind, JSON.stringify(payload), now, now],
    );
    // In a transaction not opened through DatabaseService nothing hears of its commit: the poll finds the row.
    if (this.listeners.size) this.db.afterCommit(this.committed);
  }

  /** Calls `listener` after each commit of rows added here (once per transaction); returns how to stop. */
  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
