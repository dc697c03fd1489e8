import {
  ACTIVITY_KINDS,
  isQuarterOverdue,
  mean2,
  PAIRING_STATES,
  quarterCompliance,
  QUARTERS,
  UNDER_WAY_STATES,
  type PairingContext,
  type PairingState,
  type PairingTask,
  type QuarterCompliance,
  type QuarterScore,
  type WaitsOn,
} from '../../workflows';
import { byCode, emptyActivityCounts, type ActivityCounts, type BulletinActivity } from './bulletin';
import type { IndicatorSummary, PairingOutcomes } from './outcomes';

/**
 * The year at a glance (总览) for leaders and the committee, pure: every figure comes from the same rules
 * the bulletin and the pairing page use (quarters.ts for requirements and overdue, compliance.ts for what
 * is due, the engine's task rule for overdue decisions, indicators.ts for outcomes).
 */

export interface DashboardPairing {
  id: number;
  code: string;
  title: string;
  state: PairingState;
  leadBranchId: number;
  leadBranchName: string;
  quarterScores: QuarterScore[];
  finalScore: number | null;
  /** The workflow context from the pairing's snapshot; null when it cannot be read. */
  context: PairingContext | null;
  task: { kind: PairingTask; waitsOn: WaitsOn | null; dueAt: string | null; quarter: number | null; overdue: boolean } | null;
}

export interface DashboardActivity extends BulletinActivity {
  quarter: number;
  heldOn: string;
}

export interface DashboardInput {
  year: number;
  /** YYYY-MM-DD in APP_TIMEZONE. */
  today: string;
  pairings: readonly DashboardPairing[];
  /** Non-void activities of these pairings. */
  activities: readonly DashboardActivity[];
  outcomes: { pairings: readonly PairingOutcomes[]; indicators: IndicatorSummary[] };
}

export interface ScoreBand {
  /** Inclusive lower bound. */
  from: number;
  /** Exclusive upper bound, except the last band, which holds 100. */
  to: number;
  count: number;
}

export interface OverdueTask {
  pairingId: number;
  code: string;
  title: string;
  leadBranchName: string;
  kind: PairingTask;
  waitsOn: WaitsOn | null;
  quarter: number | null;
  dueAt: string | null;
}

export interface OverdueQuarter {
  pairingId: number;
  code: string;
  title: string;
  leadBranchName: string;
  quarter: number;
}

export interface IndicatorChange {
  pairingId: number;
  code: string;
  title: string;
  name: string;
  unit: string;
  baseline: number;
  target: number | null;
  final: number | null;
  change: number | null;
  improved: boolean | null;
  targetMet: boolean | null;
}

export interface Dashboard {
  totals: {
    pairings: number;
    /** Under way (进行中, UNDER_WAY_STATES): not the proposals, not the finished ones. */
    running: number;
    scored: number;
    activities: number;
    meanFinalScore: number | null;
    complianceRate: number | null;
    overdue: number;
  };
  byState: { state: PairingState; count: number }[];
  compliance: { quarters: QuarterCompliance[]; year: QuarterCompliance };
  activitiesByMonth: { month: number; total: number; byKind: ActivityCounts }[];
  scores: { final: ScoreBand[]; quarter: ScoreBand[] };
  indicators: { summary: IndicatorSummary[]; changes: IndicatorChange[] };
  overdue: { quarters: OverdueQuarter[]; byQuarter: { quarter: number; count: number }[]; tasks: OverdueTask[] };
}

export const SCORE_BANDS: readonly [number, number][] = [
  [0, 60],
  [60, 70],
  [70, 80],
  [80, 90],
  [90, 100],
];

export function scoreBands(scores: readonly number[]): ScoreBand[] {
  return SCORE_BANDS.map(([from, to], i) => ({
    from,
    to,
    count: scores.filter((s) => s >= from && (s < to || (i === SCORE_BANDS.length - 1 && s <= to))).length,
  }));
}

