import { describe, expect, it } from 'vitest';
import type { DashboardData } from '../api/types';
import { CHART_FONT, activitiesChart, complianceChart, indicatorsChart, overdueChart, percent, scoresChart, signed, stateChart } from '../overview/charts';
import styles from '../styles.css?raw';

const kinds = (over: Record<string, number> = {}) => ({ joint_meeting: 0, activity_day: 0, party_lesson: 0, other: 0, ...over });

const DASHBOARD: DashboardData = {
  year: 2026,
  asOf: '2026-12-01',
  generatedAt: '2026-12-01T07:11:00.000Z',
  totals: { pairings: 4, running: 2, scored: 1, activities: 5, meanFinalScore: 92, complianceRate: 0.75, overdue: 1 },
  byState: [
    { state: 'active.collecting', count: 2 },
    { state: 'scored', count: 1 },
    { state: 'proposed', count: 1 },
  ],
  compliance: {
    quarters: [
      { quarter: 1, due: 0, met: 0, rate: null },
      { quarter: 2, due: 1, met: 1, rate: 1 },
      { quarter: 3, due: 2, met: 1, rate: 0.5 },
      { quarter: 4, due: 1, met: 1, rate: 1 },
    ],
    year: { quarter: 0, due: 4, met: 3, rate: 0.75 },
  },
  activitiesByMonth: Array.from({ length: 12 }, (_, i) => ({
    month: i + 1,
    total: i === 4 ? 3 : i === 7 ? 2 : 0,
    byKind: i === 4 ? kinds({ joint_meeting: 1, activity_day: 2 }) : i === 7 ? kinds({ joint_meeting: 1, party_lesson: 1 }) : kinds(),
  })),
  scores: {
    final: [
      { from: 0, to: 60, count: 0 },
      { from: 60, to: 70, count: 0 },
      { from: 70, to: 80, count: 0 },
      { from: 80, to: 90, count: 0 },
      { from: 90, to: 100, count: 1 },
    ],
    quarter: [
      { from: 0, to: 60, count: 0 },
      { from: 60, to: 70, count: 1 },
      { from: 70, to: 80, count: 0 },
      { from: 80, to: 90, count: 2 },
      { from: 90, to: 100, count: 3 },
    ],
  },
  indicators: {
    summary: [
      { name: '家事纠纷诉前化解率', unit: '%', higherIsBetter: true, pairings: 3, reported: 2, improved: 1, worsened: 1, unchanged: 0, withTarget: 1, targetMet: 1, meanChange: 4.03 },
      { name: '平均审理天数', unit: '天', higherIsBetter: false, pairings: 1, reported: 1, improved: 1, worsened: 0, unchanged: 0, withTarget: 1, targetMet: 1, meanChange: -29.7 },
    ],
    changes: [
      { pairingId: 1, code: 'PH-2026-001', title: '诉源治理', name: '家事纠纷诉前化解率', unit: '%', baseline: 48.1, target: 58, final: 59.26, change: 11.16, improved: true, targetMet: true },
      { pairingId: 1, code: 'PH-2026-001', title: '诉源治理', name: '平均审理天数', unit: '天', baseline: 85.66, target: 60, final: 55.96, change: -29.7, improved: true, targetMet: true },
      { pairingId: 2, code: 'PH-2026-002', title: '劳动争议', name: '家事纠纷诉前化解率', unit: '%', baseline: 48.1, target: null, final: null, change: null, improved: null, targetMet: null },
    ],
  },
  overdue: {
    quarters: [{ pairingId: 3, code: 'PH-2026-003', title: '金融纠纷', leadBranchName: '民二庭党支部', quarter: 3 }],
    byQuarter: [
      { quarter: 1, count: 0 },
      { quarter: 2, count: 0 },
      { quarter: 3, count: 1 },
      { quarter: 4, count: 0 },
    ],
    tasks: [
      { pairingId: 3, code: 'PH-2026-003', title: '金融纠纷', leadBranchName: '民二庭党支部', kind: 'SUBMIT_QUARTER_REPORT', waitsOn: 'secretary', quarter: 3, dueAt: null },
      { pairingId: 4, code: 'PH-2026-004', title: '执行联动', leadBranchName: '执行局党支部', kind: 'REVIEW_PROPOSAL', waitsOn: 'committee', quarter: null, dueAt: '2026-11-20T00:00:00.000Z' },
    ],
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ECharts' option union is read loosely in assertions
const series = (option: any) => option.series as any[];

describe('dashboard charts', () => {
  it('pairings by state: one slice per state, named in Chinese, with the same numbers as the table', () => {
    const { option, table } = stateChart(DASHBOARD, 'zh');
    expect(series(option)[0].data).toEqual([
      { name: '季度活动中', value: 2 },
      { name: '已评分', value: 1 },
      { name: '待审批', value: 1 },
    ]);
    expect(table.rows).toEqual([
      { state: '季度活动中', count: 2 },
      { state: '已评分', count: 1 },
      { state: '待审批', count: 1 },
    ]);
  });

  it('compliance: the rate per quarter in percent, nothing drawn for a quarter with nothing due, and the year in the table', () => {
    const { option, table } = complianceChart(DASHBOARD, 'zh');
    expect((option.xAxis as { data: string[] }).data).toEqual(['第1季度', '第2季度', '第3季度', '第4季度']);
    expect(series(option)[0].data).toEqual([null, 100, 50, 100]);
    expect(table.rows.at(-1)).toEqual({ quarter: '全年', due: 4, met: 3, rate: '75.0%' });
    expect(table.rows[0]).toEqual({ quarter: '第1季度', due: 0, met: 0, rate: '—' });
  });

  it('activities: stacked per month, only the kinds held this year', () => {
    const { option, table } = activitiesChart(DASHBOARD, 'zh');
    expect(series(option).map((s) => s.name)).toEqual(['联席会议', '共建活动日', '共上党课']);
    expect(series(option)[1].data[4]).toBe(2);
    expect(series(option).every((s) => s.stack === 'activities' && s.data.length === 12)).toBe(true);
    expect(table.rows[4]).toEqual({ month: '5月', joint_meeting: 1, activity_day: 2, party_lesson: 0, total: 3 });
    expect(table.columns.map((c) => c.title)).toEqual(['月份', '联席会议', '共建活动日', '共上党课', '合计']);
  });

  it('scores: final and quarter scores per band', () => {
    const { option, table } = scoresChart(DASHBOARD, 'zh');
    expect((option.xAxis as { data: string[] }).data).toEqual(['0–<60', '60–<70', '70–<80', '80–<90', '90–100']);
    expect(series(option).map((s) => s.data)).toEqual([
      [0, 0, 0, 0, 1],
      [0, 1, 0, 2, 3],
    ]);
    expect(table.rows[4]).toEqual({ band: '90–100', final: 1, quarter: 3 });
  });

  it('indicators: improved, unchanged, worsened and not reported add up to the pairings; the table gives each change in its unit', () => {
    const { option, table } = indicatorsChart(DASHBOARD, 'zh');
    const [improved, unchanged, worsened, missing] = series(option).map((s) => s.data);
    expect(improved).toEqual([1, 1]);
    expect(worsened).toEqual([1, 0]);
    DASHBOARD.indicators.summary.forEach((s, i) => expect(improved[i] + unchanged[i] + worsened[i] + missing[i]).toBe(s.pairings));
    expect(table.rows.map((r) => [r.change, r.verdict])).toEqual([
      ['+11.16个百分点', '向好，达到目标'],
      ['−29.7天', '向好，达到目标'],
      ['—', '尚未报送'],
    ]);
  });

  it('overdue: per quarter, and every overdue report and decision listed once', () => {
    const { option, table } = overdueChart(DASHBOARD, 'zh');
    expect(series(option)[0].data).toEqual([0, 0, 1, 0]);
    expect(table.rows).toEqual([
      { pairing: 'PH-2026-003 金融纠纷', branch: '民二庭党支部', what: '第3季度报告逾期' },
      { pairing: 'PH-2026-004 执行联动', branch: '执行局党支部', what: expect.stringContaining('审批') },
    ]);
  });

  it('names the page’s font to ECharts, which measures labels on a canvas that knows no `inherit`', () => {
    // Measured in the canvas's default 10px font but drawn at 12px in the page's, a long indicator name lost its
    // first characters off the chart's left edge.
    const body = /(?:^|\n)body \{ font-family: ([^;]+);/.exec(styles)?.[1];
    expect(body).toBeTruthy();
    expect(CHART_FONT).toBe(body);
    for (const chart of [stateChart, complianceChart, activitiesChart, scoresChart, indicatorsChart, overdueChart]) {
      expect(chart(DASHBOARD, 'zh').option.textStyle).toEqual({ fontFamily: CHART_FONT });
    }
  });

  it('keeps the axes’ labels inside the grid with outerBounds, not the deprecated containLabel ECharts warns about', () => {
    for (const chart of [complianceChart, activitiesChart, scoresChart, indicatorsChart, overdueChart]) {
      const grid = chart(DASHBOARD, 'zh').option.grid;
      expect(grid).toMatchObject({ outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' });
      expect(grid).not.toHaveProperty('containLabel');
    }
  });

  it('speaks English when asked', () => {
    expect(stateChart(DASHBOARD, 'en').table.rows[1]).toEqual({ state: 'Scored', count: 1 });
    expect(complianceChart(DASHBOARD, 'en').table.rows.at(-1)?.quarter).toBe('Year');
    expect(signed(11.16, '%', 'en')).toBe('+11.16 pp');
    expect(signed(-29.7, '天', 'en')).toBe('−29.7 天');
    expect(percent(0.5926)).toBe('59.3%');
  });
});
