import { quarterEnd, quarterStart, reportDueDate } from './calendar';
import type { PairingContext, PairingState, QuarterCounts } from './pairing.types';

/**
 * What a quarter owes and when, judged once for everyone: the machine's rules, the deadline sweep, the
 * pairing's compliance matrix, the tasks' due dates and the quarterly bulletin all ask these functions.
 */

export const QUARTERS = [1, 2, 3, 4] as const;

/** A quarter is reported while its report waits for a score or once it has been scored. */
export function isQuarterReported(context: Pick<PairingContext, 'reportedThrough'>, quarter: number): boolean {
  return context.reportedThrough !== null && quarter <= context.reportedThrough;
}

/** A quarter the accepted (or filed) plan covers: from its starting quarter to Q4. */
export function isQuarterInPlan(context: Pick<PairingContext, 'startQuarter'>, quarter: number): boolean {
  return Number.isInteger(quarter) && context.startQuarter !== null && quarter >= context.startQuarter && quarter <= 4;
}

/** A quarter of the running plan that still takes activities. */
export function isOpenQuarter(context: Pick<PairingContext, 'startQuarter' | 'reportedThrough'>, quarter: number): boolean {
  return isQuarterInPlan(context, quarter) && !isQuarterReported(context, quarter);
}

type DueContext = Pick<PairingContext, 'year' | 'startQuarter' | 'planAcceptedOn'>;

/** The day a quarter's report is due (SPEC §8: quarter end + 15 days), for the quarters the plan covers. */
export function reportDueOn(context: Pick<PairingContext, 'year' | 'startQuarter'>, quarter: number): string | null {
  return isQuarterInPlan(context, quarter) ? reportDueDate(context.year, quarter) : null;
}

/**
 * A quarter that ended before the plan was accepted is never counted against the branch (SPEC §5: no
 * QUARTER_OVERDUE for it): its report is still owed, but it is never late.
 */
export function isExemptFromOverdue(context: DueContext, quarter: number): boolean {
  return context.planAcceptedOn !== null && quarterEnd(context.year, quarter) < context.planAcceptedOn;
}

type LateContext = DueContext & Pick<PairingContext, 'reportedThrough'>;

/** The quarter of the accepted plan is unreported, its report's due date has passed, and it is not exempt. */
export function isReportLate(context: LateContext, quarter: number, today: string): boolean {
  const due = reportDueOn(context, quarter);
  return (
    due !== null &&
    context.planAcceptedOn !== null &&
    !isQuarterReported(context, quarter) &&
    !isExemptFromOverdue(context, quarter) &&
    today > due
  );
}

/** Quarters the deadline sweep should flag now: late and not flagged yet. */
export function quartersToFlag(context: LateContext & Pick<PairingContext, 'overdueQuarters'>, today: string): number[] {
  return QUARTERS.filter((quarter) => isReportLate(context, quarter, today) && !context.overdueQuarters.includes(quarter));
}

/**
 * Overdue, as every screen, report and notice says it: flagged by QUARTER_OVERDUE (it stays so once a
 * late report comes in), or late now while the pairing still owes reports (active; a terminated one owes none).
 */
export function isQuarterOverdue(
  context: LateContext & Pick<PairingContext, 'overdueQuarters'>,
  state: PairingState,
  quarter: number,
  today: string,
): boolean {
  if (context.overdueQuarters.includes(quarter)) return true;
  return state.startsWith('active.') && isReportLate(context, quarter, today);
}

/** Each quarter needs at least one joint meeting (联席会议) and one activity day (共建活动日). */
export function quarterRequirementsMet(counts: QuarterCounts): boolean {
  return counts.jointMeetings >= 1 && counts.activityDays >= 1;
}

/** Whether an activity can be recorded on some day up to today: an open quarter of the year has begun. */
export function hasOpenQuarterStarted(context: Pick<PairingContext, 'year' | 'startQuarter' | 'reportedThrough'>, today: string): boolean {
  return QUARTERS.some((quarter) => isOpenQuarter(context, quarter) && quarterStart(context.year, quarter) <= today);
}
