import Decimal from 'decimal.js';
import {
  ACTIVITY_KINDS,
  ActivityKind,
  isQuarterInPlan,
  isQuarterOverdue as overdueByTheRule,
  APPROVED_OR_TERMINATED_STATES,
  APPROVED_STATES,
  PairingState,
  QuarterScore,
  quarterRequirementsMet,
  reportDueDate,
  round2,
} from '../../workflows';

/**
 * 每季一通报: the quarterly bulletin, as pure functions of what the database holds.
 * The service loads the rows; everything that decides what a row says lives here.
 */

/** `not_in_plan`: the quarter lies before the plan's first quarter (or no plan is accepted yet), so it owes no report. */
export type ReportStatus = 'none' | 'submitted' | 'scored' | 'returned' | 'not_in_plan';

/** Which states the bulletin may list; terminated ones still need the approval check. */
export const BULLETIN_STATES = APPROVED_OR_TERMINATED_STATES;

export function belongsInBulletin(state: PairingState, everApproved: boolean): boolean {
  return APPROVED_STATES.includes(state) || (state === 'terminated' && everApproved);
}

export interface BulletinPairing {
  id: number;
  year: number;
  code: string;
  title: string;
  state: PairingState;
  leadBranchId: number;
  coBranchIds: number[];
  partnerIds: number[];
  quarterScores: QuarterScore[];
  /** From the pairing's workflow snapshot. */
  startQuarter: number | null;
  planAcceptedOn: string | null;
  overdueQuarters: number[];
}

export interface BulletinActivity {
  pairingId: number;
  kind: ActivityKind;
  /** 双方确认: a partner of the pairing confirmed it took part (SPEC §12). */
  confirmed?: boolean;
}

export interface BulletinReport {
  id: number;
  pairingId: number;
  status: 'submitted' | 'scored' | 'approved' | 'returned';
  requirementsMet: boolean;
  submittedAt: string;
}

export interface BulletinInput {
  year: number;
  quarter: number;
  /** YYYY-MM-DD in APP_TIMEZONE. */
  today: string;
  pairings: BulletinPairing[];
  /** Non-void activities counting in this quarter. */
  activities: BulletinActivity[];
  /** Reports of this quarter, any status. */
  reports: BulletinReport[];
  branchNames: ReadonlyMap<number, string>;
  partnerNames: ReadonlyMap<number, string>;
}

export type ActivityCounts = Record<ActivityKind, number>;

export interface BulletinRow {
  pairingId: number;
  code: string;
  title: string;
  leadBranchId: number;
  leadBranchName: string;
  coBranchIds: number[];
  coBranchNames: string[];
  partnerIds: number[];
  partnerNames: string[];
  state: PairingState;
  terminated: boolean;
  activities: ActivityCounts;
  activityCount: number;
  /** Of those, the activities a partner confirmed (双方确认). */
  confirmedActivities: number;
  jointMeetingHeld: boolean;
  activityDayHeld: boolean;
  reportStatus: ReportStatus;
  reportSubmitted: boolean;
  reportSubmittedAt: string | null;
  /** The report's own flag once one stands; before that, whether the quarter has both required activities. */
  requirementsMet: boolean;
  score: number | null;
  reportDueDate: string;
  overdue: boolean;
}

export interface BulletinTotals {
  pairings: number;
  terminated: number;
  activities: ActivityCounts;
  activityCount: number;
  confirmedActivities: number;
  jointMeetingHeld: number;
  activityDayHeld: number;
  reportsSubmitted: number;
  requirementsMet: number;
  scored: number;
  /** Mean of the quarter scores given, half-up to two decimals; null when none. */
  averageScore: number | null;
  overdue: number;
}

export const emptyActivityCounts = (): ActivityCounts => Object.fromEntries(ACTIVITY_KINDS.map((kind) => [kind, 0])) as ActivityCounts;

const nameOf = (names: ReadonlyMap<number, string>, id: number) => names.get(id) ?? `#${id}`;

/** Orders GJ-2026-9 before GJ-2026-10. */
const CODE_ORDER = new Intl.Collator('en', { numeric: true });
export const byCode = (a: { code: string }, b: { code: string }) => CODE_ORDER.compare(a.code, b.code);

/** The newest report of the quarter decides its status; a returned one reopens the quarter. */
export function reportStatusOf(latest: BulletinReport | undefined): ReportStatus {
  if (!latest) return 'none';
  if (latest.status === 'approved') return 'scored';
  return latest.status;
}

