import Decimal from 'decimal.js';
import type { QuarterScore } from './pairing.types';

/**
 * Scores are entered with one decimal and the final score is published with two,
 * so half-way cases are common and the arithmetic must be decimal: in binary
 * floating point 0.6 × 85.275 + 0.4 × 82.1 is 83.10499…, which rounds to 83.1
 * instead of 83.11.
 */
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export const QUARTER_WEIGHT = new Exact('0.6');
export const REVIEW_WEIGHT = new Exact('0.4');

/** Half-up to two decimals, as the committee rounds by hand. */
export function round2(value: Decimal.Value): number {
  return new Exact(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
}

/**
 * finalScore = round2(0.6 × mean(scores of quarters startQuarter..4) + 0.4 × reviewScore).
 * Quarters before the plan's start were never run, so they do not count.
 */
export function finalScore(quarterScores: readonly QuarterScore[], startQuarter: number, reviewScore: number): number {
  if (!Number.isInteger(startQuarter) || startQuarter < 1 || startQuarter > 4) {
    throw new RangeError(`startQuarter must be 1–4, not ${startQuarter}`);
  }
  const counted: Decimal[] = [];
  for (let quarter = startQuarter; quarter <= 4; quarter++) {
    const scores = quarterScores.filter((entry) => entry.quarter === quarter);
    if (scores.length !== 1) {
      throw new RangeError(`Quarter ${quarter} needs exactly one score to compute the final score, found ${scores.length}`);
    }
    counted.push(new Exact(scores[0].score));
  }
  const mean = Exact.sum(...counted).div(counted.length);
  return round2(mean.times(QUARTER_WEIGHT).plus(new Exact(reviewScore).times(REVIEW_WEIGHT)));
}
