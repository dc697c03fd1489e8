import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import Courts, { LEGEND_HEIGHT, courtAxisLabel, courtsChart } from '../pages/Courts';
import { withCourt } from '../court';
import type { CourtsReport } from '../api/types';
import { fakeFetch, renderWithApp } from './render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const report: CourtsReport = {
  year: 2025,
  quarter: null,
  asOf: '2026-12-01',
  generatedAt: '2026-12-01T07:00:00.000Z',
  courts: [
    { courtId: 1, code: 'JX', name: '嘉兴市中级人民法院', parentCourtId: null, pairings: 0, byState: [], compliance: { due: 0, met: 0, rate: null }, overdueQuarters: 0, scored: 0, meanFinalScore: null },
    { courtId: 2, code: 'PH', name: '平湖市人民法院', parentCourtId: 1, pairings: 1, byState: [{ state: 'scored', count: 1 }], compliance: { due: 4, met: 4, rate: 1 }, overdueQuarters: 0, scored: 1, meanFinalScore: 90.65 },
    { courtId: 3, code: 'HY', name: '海盐县人民法院', parentCourtId: 1, pairings: 1, byState: [{ state: 'scored', count: 1 }], compliance: { due: 4, met: 3, rate: 0.75 }, overdueQuarters: 1, scored: 1, meanFinalScore: 84.4 },
  ],
  ranking: {
    pairings: [
      { rank: 1, pairingId: 5, code: 'PH-2025-001', title: '诉源治理', leadBranchName: '立案庭党支部', finalScore: 90.65, courtId: 2, courtCode: 'PH', courtName: '平湖市人民法院' },
      { rank: 2, pairingId: 9, code: 'HY-2025-001', title: '诉调对接', leadBranchName: '立案庭党支部', finalScore: 84.4, courtId: 3, courtCode: 'HY', courtName: '海盐县人民法院' },
    ],
    branches: [],
  },
};

describe('the courts a supervisor chooses', () => {
  it('go with the routes that read across courts only, and never twice', () => {
    expect(withCourt('/api/pairings?page=1', 'all')).toBe('/api/pairings?page=1&courtId=all');
    expect(withCourt('/api/pairings', '3')).toBe('/api/pairings?courtId=3');
    expect(withCourt('/api/reports/bulletin?year=2025&quarter=2', 'all')).toBe('/api/reports/bulletin?year=2025&quarter=2&courtId=all');
    expect(withCourt('/api/audit/events?type=LOGIN', 'all')).toBe('/api/audit/events?type=LOGIN&courtId=all');
    expect(withCourt('/api/pairings/5', 'all')).toBe('/api/pairings/5');
    expect(withCourt('/api/pairings/5/events', 'all')).toBe('/api/pairings/5/events');
    expect(withCourt('/api/branches', 'all')).toBe('/api/branches');
    expect(withCourt('/api/reports/courts?year=2025&courtId=3', 'all')).toBe('/api/reports/courts?year=2025&courtId=3');
    expect(withCourt('/api/pairings', null)).toBe('/api/pairings');
  });
});

describe('the comparison of courts', () => {
  it('draws each court’s compliance and mean score beside the table, and ranks pairings naming their court', async () => {
    const calls = fakeFetch((_, path) => (path.startsWith('/api/reports/courts') ? { body: report } : undefined));
    renderWithApp(<Courts />, { route: '/courts' });
    const table = await screen.findByTestId('courts-table');
    expect(within(table).getByText('平湖市人民法院')).toBeTruthy();
    expect(within(table).getByText('75.0%（3/4）')).toBeTruthy();
    expect(within(table).getByText('90.65')).toBeTruthy();
    expect(screen.getByTestId('courts-chart')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'HY-2025-001 诉调对接' })).toBeTruthy();
    expect(calls.some((c) => c.path.startsWith('/api/reports/courts?year='))).toBe(true);
  });

  it('lays the legend out below the chart, clear of the axes’ names and the bars’ labels, and wraps long court names', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ECharts' option union is read loosely in assertions
    const option = courtsChart(report, 'zh').option as any;
    expect(option.legend).toMatchObject({ bottom: 0 });
    expect(option.legend.top).toBeUndefined();
    expect(option.grid.bottom).toBe(LEGEND_HEIGHT);
    expect(option.grid.top).toBeGreaterThanOrEqual(24);
    expect(option.grid).toMatchObject({ outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' });
    expect(option.grid).not.toHaveProperty('containLabel');
    expect(option.xAxis.axisLabel).toMatchObject({ interval: 0, formatter: courtAxisLabel });
    expect(courtAxisLabel('嘉兴市中级人民法院')).toBe('嘉兴市中级\n人民法院');
    expect(courtAxisLabel('平湖市人民法院')).toBe('平湖市\n人民法院');
    expect(courtAxisLabel('某某法庭')).toBe('某某法庭');
  });

  it('keeps the chart and its table to the same figures', () => {
    const spec = courtsChart(report, 'zh');
    expect(spec.table.rows).toEqual([
      { court: '嘉兴市中级人民法院', rate: '—', score: '—' },
      { court: '平湖市人民法院', rate: '100.0%', score: '90.65' },
      { court: '海盐县人民法院', rate: '75.0%', score: '84.40' },
    ]);
  });
});