/**
 * Overdue, by the one rule (workflows/quarters.ts): flagged by QUARTER_OVERDUE, or unreported past its
 * due date while the pairing still owes reports; `reported` is what the bulletin's report rows say.
 */
export function isQuarterOverdue(pairing: BulletinPairing, quarter: number, reported: boolean, today: string): boolean {
  const context = { ...pairing, reportedThrough: reported ? quarter : quarter - 1 };
  return overdueByTheRule(context, pairing.state, quarter, today);
}

export function bulletinRow(
  pairing: BulletinPairing,
  input: Pick<BulletinInput, 'quarter' | 'today' | 'branchNames' | 'partnerNames'>,
  activities: readonly BulletinActivity[],
  reports: readonly BulletinReport[],
): BulletinRow {
  const { quarter } = input;
  const counts = emptyActivityCounts();
  for (const activity of activities) if (activity.kind in counts) counts[activity.kind] += 1;
  const latest = [...reports].sort((a, b) => a.id - b.id).pop();
  const inPlan = isQuarterInPlan(pairing, quarter);
  const reportStatus = !latest && !inPlan ? 'not_in_plan' : reportStatusOf(latest);
  const reportStands = reportStatus === 'submitted' || reportStatus === 'scored';
  const score = pairing.quarterScores.find((s) => s.quarter === quarter)?.score ?? null;
  const jointMeetingHeld = counts.joint_meeting > 0;
  const activityDayHeld = counts.activity_day > 0;
  return {
    pairingId: pairing.id,
    code: pairing.code,
    title: pairing.title,
    leadBranchId: pairing.leadBranchId,
    leadBranchName: nameOf(input.branchNames, pairing.leadBranchId),
    coBranchIds: pairing.coBranchIds,
    coBranchNames: pairing.coBranchIds.map((id) => nameOf(input.branchNames, id)),
    partnerIds: pairing.partnerIds,
    partnerNames: pairing.partnerIds.map((id) => nameOf(input.partnerNames, id)),
    state: pairing.state,
    terminated: pairing.state === 'terminated',
    activities: counts,
    activityCount: Object.values(counts).reduce((sum, n) => sum + n, 0),
    confirmedActivities: activities.filter((a) => a.confirmed).length,
    jointMeetingHeld,
    activityDayHeld,
    reportStatus,
    reportSubmitted: reportStands,
    reportSubmittedAt: reportStands ? latest!.submittedAt : null,
    requirementsMet: reportStands
      ? latest!.requirementsMet
      : quarterRequirementsMet({ jointMeetings: counts.joint_meeting, activityDays: counts.activity_day }),
    score,
    reportDueDate: reportDueDate(pairing.year, quarter),
    overdue: isQuarterOverdue(pairing, quarter, reportStands || score !== null, input.today),
  };
}

export function bulletinTotals(rows: readonly BulletinRow[]): BulletinTotals {
  const activities = emptyActivityCounts();
  for (const row of rows) for (const kind of ACTIVITY_KINDS) activities[kind] += row.activities[kind];
  const scores = rows.map((r) => r.score).filter((s): s is number => s !== null);
  const count = (pick: (r: BulletinRow) => boolean) => rows.filter(pick).length;
  return {
    pairings: rows.length,
    terminated: count((r) => r.terminated),
    activities,
    activityCount: rows.reduce((sum, r) => sum + r.activityCount, 0),
    confirmedActivities: rows.reduce((sum, r) => sum + r.confirmedActivities, 0),
    jointMeetingHeld: count((r) => r.jointMeetingHeld),
    activityDayHeld: count((r) => r.activityDayHeld),
    reportsSubmitted: count((r) => r.reportSubmitted),
    requirementsMet: count((r) => r.requirementsMet),
    scored: scores.length,
    averageScore: scores.length ? round2(Decimal.sum(...scores.map(String)).div(scores.length)) : null,
    overdue: count((r) => r.overdue),
  };
}

/** Rows (ordered by code) and totals for the pairings given; the caller has already chosen which ones. */
export function buildBulletin(input: BulletinInput): { rows: BulletinRow[]; totals: BulletinTotals } {
  const activitiesOf = groupBy(input.activities, (a) => a.pairingId);
  const reportsOf = groupBy(input.reports, (r) => r.pairingId);
  const rows = [...input.pairings].sort(byCode).map((p) => bulletinRow(p, input, activitiesOf.get(p.id) ?? [], reportsOf.get(p.id) ?? []));
  return { rows, totals: bulletinTotals(rows) };
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
