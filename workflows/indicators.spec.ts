import { indicatorValueProblems, judgeIndicator, mean2, outcomeProblems, planIndicatorProblems } from './indicators';
import { isQuarterDue, quarterCompliance } from './compliance';

const FAMILY = { name: '家事纠纷诉前化解率', unit: '%', baseline: 48.1, target: 58, higherIsBetter: true };
const DAYS = { name: '平均审理天数', unit: '天', baseline: 85.66, target: 60, higherIsBetter: false };

describe('indicators', () => {
  it('a plan names each indicator once', () => {
    expect(planIndicatorProblems([FAMILY, DAYS])).toEqual([]);
    expect(planIndicatorProblems([FAMILY, DAYS, { ...DAYS, unit: '日' }])).toEqual([
      { field: 'indicators.2.name', messages: ['「平均审理天数」 is declared twice in this plan'] },
    ]);
  });

  it('a quarter report names only declared indicators, each once', () => {
    expect(indicatorValueProblems([FAMILY], [{ name: FAMILY.name, value: 1 }])).toEqual([]);
    expect(
      indicatorValueProblems(
        [FAMILY],
        [
          { name: '调解率', value: 1 },
          { name: FAMILY.name, value: 1 },
          { name: FAMILY.name, value: 2 },
        ],
      ).map((p) => p.field),
    ).toEqual(['indicatorValues.0.name', 'indicatorValues.2.name']);
    expect(indicatorValueProblems([], [{ name: '调解率', value: 1 }])[0].messages[0]).toMatch(/declares no indicators/);
  });

  it('review outcomes name declared indicators in their unit; a plan without indicators leaves them free', () => {
    expect(outcomeProblems([], [{ indicator: '任意', value: 1, unit: '件' }])).toEqual([]);
    expect(outcomeProblems([FAMILY, DAYS], [{ indicator: DAYS.name, value: 55.96, unit: '天' }])).toEqual([]);
    expect(outcomeProblems([FAMILY, DAYS], [{ indicator: DAYS.name, value: 55.96, unit: '日' }])).toEqual([
      { field: 'outcomes.0.unit', messages: ['「平均审理天数」 is measured in 「天」, as the plan declared'] },
    ]);
    expect(outcomeProblems([FAMILY], [{ indicator: '调解率', value: 1, unit: '%' }]).map((p) => p.field)).toEqual(['outcomes.0.indicator']);
  });

  it('judges the change in decimal arithmetic, by the direction, and the target at or beyond it', () => {
    // In binary floating point 59.26 − 48.1 is 11.159999999999997.
    expect(59.26 - 48.1).not.toBe(11.16);
    expect(judgeIndicator(FAMILY, 59.26)).toEqual({ change: 11.16, improved: true, targetMet: true });
    expect(judgeIndicator(DAYS, 55.96)).toEqual({ change: -29.7, improved: true, targetMet: true });
    expect(judgeIndicator(DAYS, 90)).toEqual({ change: 4.34, improved: false, targetMet: false });
    expect(judgeIndicator(FAMILY, 58)).toMatchObject({ targetMet: true });
    expect(judgeIndicator(FAMILY, 48.1)).toEqual({ change: 0, improved: false, targetMet: false });
    expect(judgeIndicator({ ...FAMILY, target: undefined }, 50)).toMatchObject({ targetMet: null });
    expect(judgeIndicator(FAMILY, null)).toEqual({ change: null, improved: null, targetMet: null });
  });

  it('means are half-up to two decimals', () => {
    expect(mean2([])).toBeNull();
    expect(mean2([11.16, -3.1])).toBe(4.03);
    expect(mean2([0.005, 0.01])).toBe(0.01);
  });
});

describe('quarter compliance', () => {
  const counts = (held: Record<number, [number, number]>) => (q: number) => ({
    jointMeetings: held[q]?.[0] ?? 0,
    activityDays: held[q]?.[1] ?? 0,
  });

  it('a quarter is due from the plan’s first quarter on, once it has ended', () => {
    const context = { year: 2026, startQuarter: 2 };
    expect([1, 2, 3, 4].map((q) => isQuarterDue(context, q, '2026-10-01'))).toEqual([false, true, true, false]);
    expect([1, 2, 3, 4].map((q) => isQuarterDue(context, q, '2027-01-01'))).toEqual([false, true, true, true]);
    expect(isQuarterDue({ year: 2026, startQuarter: null }, 2, '2027-01-01')).toBe(false);
  });

  it('counts quarters with a joint meeting and an activity day over the quarters due', () => {
    const { quarters, year } = quarterCompliance(
      [
        { context: { year: 2026, startQuarter: 1 }, counts: counts({ 1: [1, 1], 2: [1, 0], 3: [2, 3] }) },
        { context: { year: 2026, startQuarter: 3 }, counts: counts({ 3: [0, 1] }) },
      ],
      '2026-10-15',
    );
    expect(quarters).toEqual([
      { quarter: 1, due: 1, met: 1, rate: 1 },
      { quarter: 2, due: 1, met: 0, rate: 0 },
      { quarter: 3, due: 2, met: 1, rate: 0.5 },
      { quarter: 4, due: 0, met: 0, rate: null },
    ]);
    expect(year).toEqual({ quarter: 0, due: 4, met: 2, rate: 0.5 });
  });
});
