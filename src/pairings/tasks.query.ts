import { Inject, Injectable } from '@nestjs/common';
import type { RequestUser } from '../identity/current-user.decorator';
import { DatabaseService } from '../database/database.service';
import { PairingContext } from '../../workflows';
import { Clock, dateIn } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { isTaskOverdue } from '../workflow-engine/open-task';
import { Pairing } from '../workflow-engine/pairing.entity';

/** GET /api/tasks: what waits on this user now (each pairing's open task lives on its row). */
@Injectable()
export class TasksQuery {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The committee's decisions, and what pairings led by a secretary's own branch wait on them for. */
  async forUser(user: RequestUser) {
    const waiting: string[] = [];
    if (user.roles.includes('committee')) waiting.push("p.task_waits_on = 'committee'");
    if (user.roles.includes('secretary') && user.branchId !== null)
      waiting.push("(p.task_waits_on = 'secretary' AND p.lead_branch_id = :branch)");
    if (!waiting.length) return [];
    return this.db.read(async (m) => {
      const rows: Record<string, unknown>[] = await m
        .createQueryBuilder(Pairing, 'p')
        .select([
          'p.id AS pairingId',
          'p.code AS code',
          'p.title AS title',
          'p.task_kind AS kind',
          'p.state AS state',
          'p.task_waits_on AS waitsOn',
          'p.quarter AS quarter',
          'p.task_since AS since',
          'p.task_due_at AS dueAt',
          'p.snapshot AS snapshot',
        ])
        .where('p.task_kind IS NOT NULL')
        .andWhere(`(${waiting.join(' OR ')})`, { branch: user.branchId })
        .orderBy('p.task_due_at IS NULL', 'ASC')
        .addOrderBy('p.task_due_at', 'ASC')
        .addOrderBy('p.id', 'ASC')
        .getRawMany();
      const now = this.clock.now();
      const today = dateIn(this.config.timezone, now);
      return rows.map((r) => {
        const task = {
          taskKind: r.kind as Pairing['taskKind'],
          taskDueAt: (r.dueAt as string | null) ?? null,
          quarter: r.quarter === null ? null : Number(r.quarter),
        };
        const { context } = JSON.parse(r.snapshot as string) as { context: PairingContext };
        return {
          pairingId: Number(r.pairingId),
          code: r.code,
          title: r.title,
          kind: r.kind,
          state: r.state,
          waitsOn: r.waitsOn,
          quarter: task.quarter,
          since: r.since,
          dueAt: task.taskDueAt,
          // The server's judgement, so every screen says the same (a past due date alone is not overdue).
          overdue: isTaskOverdue(task, context, now.toISOString(), today),
        };
      });
    });
  }
}
