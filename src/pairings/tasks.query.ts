import { Injectable } from '@nestjs/common';
import type { RequestUser } from '../identity/current-user.decorator';
import { DatabaseService } from '../database/database.service';
import { Task } from '../tasks/task.entity';
import { Pairing } from '../workflow-engine/pairing.entity';

/** GET /api/tasks: what waits on this user now. */
@Injectable()
export class TasksQuery {
  constructor(private readonly db: DatabaseService) {}

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
