import { Injectable } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { CourtScope } from '../identity/court-scope';
import { OutboxRow } from './outbox.entity';

export interface OutboxSummary {
  /** Rows whose effect is not recorded yet, parked ones aside. */
  pending: number;
  /** Rows that failed so often (not for an outage) that they wait for a person. */
  parked: number;
  /** When the oldest pending row was written (null: none pending). */
  oldestPendingSince: string | null;
}

/** What the outbox holds, for the health check and the administrator; and bringing a parked row back. */
@Injectable()
export class OutboxStatus {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
  ) {}

  /** The installation's outbox (health), or a court's (its admin). */
  summary(scope?: CourtScope): Promise<OutboxSummary> {
    return this.db.read(async (m) => {
      const open = m.createQueryBuilder(OutboxRow, 'o').where('o.done_at IS NULL');
      if (scope) open.andWhere(...scope.qb('o'));
      const pending = await open
        .clone()
        .andWhere('o.parked_at IS NULL')
        .select('COUNT(*)', 'n')
        .addSelect('MIN(o.created_at)', 'oldest')
        .getRawOne();
      const parked = await open.clone().andWhere('o.parked_at IS NOT NULL').getCount();
      return { pending: Number(pending?.n ?? 0), parked, oldestPendingSince: pending?.oldest ?? null };
    });
  }

  parkedRows(scope: CourtScope) {
    return this.db.read(async (m) => {
      const rows = await m.find(OutboxRow, {
        where: { ...scope.where(), doneAt: IsNull(), parkedAt: Not(IsNull()) },
        order: { id: 'ASC' },
        take: 200,
      });
      return rows.map(({ id, queue, kind, payload, createdAt, attempts, lastError, parkedAt }) => ({
        id,
        queue,
        kind,
        payload,
        createdAt,
        attempts,
        lastError,
        parkedAt,
      }));
    });
  }

  /** After the cause is fixed: the parked row is due again, with a fresh count of attempts. */
  retry(scope: CourtScope, id: number) {
    return this.db.transaction(async (m) => {
      const row = await this.db.findForUpdate(m, OutboxRow, { where: { ...scope.where(), id, doneAt: IsNull(), parkedAt: Not(IsNull()) } });
      if (!row) throw new NotFoundError('The parked outbox row');
      const now = this.clock.now().toISOString();
      await m.update(OutboxRow, { id }, { parkedAt: null, attempts: 0, availableAt: now, claimedUntil: null });
      return { id, parked: false, availableAt: now };
    });
  }
}
