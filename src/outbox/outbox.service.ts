import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { write } from '../database/sql';

/**
 * Side effects are promised here, inside the transaction that causes them, and carried out after commit.
 * One plain statement: every transition writes one of these.
 */
@Injectable()
export class OutboxService {
  async add(m: EntityManager, courtId: number, queue: string, kind: string, payload: Record<string, unknown>, now: string): Promise<void> {
    await write(
      m,
      'INSERT INTO `outbox` (`court_id`, `queue`, `kind`, `payload`, `created_at`, `available_at`, `attempts`) VALUES (?, ?, ?, ?, ?, ?, 0)',
      [courtId, queue, kind, JSON.stringify(payload), now, now],
    );
  }
}
