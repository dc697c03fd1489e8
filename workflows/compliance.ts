import { quarterEnd } from './calendar';
import type { PairingContext } from './pairing.types';
import { isQuarterInPlan, QUARTERS, quarterRequirementsMet } from './quarters';
import type { QuarterCounts } from './pairing.types';

/**
 * The quarter compliance rate (季度达标率) the dashboard and the cross-court view publish: quarters with at
 * least one joint meeting and one activity day, over the quarters due. A quarter is due from the plan's
 * first quarter on, once it has ended (every planned quarter of a past year); the requirement itself is
 * quarters.ts's one rule.
 */

export function isQuarterDue(context: Pick<PairingContext, 'year' | 'startQuarter'>, quarter: number, today: string): boolean {
  return isQuarterInPlan(context, quarter) && quarterEnd(context.year, quarter) < today;
}

export interface ComplianceInput {
  context: Pick<PairingContext, 'year' | 'startQuarter'>;
  /** Non-void activities of each quarter, by the two kinds that count. */
  counts: (quarter: number) => QuarterCounts;
}

export interface QuarterCompliance {
  quarter: number;
  /** Pairings for which this quarter is due. */
  due: number;
  /** Of those, the ones whose quarter held both required activities. */
  met: number;
  /** met ÷ due, as a fraction with four decimals; null when nothing is due. */
  rate: number | null;
}

const rate4 = (met: number, due: number) => (due === 0 ? null : Math.round((met / due) * 10000) / 10000);

/** Per quarter of the year, over the pairings given, and over the whole year. */
export function quarterCompliance(
  pairings: readonly ComplianceInput[],
  today: string,
): { quarters: QuarterCompliance[]; year: QuarterCompliance } {
  const quarters = QUARTERS.map((quarter) => {
    let due = 0;
    let met = 0;
    for (const p of pairings) {
      if (!isQuarterDue(p.context, quarter, today)) continue;
      due++;
      if (quarterRequirementsMet(p.counts(quarter))) met++;
    }
    return { quarter, due, met, rate: rate4(met, due) };
  });
  const due = quarters.reduce((sum, q) => sum + q.due, 0);
  const met = quarters.reduce((sum, q) => sum + q.met, 0);
  return { quarters, year: { quarter: 0, due, met, rate: rate4(met, due) } };
}
