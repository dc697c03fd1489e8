import Decimal from 'decimal.js';
import { round2 } from '../../workflows';
import { byCode } from './bulletin';

/** Branch names in Chinese order; one collator (localeCompare with a locale builds one per call). */
const BRANCH_NAME_ORDER = new Intl.Collator('zh-Hans-CN');

/**
 * 每年一评比: the annual ranking, pure. Ties share a rank and the next rank skips
 * ("standard competition ranking": 1, 2, 2, 4), compared on the published two-decimal values.
 */

export interface ScoredPairing {
  pairingId: number;
  code: string;
  title: string;
  leadBranchId: number;
  leadBranchName: string;
  finalScore: number;
  /** The plan's start quarter: quarters before it are not assessed. */
  startQuarter: number | null;
  /** The quarters whose scores went into the final score (startQuarter–4), so a short year is visible. */
  quartersAssessed: number[];
}

export type RankedPairing = ScoredPairing & { rank: number };

export interface RankedBranch {
  rank: number;
  branchId: number;
  name: string;
  /** How many of the branch's (lead) pairings were scored. */
  count: number;
  /** Quarters assessed over those pairings together. */
  quartersAssessed: number;
  /** Mean of their final scores, in decimal arithmetic, half-up to two decimals. */
  meanScore: number;
}

/** Ranks of items already sorted best first: equal scores share the rank of the first of them. */
export function competitionRanks(sortedScores: readonly number[]): number[] {
  const ranks: number[] = [];
  sortedScores.forEach((score, index) => {
    ranks.push(index > 0 && score === sortedScores[index - 1] ? ranks[index - 1] : index + 1);
  });
  return ranks;
}

export function meanScore(scores: readonly number[]): number {
  if (!scores.length) throw new RangeError('The mean of no scores is undefined');
  return round2(Decimal.sum(...scores.map(String)).div(scores.length));
}

/** Best first; equal scores in code order, so the listing is stable. */
export function rankPairings(pairings: readonly ScoredPairing[]): RankedPairing[] {
  const sorted = [...pairings].sort((a, b) => b.finalScore - a.finalScore || byCode(a, b));
  const ranks = competitionRanks(sorted.map((p) => p.finalScore));
  return sorted.map((p, i) => ({ rank: ranks[i], ...p }));
}

/** Branches by the mean final score of the scored pairings they lead. */
export function rankBranches(pairings: readonly ScoredPairing[]): RankedBranch[] {
  const byBranch = new Map<number, { name: string; scores: number[]; quarters: number }>();
  for (const p of pairings) {
    const entry = byBranch.get(p.leadBranchId) ?? { name: p.leadBranchName, scores: [], quarters: 0 };
    entry.scores.push(p.finalScore);
    entry.quarters += p.quartersAssessed.length;
    byBranch.set(p.leadBranchId, entry);
  }
  const branches = [...byBranch].map(([branchId, { name, scores, quarters }]) => ({
    branchId,
    name,
    count: scores.length,
    quartersAssessed: quarters,
    meanScore: meanScore(scores),
  }));
  branches.sort((a, b) => b.meanScore - a.meanScore || BRANCH_NAME_ORDER.compare(a.name, b.name) || a.branchId - b.branchId);
  const ranks = competitionRanks(branches.map((b) => b.meanScore));
  return branches.map((b, i) => ({ rank: ranks[i], ...b }));
}

/** The quarters of a scored pairing that count: those scored from the start quarter on, in order. */
export function assessedQuarters(scores: readonly { quarter: number }[], startQuarter: number | null): number[] {
  return [...new Set(scores.map((s) => s.quarter).filter((q) => q >= (startQuarter ?? 1)))].sort((a, b) => a - b);
}
