import { isReportLate, PairingContext, PairingSnapshot, PairingState, reportDueOn, stateMeta, TaskDue } from '../../workflows';
import { endOfDay } from '../common/clock';
import type { Pairing } from './pairing.entity';

export type TaskColumns = Pick<
  Pairing,
  'taskKind' | 'taskWaitsOn' | 'taskSince' | 'taskDueAt' | 'taskRemindedAt' | 'taskOverdueNotifiedAt'
>;

export const NO_TASK: TaskColumns = {
  taskKind: null,
  taskWaitsOn: null,
  taskSince: null,
  taskDueAt: null,
  taskRemindedAt: null,
  taskOverdueNotifiedAt: null,
};

/**
 * What the pairing waits for after a change, as its new state's meta declares it (SPEC §8). The task
 * stays the same one — since, due date and reminders kept — while the kind, state and quarter stay.
 */
export function taskAfter(
  before: Pick<Pairing, 'state' | 'quarter'> & TaskColumns,
  after: { state: PairingState; quarter: number | null; snapshot: PairingSnapshot },
  now: string,
  timezone: string,
): TaskColumns {
  const meta = stateMeta(after.snapshot);
  if (!meta) return NO_TASK;
  if (meta.task === before.taskKind && after.state === before.state && after.quarter === before.quarter) {
    const { taskKind, taskWaitsOn, taskSince, taskDueAt, taskRemindedAt, taskOverdueNotifiedAt } = before;
    return { taskKind, taskWaitsOn, taskSince, taskDueAt, taskRemindedAt, taskOverdueNotifiedAt };
  }
  return {
    ...NO_TASK,
    taskKind: meta.task,
    taskWaitsOn: meta.waitsOn,
    taskSince: now,
    taskDueAt: dueAt(meta.due, after.snapshot, after.quarter, now, timezone),
  };
}

function dueAt(due: TaskDue, snapshot: PairingSnapshot, quarter: number | null, now: string, timezone: string): string | null {
  if (!due) return null;
  if ('days' in due) return new Date(new Date(now).getTime() + due.days * 86_400_000).toISOString();
  if ('afterQuarterEnd' in due) {
    const on = quarter === null ? null : reportDueOn(snapshot.context, quarter);
    return on === null ? null : endOfDay(on, timezone);
  }
  return endOfDay(`${snapshot.context.year + 1}-01-${String(due.afterYearEnd).padStart(2, '0')}`, timezone);
}

/**
 * Whether the pairing's open task is overdue, by the one rule: a quarter report is late as
 * workflows/quarters.ts judges it (never for a quarter that ended before the plan was accepted); any other
 * task once its due instant has passed.
 */
export function isTaskOverdue(
  pairing: Pick<Pairing, 'taskKind' | 'taskDueAt' | 'quarter'>,
  context: PairingContext,
  now: string,
  today: string,
): boolean {
  if (pairing.taskKind === null || pairing.taskDueAt === null) return false;
  if (pairing.taskKind === 'SUBMIT_QUARTER_REPORT') return pairing.quarter !== null && isReportLate(context, pairing.quarter, today);
  return now > pairing.taskDueAt;
}
