import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EntityManager, In, IsNull } from 'typeorm';
import type { RequestUser } from '../identity/current-user.decorator';
import { NotFoundError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { Role, User } from '../identity/user.entity';
import { Notification } from './notification.entity';

export interface NewNotification {
  userId: number;
  pairingId: number | null;
  kind: string;
  title: string;
  body: string;
  /** Unique per effect: a replayed job finds it and adds nothing. */
  dedupeKey: string;
}

@Injectable()
export class NotificationsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
  ) {}

  /** Inserts those not yet there; returns how many were new. */
  async deliver(m: EntityManager, notifications: NewNotification[]): Promise<number> {
    if (!notifications.length) return 0;
    const keys = notifications.map((n) => n.dedupeKey);
    const existing = new Set(
      (await m.find(Notification, { select: { dedupeKey: true }, where: { dedupeKey: In(keys) } })).map((n) => n.dedupeKey),
    );
    const fresh = notifications
      .filter((n, i) => !existing.has(n.dedupeKey) && keys.indexOf(n.dedupeKey) === i)
      .map((n) => ({ ...n, createdAt: this.clock.now().toISOString(), readAt: null }));
    if (!fresh.length) return 0;
    try {
      await m.insert(Notification, fresh);
      return fresh.length;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // Another worker ran the same job at this moment and committed first (MySQL: only the failed statement
    // was rolled back). Keep what it did not create, one row at a time, instead of failing the job.
    let created = 0;
    for (const row of fresh) {
      try {
        await m.insert(Notification, row);
        created++;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return created;
  }

  /** Active users holding a role, e.g. every committee member. */
  usersWithRole(m: EntityManager, role: Role): Promise<User[]> {
    return m
      .createQueryBuilder(User, 'u')
      .where('u.active = :active', { active: true })
      .andWhere('u.roles LIKE :role', { role: `%"${role}"%` })
      .getMany();
  }

  /** Every active secretary of a branch: nothing is orphaned when one leaves. */
  secretariesOf(m: EntityManager, branchId: number): Promise<User[]> {
    return m
      .createQueryBuilder(User, 'u')
      .where('u.active = :active AND u.branch_id = :branchId', { active: true, branchId })
      .andWhere('u.roles LIKE :role', { role: '%"secretary"%' })
      .getMany();
  }

  list(user: RequestUser, unreadOnly: boolean, limit: number) {
    return this.db.read(async (m) => {
      const rows = await m.find(Notification, {
        where: { userId: user.id, ...(unreadOnly ? { readAt: IsNull() } : {}) },
        order: { id: 'DESC' },
        take: limit,
      });
      const unread = await m.count(Notification, { where: { userId: user.id, readAt: IsNull() } });
      return {
        unread,
        items: rows.map(({ id, pairingId, kind, title, body, createdAt, readAt }) => ({
          id,
          pairingId,
          kind,
          title,
          body,
          createdAt,
          readAt,
          read: readAt !== null,
        })),
      };
    });
  }

  markRead(user: RequestUser, id: number) {
    return this.db.transaction(async (m) => {
      const row = await m.findOne(Notification, { where: { id, userId: user.id } });
      if (!row) throw new NotFoundError('The notification');
      if (!row.readAt) await m.update(Notification, { id }, { readAt: this.clock.now().toISOString() });
      return { id, read: true };
    });
  }
}

/** A unique key refused the row (MySQL ER_DUP_ENTRY, SQLite SQLITE_CONSTRAINT_UNIQUE). */
function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
