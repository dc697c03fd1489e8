import {
  judgeIndicator,
  mean2,
  type IndicatorJudgement,
  type IndicatorValue,
  type PairingState,
  type PlanIndicator,
  type ReviewOutcome,
} from '../../workflows';
import { byCode } from './bulletin';

const INDICATOR_NAME_ORDER = new Intl.Collator('zh');

/**
 * 成效指标: what the year did to each indicator a pairing's plan declared, as pure functions of the rows the
 * service loads. The judgement (change, improved, target met) is workflows/indicators.ts's.
 */

/** From ACCEPT_PLAN on a pairing has indicators to report; terminated ones keep what they reported. */
export const OUTCOME_STATES: readonly PairingState[] = [
  'active.collecting',
  'active.reportSubmitted',
  'yearEndReview',
  'underReview',
  'scored',
  'terminated',
];

export interface OutcomePairing {
  id: number;
  code: string;
  title: string;
  state: PairingState;
  leadBranchId: number;
  leadBranchName: string;
}

export interface OutcomeReport {
  id: number;
  quarter: number;
  status: string;
  indicatorValues: IndicatorValue[] | null;
}

export interface OutcomeReview {
  id: number;
  status: string;
  outcomes: ReviewOutcome[];
}

export interface OutcomeSource {
  pairing: OutcomePairing;
  /** The accepted plan's indicators. */
  indicators: readonly PlanIndicator[];
  reports: readonly OutcomeReport[];
  reviews: readonly OutcomeReview[];
}

export interface IndicatorOutcome extends IndicatorJudgement {
  name: string;
  unit: string;
  baseline: number;
  target: number | null;
  higherIsBetter: boolean;
  /** The standing report of each quarter that gave a value (a returned report's values do not count). */
  quarterly: { quarter: number; value: number }[];
  /** The year-end review's value, else the last quarter's; null while nothing was reported. */
  final: number | null;
  finalFrom: 'review' | 'quarter' | null;
}

export interface PairingOutcomes extends OutcomePairing {
  indicators: IndicatorOutcome[];
}

export interface IndicatorSummary {
  name: string;
  unit: string;
  higherIsBetter: boolean;
  /** Pairings whose plan declared it. */
  pairings: number;
  /** Of those, pairings with a final value. */
  reported: number;
  improved: number;
  /** Moved the wrong way from the baseline. */
  worsened: number;
  unchanged: number;
  withTarget: number;
  targetMet: number;
  /** Mean change over the pairings with a final value, half-up to two decimals. */
  meanChange: number | null;
}

/** Per quarter the newest report that is not returned: the one that stands. */
function standingReports(reports: readonly OutcomeReport[]): OutcomeReport[] {
  const byQuarter = new Map<number, OutcomeReport>();
  for (const report of [...reports].sort((a, b) => a.id - b.id)) {
    if (report.status === 'returned') byQuarter.delete(report.quarter);
    else byQuarter.set(report.quarter, report);
  }
  return [...byQuarter.values()].sort((a, b) => a.quarter - b.quarter);
}

/** The newest review that was not sent back. */
function standingReview(reviews: readonly OutcomeReview[]): OutcomeReview | null {
  const latest = [...reviews].sort((a, b) => a.id - b.id).pop();
  return latest && latest.status !== 'returned' ? latest : null;
}

export function pairingOutcomes(source: OutcomeSource): PairingOutcomes {
  const reports = standingReports(source.reports);
  const review = standingReview(source.reviews);
  const indicators = source.indicators.map((indicator): IndicatorOutcome => {
    const quarterly = reports.flatMap((r) => {
      const found = (r.indicatorValues ?? []).find((v) => v.name === indicator.name);
      return found ? [{ quarter: r.quarter, value: found.value }] : [];
    });
    const reviewed = review?.outcomes.find((o) => o.indicator === indicator.name);
    const final = reviewed ? reviewed.value : (quarterly[quarterly.length - 1]?.value ?? null);
    return {
      name: indicator.name,
      unit: indicator.unit,
      baseline: indicator.baseline,
      target: indicator.target ?? null,
      higherIsBetter: indicator.higherIsBetter,
      quarterly,
      final,
      finalFrom: reviewed ? 'review' : final === null ? null : 'quarter',
      ...judgeIndicator(indicator, final),
    };
  });
  return { ...source.pairing, indicators };
}

/** Each indicator across pairings, grouped by name, unit and direction (so changes add up in one unit). */
export function summariseIndicators(pairings: readonly PairingOutcomes[]): IndicatorSummary[] {
  const groups = new Map<string, IndicatorOutcome[]>();
  for (const p of pairings) {
    for (const indicator of p.indicators) {
      const key = JSON.stringify([indicator.name, indicator.unit, indicator.higherIsBetter]);
      groups.set(key, [...(groups.get(key) ?? []), indicator]);
    }
  }
  return [...groups.values()]
    .map((list) => {
      const reported = list.filter((i) => i.change !== null);
      return {
        name: list[0].name,
        unit: list[0].unit,
        higherIsBetter: list[0].higherIsBetter,
        pairings: list.length,
        reported: reported.length,
        improved: reported.filter((i) => i.improved).length,
        worsened: reported.filter((i) => i.change !== 0 && !i.improved).length,
        unchanged: reported.filter((i) => i.change === 0).length,
        withTarget: list.filter((i) => i.target !== null).length,
        targetMet: list.filter((i) => i.targetMet === true).length,
        meanChange: mean2(reported.map((i) => i.change as number)),
      };
    })
    .sort((a, b) => b.pairings - a.pairings || INDICATOR_NAME_ORDER.compare(a.name, b.name));
}

/** Pairings with at least one indicator, by code, and the indicators across them. */
export function buildOutcomes(sources: readonly OutcomeSource[]): { pairings: PairingOutcomes[]; indicators: IndicatorSummary[] } {
  const pairings = sources
    .filter((s) => s.indicators.length)
    .map(pairingOutcomes)
    .sort(byCode);
  return { pairings, indicators: summariseIndicators(pairings) };
}
