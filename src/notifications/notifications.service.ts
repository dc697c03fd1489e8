import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EntityManager, IsNull } from 'typeorm';
import type { Lang } from '../../workflows';
import type { RequestUser } from '../identity/current-user.decorator';
import { NotFoundError } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import type { Role } from '../identity/user.entity';
import { select, write, writeLater } from '../database/sql';
import { Notification } from './notification.entity';
import { NoticeParams, renderNotice } from './notification-text';

/**
 * A pairing's notices that asked for an action before the given event (by its seq, or, for notices of no event,
 * its time), found by `ix_notification_pairing_open`: asked on every transition. A plain read, then an update by
 * id: a locking scan of that index would lock its gaps on MySQL, and the processors of two events of one pairing,
 * each inserting its notices into them, would deadlock.
 */
export const ANSWERED_NOTICES =
  'SELECT `id`, `params` FROM `notification` WHERE `pairing_id` = ? AND `needs_action` = 1 AND `done_at` IS NULL ' +
  'AND ((`seq` IS NOT NULL AND `seq` < ?) OR (`seq` IS NULL AND `created_at` < ?)) ORDER BY `id`';

/** The task a stored notice asks for, if any. */
function taskOfNotice(params: string | null): string | null {
  return params === null ? null : ((JSON.parse(params) as NoticeParams).task ?? null);
}

/** Whom a notice goes to. */
export interface Recipient {
  id: number;
}

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

