import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { canonicalJson } from '../audit/canonical-json';
import { ConflictError, RuleViolationError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { IdempotencyKey } from './idempotency-key.entity';

/** A claim left pending this long belonged to a request that died; another may take the key over. */
const ABANDONED_AFTER_MS = 60_000;

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * Idempotency-Key per user: the first successful response is stored in the same transaction as the
 * change and replayed for the same key and body; a refused request releases its key (it changed nothing).
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly db: DatabaseService) {}

  requestHash(scope: unknown): string {
    return createHash('sha256').update(canonicalJson(scope)).digest('hex');
  }

  /** Claims the key, or returns the response stored for it. */
  async claim(userId: number, key: string, requestHash: string, now: Date): Promise<StoredResponse | null> {
    return this.db.transaction(async (m) => {
      const existing = await this.db.findForUpdate(m, IdempotencyKey, { where: { userId, key } });
      if (!existing) {
        await m.insert(IdempotencyKey, {
          userId,
          key,
          requestHash,
          status: 'pending',
          responseStatus: null,
          responseBody: null,
          createdAt: now.toISOString(),
        });
        return null;
      }
      if (existing.requestHash !== requestHash) {
        throw new RuleViolationError(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was already used for a different request; use a new key.',
        );
      }
      if (existing.status === 'done') return { status: existing.responseStatus ?? 200, body: JSON.parse(existing.responseBody ?? 'null') };
      if (now.getTime() - new Date(existing.createdAt).getTime() < ABANDONED_AFTER_MS) {
        throw new ConflictError(
          'IDEMPOTENCY_KEY_IN_FLIGHT',
          'A request with this Idempotency-Key is still being processed; try again shortly.',
        );
      }
      await m.update(IdempotencyKey, { id: existing.id }, { createdAt: now.toISOString() });
      return null;
    });
  }

  /** Stores the response inside the transaction that made the change. */
  async complete(m: EntityManager, userId: number, key: string, response: StoredResponse): Promise<void> {
    await m.update(
      IdempotencyKey,
      { userId, key },
      { status: 'done', responseStatus: response.status, responseBody: JSON.stringify(response.body) },
    );
  }

  async release(userId: number, key: string): Promise<void> {
    await this.db.transaction((m) => m.delete(IdempotencyKey, { userId, key, status: 'pending' }));
  }
}
