import { scoreBands } from './dashboard';
import { buildOutcomes, OutcomeSource, pairingOutcomes } from './outcomes';

const FAMILY = { name: '家事纠纷诉前化解率', unit: '%', baseline: 48.1, target: 58, higherIsBetter: true };
const pairing = (id: number, code: string) => ({
  id,
  code,
  title: `项目${id}`,
  state: 'scored' as const,
  leadBranchId: 1,
  leadBranchName: '立案庭党支部',
});

describe('outcomes', () => {
  it('counts only the report that stands in each quarter, and the review that was not sent back', () => {
    const source: OutcomeSource = {
      pairing: pairing(1, 'GJ-2026-001'),
      indicators: [FAMILY],
      reports: [
        { id: 1, quarter: 3, status: 'returned', indicatorValues: [{ name: FAMILY.name, value: 99 }] },
        { id: 2, quarter: 3, status: 'scored', indicatorValues: [{ name: FAMILY.name, value: 50 }] },
        { id: 3, quarter: 4, status: 'submitted', indicatorValues: null },
      ],
      reviews: [{ id: 1, status: 'returned', outcomes: [{ indicator: FAMILY.name, value: 70, unit: '%' }] }],
    };
    expect(pairingOutcomes(source).indicators[0]).toMatchObject({
      quarterly: [{ quarter: 3, value: 50 }],
      final: 50,
      finalFrom: 'quarter',
      change: 1.9,
      improved: true,
      targetMet: false,
    });
    const reviewed = pairingOutcomes({
      ...source,
      reviews: [...source.reviews, { id: 2, status: 'submitted', outcomes: [{ indicator: FAMILY.name, value: 59.26, unit: '%' }] }],
    });
    expect(reviewed.indicators[0]).toMatchObject({ final: 59.26, finalFrom: 'review', change: 11.16, targetMet: true });
    expect(pairingOutcomes({ ...source, reports: [] }).indicators[0]).toMatchObject({
      final: null,
      finalFrom: null,
      change: null,
      improved: null,
    });
  });

  it('leaves out pairings without indicators and sums each indicator across the rest', () => {
    const { pairings, indicators } = buildOutcomes([
      {
        pairing: pairing(2, 'GJ-2026-010'),
        indicators: [FAMILY],
        reports: [],
        reviews: [{ id: 1, status: 'approved', outcomes: [{ indicator: FAMILY.name, value: 48.1, unit: '%' }] }],
      },
      {
        pairing: pairing(1, 'GJ-2026-009'),
        indicators: [FAMILY],
        reports: [],
        reviews: [{ id: 2, status: 'approved', outcomes: [{ indicator: FAMILY.name, value: 60, unit: '%' }] }],
      },
      { pairing: pairing(3, 'GJ-2026-011'), indicators: [FAMILY], reports: [], reviews: [] },
      { pairing: pairing(4, 'GJ-2026-012'), indicators: [], reports: [], reviews: [] },
    ]);
    expect(pairings.map((p) => p.code)).toEqual(['GJ-2026-009', 'GJ-2026-010', 'GJ-2026-011']);
    expect(indicators).toEqual([
      {
        name: FAMILY.name,
        unit: '%',
        higherIsBetter: true,
        pairings: 3,
        reported: 2,
        improved: 1,
        worsened: 0,
        unchanged: 1,
        withTarget: 3,
        targetMet: 1,
        meanChange: 5.95,
      },
    ]);
  });

  it('score bands hold 100 in the last band and each score once', () => {
    expect(scoreBands([59.9, 60, 89.99, 90, 100]).map((b) => b.count)).toEqual([1, 1, 0, 1, 2]);
  });
});
