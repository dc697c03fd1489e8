import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull } from 'typeorm';
import { PairingSnapshot, reportDueDate, stateMeta, stateString, TaskDue } from '../../workflows';
import { endOfDay } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Task } from './task.entity';

/** Writes what each pairing waits for, from whom and by when; called inside the transition's transaction. */
@Injectable()
export class TasksService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Closes the pairing's open task when what it waits for changed, and opens the one its new state declares. */
  async sync(m: EntityManager, pairing: { id: number; year: number }, snapshot: PairingSnapshot, now: string): Promise<void> {
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
}
