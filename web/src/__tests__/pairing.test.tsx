import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import PairingDetail from '../pages/PairingDetail';
import { fakeFetch, renderWithApp } from './render';

vi.mock('../auth', async () =>
  (await import('./auth-mock')).signedInAs({ id: 1, username: 'committee', displayName: '王机关', roles: ['committee'], branchId: null }),
);

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** A scored pairing with something in every tab: agreement, plan (items and indicators), activities, reports, review. */
const pairing = {
  id: 1,
  code: 'PH-2025-001',
  year: 2025,
  title: '诉源治理结对共建',
  theme: '基层诉源治理',
  problem: '诉前化解率偏低',
  goals: '诉调对接顺畅',
  mode: 'voluntary',
  form: 'one_to_one',
  leadBranchId: 4,
  coBranchIds: [],
  partnerIds: [4],
  categories: ['organization', 'project'],
  liaisonUserId: 7,
  partnerLiaisons: [{ partnerId: 4, name: '周联络', phone: '0573-1234567' }],
  state: 'scored',
  version: 30,
  workflowVersion: 3,
  quarterScores: [{ quarter: 1, score: 88.5 }],
  reviewScore: 92,
  finalScore: 90.65,
  availableEvents: [],
  blockedEvents: [],
  createdAt: '2026-12-04T03:58:41.197Z',
  updatedAt: '2026-12-04T03:58:41.638Z',
  agreement: {
    signedOn: '2025-01-08',
    validFrom: '2025-01-01',
    validTo: '2025-12-31',
    goals: '党建共建、业务互促',
    content: '组织结对、项目结对',
    requirements: '每季度召开一次联席会议',
    attachmentIds: [],
    countersignatures: [{ partnerId: 4, paper: false, attachmentIds: [], countersignedBy: 10, countersignedAt: '2026-12-04T03:58:41.338Z' }],
  },
  plan: {
    startQuarter: 1,
    items: [
      { title: '联席会议', quarter: 1, dueDate: '2025-03-25', owner: '支部书记' },
      { title: '联席会议', quarter: 1, dueDate: '2025-03-25', owner: '支部书记' },
    ],
    indicators: [{ name: '家事纠纷诉前化解率', unit: '%', baseline: 48.1, target: 55, higherIsBetter: true }],
  },
  activities: [{ id: 1, quarter: 1, kind: 'joint_meeting', heldOn: '2025-02-10', title: '第1季度联席会议', participants: 8, partnerParticipants: 5, attachmentIds: [], voided: false, confirmations: [] }],
  reports: [
    { id: 1, quarter: 1, summary: '第1季度退回的报告', status: 'returned', requirementsMet: true, indicatorValues: [] },
    { id: 2, quarter: 1, summary: '第1季度重报的报告', status: 'scored', requirementsMet: true, score: 88.5, indicatorValues: [{ name: '家事纠纷诉前化解率', value: 50.3 }] },
  ],
  evaluations: [],
  review: {
    summary: '全年召开联席会议4次',
    problemSolved: true,
    problemResolution: '建立诉调对接工作室',
    outcomes: [
      { indicator: '家事纠纷诉前化解率', value: 59.26, unit: '%', baseline: 48.1 },
      { indicator: '家事纠纷诉前化解率', value: 59.26, unit: '%', baseline: 48.1 },
    ],
    status: 'approved',
    score: 92,
  },
  compliance: [{ quarter: 1, jointMeetings: 1, activityDays: 1, reportSubmitted: true, requirementsMet: true, score: 88.5, dueDate: '2025-04-15', overdue: false }],
};

describe('the pairing page', () => {
  it('prints no deprecation or layout warning in any of its tabs (Card size, rowKey’s index, Descriptions spans)', async () => {
    const printed: string[] = [];
    for (const level of ['error', 'warn', 'log'] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    fakeFetch((_, path) =>
      path === '/api/pairings/1'
        ? { body: pairing, headers: { ETag: '"30"' } }
        : ['/api/pairings/1/history', '/api/pairings/1/people', '/api/branches', '/api/partners', '/api/branches/4/members'].includes(path)
          ? { body: [] }
          : undefined,
    );
    renderWithApp(<PairingDetail />, { route: '/pairings/1', path: '/pairings/:id' });
    // A scored pairing opens on its review; every other tab is visited once.
    await screen.findByText('全年召开联席会议4次');
    for (const [tab, shows] of [
      ['项目概况', '诉前化解率偏低'],
      ['季度考核', '第1季度重报的报告'],
      ['活动登记（1）', '第1季度联席会议'],
      ['协议与计划', '每季度召开一次联席会议'],
    ]) {
      fireEvent.click(screen.getByRole('tab', { name: tab }));
      await screen.findByText(shows);
    }
    expect(printed.filter((line) => /deprecat|Sum of column/i.test(line))).toEqual([]);
  }, 20_000);
});
