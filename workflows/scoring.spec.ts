import { finalScore, round2 } from './scoring';

const scores = (...values: number[]) => values.map((score, index) => ({ quarter: index + 1, score }));

describe(finalScore.name, () => {
  it('weights the mean quarter score 0.6 and the review 0.4', () => {
    // mean 85.25 × 0.6 = 51.15, 90.1 × 0.4 = 36.04
    expect(finalScore(scores(85, 85.5, 85, 85.5), 1, 90.1)).toBe(87.19);
  });

  it.each([
    // exact value 83.105: Math.round(x * 100) / 100 and toFixed(2) both give 83.1
    [[80.1, 85, 85, 85], 82.1, 83.11],
    // exact value 82.385: toFixed(2) gives 82.38
    [[80.1, 85, 85, 85], 80.3, 82.39],
    // exact value 82.345
    [[80.1, 85, 85, 85], 80.2, 82.35],
  ])('rounds the half-way case %j / %d up to %d, where binary floating point does not', (quarters, review, expected) => {
    expect(finalScore(scores(...quarters), 1, review)).toBe(expected);
  });

  it('counts only the quarters from startQuarter to Q4', () => {
    const all = scores(10, 20, 90, 80);
    // (90 + 80) / 2 × 0.6 + 70 × 0.4 = 51 + 28
    expect(finalScore(all, 3, 70)).toBe(79);
    expect(finalScore(all.slice(2), 3, 70)).toBe(79);
    expect(finalScore([{ quarter: 4, score: 88.8 }], 4, 77.7)).toBe(84.36);
  });

  it('averages a three-quarter year without drifting', () => {
    const fromQ2 = [
      { quarter: 2, score: 80 },
      { quarter: 3, score: 90.5 },
      { quarter: 4, score: 85.3 },
    ];
    // 255.8 / 3 × 0.6 = 51.16 exactly, + 36.04
    expect(finalScore(fromQ2, 2, 90.1)).toBe(87.2);
  });

  it('keeps the ends of the scale', () => {
    expect(finalScore(scores(100, 100, 100, 100), 1, 100)).toBe(100);
    expect(finalScore(scores(0, 0, 0, 0), 1, 0)).toBe(0);
  });

  it('never returns more than two decimals', () => {
    const result = finalScore(scores(0, 0, 33.3, 33.4), 2, 66.7);
    expect(String(result)).toMatch(/^\d+(\.\d{1,2})?$/);
    // (0 + 33.3 + 33.4) / 3 × 0.6 = 13.34, + 26.68
    expect(result).toBe(40.02);
  });

  it('refuses to compute with a counted quarter missing or scored twice', () => {
    expect(() => finalScore(scores(80, 90, 85), 1, 90)).toThrow('Quarter 4 needs exactly one score');
    expect(() => finalScore([...scores(80, 90, 85, 70), { quarter: 2, score: 60 }], 1, 90)).toThrow('Quarter 2 needs exactly one score');
  });

  it.each([0, 5, 2.5])('refuses startQuarter %d', (startQuarter) => {
    expect(() => finalScore(scores(80, 90, 85, 70), startQuarter, 90)).toThrow('startQuarter must be 1–4');
  });
});

describe(round2.name, () => {
  it.each([
    [1.005, 1.01],
    [2.675, 2.68],
    [87.125, 87.13],
    [87.124, 87.12],
    ['51.145', 51.15],
    [100, 100],
  ])('rounds %s half-up to %d', (value, expected) => {
    expect(round2(value)).toBe(expected);
  });
});
