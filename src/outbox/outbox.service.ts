import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxRow } from './outbox.entity';

/** Side effects are promised here, inside the transaction that causes them, and carried out after commit. */
@Injectable()
export class OutboxService {
  async add(m: EntityManager, queue: string, kind: string, payload: Record<string, unknown>, now: string): Promise<void> {
    await m.insert(OutboxRow, {
      queue,
      kind,
      payload: payload as never,
      createdAt: now,
      availableAt: now,
      attempts: 0,
      claimedUntil: null,
      dispatchedAt: null,
      doneAt: null,
      parkedAt: null,
      lastError: null,
    });
  }
}
