import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EntityManager, In, IsNull, LessThan } from 'typeorm';
import type { Lang } from '../../workflows';
import type { RequestUser } from '../identity/current-user.decorator';
import { NotFoundError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { Role, User } from '../identity/user.entity';
import { Notification } from './notification.entity';
import { NoticeParams, renderNotice } from './notification-text';

/** A notice to create: what it is made of (params, rendered per reader), or a fixed Chinese text. */
export type NewNotification = {
  userId: number;
  pairingId: number | null;
  kind: string;
  /** The pairing event it tells of. */
  seq?: number | null;
  /** It asks the reader to act; it is marked done when the pairing moves on. */
  needsAction?: boolean;
  /** Unique per effect: a replayed job finds it and adds nothing. */
  dedupeKey: string;
} & ({ params: NoticeParams } | { title: string; body: string });

/** A reminder before a task falls due, or the notice that it is overdue: asks the reader to act. */
export function deadlineNotice(
  kind: 'REMINDER' | 'OVERDUE',
  userId: number,
  pairing: { id: number; code: string; title: string },
  due: { task: string | null; quarter: number | null; dueOn: string },
  dedupeKey: string,
): NewNotification {
  return {
    userId,
    pairingId: pairing.id,
    kind,
    params: { code: pairing.code, title: pairing.title, task: due.task, quarter: due.quarter, dueOn: due.dueOn },
    needsAction: true,
    dedupeKey,
  };
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
    const fresh = notifications.filter((n, i) => !existing.has(n.dedupeKey) && keys.indexOf(n.dedupeKey) === i).map((n) => this.row(n));
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

  /**
   * The pairing moved on at `seq`: what its earlier notices asked for is done (someone did it, or the step is
   * gone). Idempotent, so a replayed job changes nothing more.
   */
  async markDone(m: EntityManager, pairingId: number, seq: number, eventAt: string): Promise<void> {
    const now = this.clock.now().toISOString();
    const open = { pairingId, needsAction: true, doneAt: IsNull() };
    await m.update(Notification, { ...open, seq: LessThan(seq) }, { doneAt: now });
    // Deadline notices carry no seq: those sent before the step was taken were about it.
    await m.update(Notification, { ...open, seq: IsNull(), createdAt: LessThan(eventAt) }, { doneAt: now });
  }

  private row(n: NewNotification): Omit<Notification, 'id'> {
    const text = 'params' in n ? renderNotice(n.kind, n.params, 'zh') : { title: n.title, body: n.body };
    return {
      userId: n.userId,
      pairingId: n.pairingId,
      kind: n.kind,
      title: text.title.slice(0, 200),
      body: text.body,
      params: 'params' in n ? n.params : null,
      seq: n.seq ?? null,
      needsAction: n.needsAction ?? false,
      dedupeKey: n.dedupeKey,
      createdAt: this.clock.now().toISOString(),
      readAt: null,
      doneAt: null,
    };
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

  /**
   * The reader's notices, newest first, in their language. `unread` counts those still calling for attention:
   * not read, and not about something already done.
   */
  list(user: RequestUser, unreadOnly: boolean, limit: number, lang: Lang) {
    return this.db.read(async (m) => {
      const attention = { userId: user.id, readAt: IsNull(), doneAt: IsNull() };
      const rows = await m.find(Notification, {
        where: unreadOnly ? attention : { userId: user.id },
        order: { id: 'DESC' },
        take: limit,
      });
      const unread = await m.count(Notification, { where: attention });
      return {
        unread,
        items: rows.map(({ id, pairingId, kind, title, body, params, needsAction, createdAt, readAt, doneAt }) => ({
          id,
          pairingId,
          kind,
          ...(params ? renderNotice(kind, params, lang) : { title, body }),
          comment: params?.comment ?? null,
          needsAction,
          done: doneAt !== null,
          doneAt,
          createdAt,
          readAt,
          read: readAt !== null,
        })),
      };
    });
  }

  /** Marks every notice of the reader read; returns how many were unread. */
  markAllRead(user: RequestUser) {
    return this.db.transaction(async (m) => {
      const result = await m.update(Notification, { userId: user.id, readAt: IsNull() }, { readAt: this.clock.now().toISOString() });
      return { read: result.affected ?? 0 };
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