/** Pairings that run a plan the committee accepted: their quarters can be due. */
const runsAPlan = (p: DashboardPairing): p is DashboardPairing & { context: PairingContext } =>
  p.context !== null && p.context.planAcceptedOn !== null && p.context.startQuarter !== null && p.state !== 'terminated';

export function buildDashboard(input: DashboardInput): Dashboard {
  const pairings = [...input.pairings].sort(byCode);
  const activitiesOf = new Map<number, DashboardActivity[]>();
  for (const a of input.activities) activitiesOf.set(a.pairingId, [...(activitiesOf.get(a.pairingId) ?? []), a]);

  const byState = PAIRING_STATES.map((state) => ({ state, count: pairings.filter((p) => p.state === state).length })).filter(
    (s) => s.count > 0,
  );

  const compliance = quarterCompliance(
    pairings.filter(runsAPlan).map((p) => ({
      context: p.context,
      counts: (quarter: number) => {
        const held = (activitiesOf.get(p.id) ?? []).filter((a) => a.quarter === quarter);
        return {
          jointMeetings: held.filter((a) => a.kind === 'joint_meeting').length,
          activityDays: held.filter((a) => a.kind === 'activity_day').length,
        };
      },
    })),
    input.today,
  );

  const months = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, total: 0, byKind: emptyActivityCounts() }));
  for (const a of input.activities) {
    if (Number(a.heldOn.slice(0, 4)) !== input.year || !ACTIVITY_KINDS.includes(a.kind)) continue;
    const month = months[Number(a.heldOn.slice(5, 7)) - 1];
    month.byKind[a.kind] += 1;
    month.total += 1;
  }

  const finals = pairings.map((p) => p.finalScore).filter((s): s is number => s !== null);
  const quarterScores = pairings.flatMap((p) => p.quarterScores.map((s) => s.score));

  const changes = input.outcomes.pairings.flatMap((p) =>
    p.indicators.map((i) => ({
      pairingId: p.id,
      code: p.code,
      title: p.title,
      name: i.name,
      unit: i.unit,
      baseline: i.baseline,
      target: i.target,
      final: i.final,
      change: i.change,
      improved: i.improved,
      targetMet: i.targetMet,
    })),
  );

  const overdueQuarters = pairings.flatMap((p) =>
    p.context === null
      ? []
      : QUARTERS.filter((quarter) => isQuarterOverdue(p.context!, p.state, quarter, input.today)).map((quarter) => ({
          pairingId: p.id,
          code: p.code,
          title: p.title,
          leadBranchName: p.leadBranchName,
          quarter,
        })),
  );
  const overdueTasks = pairings.flatMap((p) =>
    p.task?.overdue
      ? [
          {
            pairingId: p.id,
            code: p.code,
            title: p.title,
            leadBranchName: p.leadBranchName,
            kind: p.task.kind,
            waitsOn: p.task.waitsOn,
            quarter: p.task.quarter,
            dueAt: p.task.dueAt,
          },
        ]
      : [],
  );

  return {
    totals: {
      pairings: pairings.length,
      running: pairings.filter((p) => UNDER_WAY_STATES.includes(p.state)).length,
      scored: pairings.filter((p) => p.state === 'scored').length,
      activities: months.reduce((sum, m) => sum + m.total, 0),
      meanFinalScore: mean2(finals),
      complianceRate: compliance.year.rate,
      overdue: overdueQuarters.length + overdueTasks.filter((t) => t.kind !== 'SUBMIT_QUARTER_REPORT').length,
    },
    byState,
    compliance,
    activitiesByMonth: months,
    scores: { final: scoreBands(finals), quarter: scoreBands(quarterScores) },
    indicators: { summary: input.outcomes.indicators, changes },
    overdue: {
      quarters: overdueQuarters,
      byQuarter: QUARTERS.map((quarter) => ({ quarter, count: overdueQuarters.filter((q) => q.quarter === quarter).length })),
      tasks: overdueTasks,
    },
  };
}
