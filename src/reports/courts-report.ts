import { isQuarterDue, isQuarterInPlan, isQuarterOverdue, PAIRING_STATES, QUARTERS, quarterRequirementsMet } from '../../workflows';
import type { PairingContext, PairingState } from '../../workflows';
import { assessedQuarters, meanScore, RankedBranch, RankedPairing, rankBranches, rankPairings } from './ranking';

/** The cross-court comparison (§11): each court's year side by side, and one ranking across them. */
export interface CourtRow {
  courtId: number;
  code: string;
  name: string;
  parentCourtId: number | null;
  pairings: number;
  byState: { state: PairingState; count: number }[];
  /** Quarters with ≥1 joint meeting and ≥1 activity day ÷ quarters due (of the quarter asked for, or the year). */
  compliance: { due: number; met: number; rate: number | null };
  /** Quarters overdue (flagged, or late now) over the court's pairings. */
  overdueQuarters: number;
  scored: number;
  /** Mean final score of the scored pairings, half-up to two decimals; null when none is scored. */
  meanFinalScore: number | null;
}

export interface CourtNamed {
  courtId: number;
  courtCode: string;
  courtName: string;
}

export interface CourtsReport {
  year: number;
  quarter: number | null;
  asOf: string;
  generatedAt: string;
  courts: CourtRow[];
  ranking: { pairings: (RankedPairing & CourtNamed)[]; branches: (RankedBranch & CourtNamed)[] };
}

export interface CourtsReportInput {
  year: number;
  quarter: number | null;
  today: string;
  courts: { id: number; code: string; name: string; parentCourtId: number | null }[];
  pairings: {
    id: number;
    courtId: number;
    code: string;
    title: string;
    state: PairingState;
    leadBranchId: number;
    finalScore: number | null;
    quarterScores: { quarter: number; score: number }[];
    context: PairingContext | null;
  }[];
  activities: { pairingId: number; kind: string; quarter: number }[];
  branchNames: Map<number, string>;
}

const rate4 = (met: number, due: number) => (due === 0 ? null : Math.round((met / due) * 10000) / 10000);

export function buildCourtsReport(input: CourtsReportInput): Omit<CourtsReport, 'asOf' | 'generatedAt'> {
  const quarters = input.quarter === null ? QUARTERS : [input.quarter];
  const held = new Map<string, { jointMeetings: number; activityDays: number }>();
  for (const a of input.activities) {
    const key = `${a.pairingId}:${a.quarter}`;
    const counts = held.get(key) ?? { jointMeetings: 0, activityDays: 0 };
    if (a.kind === 'joint_meeting') counts.jointMeetings++;
    if (a.kind === 'activity_day') counts.activityDays++;
    held.set(key, counts);
  }
  const courtOf = new Map(input.courts.map((c) => [c.id, c]));
  // One pass over the pairings, not one per court: a supervisor of many courts compares thousands of them.
  const pairingsOf = new Map<number, CourtsReportInput['pairings']>(input.courts.map((c) => [c.id, []]));
  for (const p of input.pairings) pairingsOf.get(p.courtId)?.push(p);
  const rows: CourtRow[] = input.courts.map((court) => {
    const own = pairingsOf.get(court.id) ?? [];
    let due = 0;
    let met = 0;
    let overdue = 0;
    const byState = new Map<PairingState, number>();
    for (const p of own) {
      byState.set(p.state, (byState.get(p.state) ?? 0) + 1);
      const planned = p.context;
      // Compliance counts the pairings that run an accepted plan, as the dashboard does.
      if (!planned || planned.planAcceptedOn === null || planned.startQuarter === null) continue;
      const context = planned.overdueQuarters ? planned : { ...planned, overdueQuarters: [] };
      for (const quarter of quarters) {
        if (!isQuarterInPlan(context, quarter)) continue;
        if (isQuarterOverdue(context, p.state, quarter, input.today)) overdue++;
        if (p.state === 'terminated' || !isQuarterDue(context, quarter, input.today)) continue;
        due++;
        if (quarterRequirementsMet(held.get(`${p.id}:${quarter}`) ?? { jointMeetings: 0, activityDays: 0 })) met++;
      }
    }
    const scores = own.filter((p) => p.state === 'scored' && p.finalScore !== null).map((p) => p.finalScore as number);
    return {
      courtId: court.id,
      code: court.code,
      name: court.name,
      parentCourtId: court.parentCourtId,
      pairings: own.length,
      byState: PAIRING_STATES.filter((state) => byState.has(state)).map((state) => ({ state, count: byState.get(state)! })),
      compliance: { due, met, rate: rate4(met, due) },
      overdueQuarters: overdue,
      scored: scores.length,
      meanFinalScore: scores.length ? meanScore(scores) : null,
    };
  });
  const scored = input.pairings
    .filter((p) => p.state === 'scored' && p.finalScore !== null)
    .map((p) => ({
      pairingId: p.id,
      code: p.code,
      title: p.title,
      leadBranchId: p.leadBranchId,
      leadBranchName: input.branchNames.get(p.leadBranchId) ?? `#${p.leadBranchId}`,
      finalScore: p.finalScore as number,
      startQuarter: p.context?.startQuarter ?? null,
      quartersAssessed: assessedQuarters(p.quarterScores, p.context?.startQuarter ?? null),
    }));
  const courtOfPairing = new Map(input.pairings.map((p) => [p.id, p.courtId]));
  const courtOfBranch = new Map(input.pairings.map((p) => [p.leadBranchId, p.courtId]));
  const named = (courtId: number | undefined): CourtNamed => {
    const court = courtId === undefined ? undefined : courtOf.get(courtId);
    return { courtId: court?.id ?? 0, courtCode: court?.code ?? '', courtName: court?.name ?? '' };
  };
  return {
    year: input.year,
    quarter: input.quarter,
    courts: rows,
    ranking: {
      pairings: rankPairings(scored).map((p) => ({ ...p, ...named(courtOfPairing.get(p.pairingId)) })),
      branches: rankBranches(scored).map((b) => ({ ...b, ...named(courtOfBranch.get(b.branchId)) })),
    },
  };
}
