import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull } from 'typeorm';
import { PairingSnapshot, reportDueDate, stateMeta, stateString, TaskDue } from '../../workflows';
import type { RequestUser } from '../auth/current-user.decorator';
import { endOfDay } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DatabaseService } from '../database/database.service';
import { Pairing } from '../pairings/pairing.entity';
import { Task } from './task.entity';

@Injectable()
export class TasksService {
  constructor(
    private readonly db: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Closes the pairing's open task when what it waits for changed, and opens the one its new state declares. */
  async sync(m: EntityManager, pairing: Pairing, snapshot: PairingSnapshot, now: string): Promise<void> {
    const meta = stateMeta(snapshot);
    const state = stateString(snapshot);
    const quarter = snapshot.context.quarter;
    const open = await m.find(Task, { where: { pairingId: pairing.id, closedAt: IsNull() } });
    const current = open.find((t) => meta && t.kind === meta.task && t.state === state && t.quarter === quarter);
    const stale = open.filter((t) => t !== current);
    if (stale.length) await m.update(Task, { id: In(stale.map((t) => t.id)) }, { closedAt: now });
    if (!meta || current) return;
    await m.insert(Task, {
      pairingId: pairing.id,
      kind: meta.task,
      state,
      waitsOn: meta.waitsOn,
      quarter,
      since: now,
      dueAt: this.dueAt(meta.due, pairing.year, quarter, now),
      remindedAt: null,
      overdueNotifiedAt: null,
      closedAt: null,
    });
  }

  private dueAt(due: TaskDue, year: number, quarter: number | null, now: string): string | null {
    if (!due) return null;
    if ('days' in due) return new Date(new Date(now).getTime() + due.days * 86_400_000).toISOString();
    if ('afterQuarterEnd' in due) return quarter === null ? null : endOfDay(reportDueDate(year, quarter), this.config.timezone);
    return endOfDay(`${year + 1}-01-${String(due.afterYearEnd).padStart(2, '0')}`, this.config.timezone);
  }

  /** Open tasks for this user: the committee's decisions, and what their own branch's pairings wait on them for. */
  async forUser(user: RequestUser) {
    return this.db.read(async (m) => {
      const qb = m
        .createQueryBuilder(Task, 't')
        .innerJoin(Pairing, 'p', 'p.id = t.pairing_id')
        .select([
          't.pairing_id AS pairingId',
          't.kind AS kind',
          't.state AS state',
          't.since AS since',
          't.due_at AS dueAt',
          't.quarter AS quarter',
        ])
        .addSelect(['p.code AS code', 'p.title AS title', 't.waits_on AS waitsOn'])
        .where('t.closed_at IS NULL');
      // The committee's decisions; and what pairings led by a secretary's own branch wait on them for.
      const waiting: string[] = [];
      if (user.roles.includes('committee')) waiting.push("t.waits_on = 'committee'");
      if (user.roles.includes('secretary') && user.branchId !== null)
        waiting.push("(t.waits_on = 'secretary' AND p.lead_branch_id = :branch)");
      if (!waiting.length) return [];
      qb.andWhere(`(${waiting.join(' OR ')})`, { branch: user.branchId });
      const rows: Record<string, unknown>[] = await qb
        .orderBy('t.due_at IS NULL', 'ASC')
        .addOrderBy('t.due_at', 'ASC')
        .addOrderBy('t.id', 'ASC')
        .getRawMany();
      return rows.map((r) => ({
        pairingId: Number(r.pairingId),
        code: r.code,
        title: r.title,
        kind: r.kind,
        state: r.state,
        waitsOn: r.waitsOn,
        quarter: r.quarter === null ? null : Number(r.quarter),
        since: r.since,
        dueAt: r.dueAt ?? null,
      }));
    });
  }
}
