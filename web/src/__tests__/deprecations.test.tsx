import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { CourtsReport, DashboardData } from '../api/types';
import Dashboard from '../pages/Dashboard';
import PartnerHome from '../pages/PartnerHome';
import { PracticeList } from '../pages/Practices';
import Courts from '../pages/Courts';
import { ChartCard } from '../overview/ChartCard';
import { complianceChart } from '../overview/charts';
import { fakeFetch, renderWithApp } from './render';

vi.mock('../auth', async () =>
  (await import('./auth-mock')).signedInAs({ id: 2, username: 'secretary', displayName: '李立案', roles: ['secretary'], branchId: 4, partnerId: 4 }),
);

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const notice = { id: 1, pairingId: 5, kind: 'WAITING', title: 'GJ-2026-005 待您办理', body: '…', done: false, createdAt: '2026-11-30T01:00:00.000Z', readAt: null, read: false };
const task = { pairingId: 7, code: 'GJ-2026-007', title: '诉源治理结对', kind: 'COUNTERSIGN_AGREEMENT', state: 'active.collecting', waitsOn: 'partner', since: '2026-10-01T00:00:00.000Z' };
const practice = {
  id: 3,
  status: 'published',
  title: '共享法庭让诉前化解率提升至59%',
  summary: '支部与社会治理办共建共享法庭。',
  publishedAt: '2026-12-01T07:00:00.000Z',
  publishedBy: { id: 1, displayName: '王机关' },
  withdrawnAt: null,
  withdrawComment: null,
  pairing: { id: 5, code: 'GJ-2025-001', year: 2025, title: '诉源治理', theme: '诉源治理', problem: '…', leadBranchName: '立案庭党支部', partnerNames: ['平湖市社会治理中心党支部'], finalScore: 90.65 },
  review: null,
  indicators: [],
  photos: [],
};
const report: CourtsReport = {
  year: 2025,
  quarter: null,
  asOf: '2026-12-01',
  generatedAt: '2026-12-01T07:00:00.000Z',
  courts: [
    { courtId: 2, code: 'PH', name: '平湖市人民法院', parentCourtId: 1, pairings: 1, byState: [{ state: 'scored', count: 1 }], compliance: { due: 4, met: 4, rate: 1 }, overdueQuarters: 0, scored: 1, meanFinalScore: 90.65 },
  ],
  ranking: { pairings: [], branches: [] },
};
const compliance = { quarters: [1, 2, 3, 4].map((quarter) => ({ quarter, due: 1, met: 1, rate: 1 })), year: { quarter: 0, due: 4, met: 4, rate: 1 } };

const answers: Record<string, unknown> = {
  '/api/notifications': { unread: 1, items: [notice] },
  '/api/tasks': [task],
  '/api/practices': [practice],
  '/api/partners': [],
  '/api/branches': [],
};

/** Everything antd and ECharts printed while `ui` rendered and showed `text`. */
async function printedWhile(ui: ReactElement, text: string) {
  const printed: string[] = [];
  for (const level of ['error', 'warn', 'log'] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
  fakeFetch((_, path) =>
    path in answers
      ? { body: answers[path] }
      : path.startsWith('/api/pairings?')
        ? { body: { items: [{ id: 7, code: 'GJ-2026-007', title: '诉源治理结对', state: 'active.collecting' }], total: 1, page: 1, pageSize: 50 } }
        : path.startsWith('/api/reports/courts')
          ? { body: report }
          : undefined,
  );
  renderWithApp(ui);
  await screen.findAllByText(text);
  return printed.filter((line) => /deprecat|containLabel|outerBounds/i.test(line));
}

describe('the pages a clerk reads every day', () => {
  it('print no deprecation warning: the workbench', async () => {
    expect(await printedWhile(<Dashboard />, 'GJ-2026-005 待您办理')).toEqual([]);
  });

  it('print no deprecation warning: the partner’s workbench', async () => {
    expect(await printedWhile(<PartnerHome />, '诉源治理结对')).toEqual([]);
  });

  it('print no deprecation warning: the good practices', async () => {
    expect(await printedWhile(<PracticeList />, '共享法庭让诉前化解率提升至59%')).toEqual([]);
  });

  it('print no deprecation warning: the courts compared', async () => {
    expect(await printedWhile(<Courts />, '平湖市人民法院')).toEqual([]);
  });

  it('print no deprecation warning: a chart of the overview and its numbers', async () => {
    expect(await printedWhile(<ChartCard title="季度达标率" spec={complianceChart({ compliance } as DashboardData, 'zh')} />, '季度达标率')).toEqual([]);
  });
});
