import Decimal from 'decimal.js';
import type { IndicatorValue, PlanIndicator, ReviewOutcome } from './pairing.types';

/**
 * Outcome indicators (成效指标), judged once for everyone: which names a report may use (the engine's
 * payload checks), and what a final value says against the plan's baseline and target (the outcomes
 * report, the dashboard and the good-practice page all ask these functions).
 */

/** A field the payload got wrong, named as the API's VALIDATION_FAILED details name fields. */
export interface FieldProblem {
  field: string;
  messages: string[];
}

/** Values are published as entered; the change is exact decimal arithmetic, like the scores. */
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

const quoted = (name: string) => `「${name}」`;

/** Names are unique within a plan, so every later report can name an indicator without doubt. */
export function planIndicatorProblems(indicators: readonly PlanIndicator[]): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  indicators.forEach((indicator, i) => {
    if (seen.has(indicator.name)) {
      problems.push({ field: `indicators.${i}.name`, messages: [`${quoted(indicator.name)} is declared twice in this plan`] });
    }
    seen.add(indicator.name);
  });
  return problems;
}

function unknownName(declared: readonly PlanIndicator[], name: string): string {
  if (!declared.length) return `the accepted plan declares no indicators, so ${quoted(name)} cannot be reported`;
  return `${quoted(name)} is not an indicator of the accepted plan (${declared.map((d) => quoted(d.name)).join('、')})`;
}

/** A quarter report's values: each names a declared indicator, once. */
export function indicatorValueProblems(declared: readonly PlanIndicator[], values: readonly IndicatorValue[]): FieldProblem[] {
  const names = new Set(declared.map((d) => d.name));
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  values.forEach((value, i) => {
    const field = `indicatorValues.${i}.name`;
    if (!names.has(value.name)) problems.push({ field, messages: [unknownName(declared, value.name)] });
    else if (seen.has(value.name)) problems.push({ field, messages: [`${quoted(value.name)} is given twice in this report`] });
    seen.add(value.name);
  });
  return problems;
}

/**
 * The year-end review's outcomes: once the accepted plan declared indicators, each outcome names one of
 * them, once, in its unit. A plan that declared none leaves the outcomes a free list, as they were before
 * plans carried indicators.
 */
export function outcomeProblems(declared: readonly PlanIndicator[], outcomes: readonly ReviewOutcome[]): FieldProblem[] {
  if (!declared.length) return [];
  const byName = new Map(declared.map((d) => [d.name, d]));
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  outcomes.forEach((outcome, i) => {
    const indicator = byName.get(outcome.indicator);
    if (!indicator) problems.push({ field: `outcomes.${i}.indicator`, messages: [unknownName(declared, outcome.indicator)] });
    else if (seen.has(outcome.indicator)) {
      problems.push({ field: `outcomes.${i}.indicator`, messages: [`${quoted(outcome.indicator)} is given twice in this review`] });
    } else if (outcome.unit !== indicator.unit) {
      problems.push({
        field: `outcomes.${i}.unit`,
        messages: [`${quoted(outcome.indicator)} is measured in ${quoted(indicator.unit)}, as the plan declared`],
      });
    }
    seen.add(outcome.indicator);
  });
  return problems;
}

export interface IndicatorJudgement {
  /** final − baseline, in the indicator's unit; null without a final value. */
  change: number | null;
  /** Moved the right way from the baseline (by higherIsBetter); null without a final value. */
  improved: boolean | null;
  /** Reached the target (at or beyond it, by higherIsBetter); null without a target or a final value. */
  targetMet: boolean | null;
}

export function judgeIndicator(
  indicator: Pick<PlanIndicator, 'baseline' | 'target' | 'higherIsBetter'>,
  final: number | null,
): IndicatorJudgement {
  if (final === null) return { change: null, improved: null, targetMet: null };
  const change = new Exact(final).minus(indicator.baseline);
  const better = (delta: Decimal) => (indicator.higherIsBetter ? delta.isPositive() : delta.isNegative()) && !delta.isZero();
  const target = indicator.target ?? null;
  return {
    change: change.toNumber(),
    improved: better(change),
    targetMet: target === null ? null : better(new Exact(final).minus(target)) || new Exact(final).equals(target),
  };
}

/** Mean of the values, half-up to two decimals, in decimal arithmetic; null for none. */
export function mean2(values: readonly number[]): number | null {
  if (!values.length) return null;
  return Exact.sum(...values.map(String))
    .div(values.length)
    .toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
    .toNumber();
}