/** A notice asking a partner's user to act: for which partner, the task it asks, and the event that asked it. */
export interface PartnerAsk {
  id: number;
  seq: number | null;
  partnerId: number;
  task: string | null;
}

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

  /**
   * Inserts those not yet there, in one statement; returns how many were new. The unique dedupe key decides:
   * a replayed job, or another worker running the same job at this moment, adds nothing.
   */
  async deliver(m: EntityManager, notifications: NewNotification[]): Promise<number> {
    const seen = new Set<string>();
    const fresh = notifications.filter((n) => !seen.has(n.dedupeKey) && seen.add(n.dedupeKey)).map((n) => this.row(n));
    if (!fresh.length) return 0;
    const values = fresh.flatMap((r) => [
      r.userId,
      r.userId,
      r.pairingId,
      r.kind,
      r.title,
      r.body,
      r.params === null ? null : JSON.stringify(r.params),
      r.seq,
      r.needsAction ? 1 : 0,
      r.dedupeKey,
      r.createdAt,
    ]);
    // A notice belongs to its reader's court.
    const rows = fresh.map(() => '((SELECT `court_id` FROM `user` WHERE `id` = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    // Each engine's own "insert unless the key is taken", counting only the rows inserted. (MySQL's ON DUPLICATE
    // KEY UPDATE would count a taken key as a row found; IGNORE is safe here: the values are ours and valid.)
    const mysql = this.db.engine === 'mysql';
    const result = await write(
      m,
      `INSERT ${mysql ? 'IGNORE ' : ''}INTO \`notification\` (\`court_id\`, \`user_id\`, \`pairing_id\`, \`kind\`, \`title\`, \`body\`, \`params\`, \`seq\`, \`needs_action\`, \`dedupe_key\`, \`created_at\`) ` +
        `VALUES ${rows}${mysql ? '' : ' ON CONFLICT (`dedupe_key`) DO NOTHING'}`,
      values,
    );
    return result.affected ?? 0;
  }

  /**
   * The pairing moved on at `seq`: what its earlier notices asked for is done (someone did it, or the step is
   * gone) — those of earlier events, and deadline notices (which carry no seq) sent before the step was taken.
   * A partner's task outlives steps (SPEC §12: it can countersign or confirm while the year runs on): a notice
   * asking for one the step still takes (`stillAsked`) stays open, and is done once that partner did it.
   * Idempotent, so a replayed job changes nothing more.
   */
  async markDone(m: EntityManager, pairingId: number, seq: number, eventAt: string, stillAsked: ReadonlySet<string>): Promise<void> {
    const answered: { id: number | string; params: string | null }[] = await select(m, ANSWERED_NOTICES, [pairingId, seq, eventAt]);
    const open = (row: { params: string | null }) => {
      const task = taskOfNotice(row.params);
      return task !== null && stillAsked.has(task);
    };
    await this.markDoneByIds(
      m,
      answered.filter((row) => !open(row)).map((row) => Number(row.id)),
    );
  }

  /** The notices of a pairing still asking a partner's users to act, each with that user's partner and the task it asks. */
  async openPartnerAsks(m: EntityManager, pairingId: number): Promise<PartnerAsk[]> {
    const rows: { id: number | string; seq: number | string | null; params: string | null; partnerId: number | string }[] = await select(
      m,
      'SELECT n.`id` AS `id`, n.`seq` AS `seq`, n.`params` AS `params`, u.`partner_id` AS `partnerId` FROM `notification` n ' +
        'JOIN `user` u ON u.`id` = n.`user_id` WHERE n.`pairing_id` = ? AND n.`needs_action` = 1 AND n.`done_at` IS NULL ' +
        'AND u.`partner_id` IS NOT NULL',
      [pairingId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      seq: r.seq === null ? null : Number(r.seq),
      partnerId: Number(r.partnerId),
      task: taskOfNotice(r.params),
    }));
  }

  /** What these notices asked is done, with the transaction's next statement (`writeLater`). Idempotent: a notice done already keeps its time. */
  async markDoneByIds(m: EntityManager, ids: number[]): Promise<void> {
    if (!ids.length) return;
    await writeLater(
      m,
      `UPDATE \`notification\` SET \`done_at\` = ? WHERE \`done_at\` IS NULL AND \`id\` IN (${ids.map(() => '?').join(', ')})`,
      [this.clock.now().toISOString(), ...ids],
    );
  }

  private row(n: NewNotification): Omit<Notification, 'id' | 'courtId'> {
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

  /** Active users of a court holding a role, e.g. every committee member of the pairing's court. */
  usersWithRole(m: EntityManager, courtId: number, role: Role): Promise<Recipient[]> {
    return this.ids(m, 'SELECT `id` FROM `user` WHERE `court_id` = ? AND `active` = 1 AND `roles` LIKE ? ORDER BY `id`', [
      courtId,
      `%"${role}"%`,
    ]);
  }

  /** Every active secretary of a branch: nothing is orphaned when one leaves. */
  secretariesOf(m: EntityManager, branchId: number): Promise<Recipient[]> {
    return this.ids(m, 'SELECT `id` FROM `user` WHERE `active` = 1 AND `branch_id` = ? AND `roles` LIKE ? ORDER BY `id`', [
      branchId,
      '%"secretary"%',
    ]);
  }

  /** Every active user who speaks for one of these partners (SPEC §12). */
  partnerUsersOf(m: EntityManager, partnerIds: number[]): Promise<Recipient[]> {
    if (!partnerIds.length) return Promise.resolve([]);
    return this.ids(
      m,
      `SELECT \`id\` FROM \`user\` WHERE \`active\` = 1 AND \`roles\` LIKE ? AND \`partner_id\` IN (${partnerIds.map(() => '?').join(', ')}) ORDER BY \`id\``,
      ['%"partner"%', ...partnerIds],
    );
  }

  /** One active user, or none. */
  async activeUser(m: EntityManager, id: number): Promise<Recipient | null> {
    const [found] = await this.ids(m, 'SELECT `id` FROM `user` WHERE `id` = ? AND `active` = 1', [id]);
    return found ?? null;
  }

  /** Each question once per transaction: a batch of outbox rows asks for the same committee again and again. */
  private ids(m: EntityManager, sql: string, params: unknown[]): Promise<Recipient[]> {
    return this.db.once(`recipients ${sql} ${JSON.stringify(params)}`, async () => {
      const rows: { id: number | string }[] = await select(m, sql, params);
      return rows.map((r) => ({ id: Number(r.id) }));
    });
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
