import { assessedQuarters, competitionRanks, meanScore, rankBranches, rankPairings, ScoredPairing } from './ranking';

const pairing = (id: number, branch: number, finalScore: number, quartersAssessed = [1, 2, 3, 4]): ScoredPairing => ({
  pairingId: id,
  code: `GJ-2025-${String(id).padStart(3, '0')}`,
  title: `项目${id}`,
  leadBranchId: branch,
  leadBranchName: `支部${branch}`,
  finalScore,
  startQuarter: quartersAssessed[0] ?? null,
  quartersAssessed,
});

describe(competitionRanks.name, () => {
  it('gives ties the same rank and skips after them (1, 2, 2, 4)', () => {
    expect(competitionRanks([95, 90, 90, 80])).toEqual([1, 2, 2, 4]);
    expect(competitionRanks([88, 88, 88])).toEqual([1, 1, 1]);
    expect(competitionRanks([70, 70, 60, 60, 50])).toEqual([1, 1, 3, 3, 5]);
    expect(competitionRanks([])).toEqual([]);
  });
});

describe(rankPairings.name, () => {
  it('orders by final score, best first, ties in code order with a shared rank', () => {
    const ranked = rankPairings([pairing(10, 1, 90), pairing(2, 2, 95.5), pairing(9, 3, 90), pairing(4, 1, 80.25)]);
    expect(ranked.map((p) => [p.rank, p.code, p.finalScore])).toEqual([
      [1, 'GJ-2025-002', 95.5],
      [2, 'GJ-2025-009', 90],
      [2, 'GJ-2025-010', 90],
      [4, 'GJ-2025-004', 80.25],
    ]);
  });

  it('sorts codes numerically past 999', () => {
    const ranked = rankPairings([
      { ...pairing(1, 1, 90), code: 'GJ-2025-1000' },
      { ...pairing(2, 1, 90), code: 'GJ-2025-999' },
    ]);
    expect(ranked.map((p) => p.code)).toEqual(['GJ-2025-999', 'GJ-2025-1000']);
  });

  it('is empty for a year without scored pairings', () => {
    expect(rankPairings([])).toEqual([]);
    expect(rankBranches([])).toEqual([]);
  });
});

describe(meanScore.name, () => {
  it('rounds half up to two decimals in decimal arithmetic', () => {
    // In binary floating point (85.32 + 85.33) / 2 is 85.32499999…, which would round to 85.32.
    expect(meanScore([85.32, 85.33])).toBe(85.33);
    expect(meanScore([85.33, 85.34])).toBe(85.34);
    expect(meanScore([90, 80, 81])).toBe(83.67);
    expect(meanScore([1.005])).toBe(1.01);
    expect(meanScore([70])).toBe(70);
  });

  it('refuses an empty list', () => {
    expect(() => meanScore([])).toThrow(RangeError);
  });
});

describe(rankBranches.name, () => {
  it('ranks lead branches by the mean of their scored pairings, ties sharing a rank', () => {
    const ranked = rankBranches([
      pairing(1, 1, 90),
      pairing(2, 1, 80), // branch 1: 85
      pairing(3, 2, 85), // branch 2: 85 — tied with branch 1
      pairing(4, 3, 92.5),
      pairing(5, 4, 70.33),
      pairing(6, 4, 70.34), // branch 4: 70.335 → 70.34
    ]);
    expect(ranked).toEqual([
      { rank: 1, branchId: 3, name: '支部3', count: 1, quartersAssessed: 4, meanScore: 92.5 },
      { rank: 2, branchId: 1, name: '支部1', count: 2, quartersAssessed: 8, meanScore: 85 },
      { rank: 2, branchId: 2, name: '支部2', count: 1, quartersAssessed: 4, meanScore: 85 },
      { rank: 4, branchId: 4, name: '支部4', count: 2, quartersAssessed: 8, meanScore: 70.34 },
    ]);
  });

  it('compares branches on the published (rounded) mean', () => {
    // 85.3333… and 85.325 both publish as 85.33, so they tie.
    const ranked = rankBranches([
      pairing(1, 1, 85.33),
      pairing(2, 1, 85.34),
      pairing(3, 1, 85.33),
      pairing(4, 2, 85.32),
      pairing(5, 2, 85.33),
    ]);
    expect(ranked.map((b) => [b.rank, b.meanScore])).toEqual([
      [1, 85.33],
      [1, 85.33],
    ]);
  });
});

describe(assessedQuarters.name, () => {
  it('keeps the scored quarters from the start quarter on, in order', () => {
    expect(assessedQuarters([{ quarter: 4 }, { quarter: 3 }], 3)).toEqual([3, 4]);
    expect(assessedQuarters([{ quarter: 2 }, { quarter: 3 }, { quarter: 4 }], 3)).toEqual([3, 4]);
    expect(assessedQuarters([{ quarter: 1 }], null)).toEqual([1]);
  });

  it('shows in both rankings how much was assessed', () => {
    const short = pairing(1, 1, 95, [3, 4]);
    const full = pairing(2, 1, 90);
    expect(rankPairings([full, short]).map((p) => [p.code, p.quartersAssessed])).toEqual([
      ['GJ-2025-001', [3, 4]],
      ['GJ-2025-002', [1, 2, 3, 4]],
    ]);
    expect(rankBranches([full, short])[0]).toMatchObject({ count: 2, quartersAssessed: 6 });
  });
});
