import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import PartnerHome from '../pages/PartnerHome';
import PairingDetail from '../pages/PairingDetail';
import { fakeFetch, renderWithApp } from './render';

vi.mock('../auth', async () =>
  (await import('./auth-mock')).signedInAs({ id: 10, username: 'partner', displayName: '钱联络', roles: ['partner'], branchId: null, partnerId: 4 }),
);

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const PARTNERS = [
  { id: 4, name: '平湖市社会治理中心党支部', kind: 'public_institution' },
  { id: 5, name: '平湖市公安局看守所党支部', kind: 'government' },
];

const TASKS = [
  { pairingId: 7, code: 'GJ-2026-007', title: '诉源治理结对', kind: 'COUNTERSIGN_AGREEMENT', state: 'active.collecting', waitsOn: 'partner', since: '2026-10-01T00:00:00.000Z' },
  {
    pairingId: 7,
    code: 'GJ-2026-007',
    title: '诉源治理结对',
    kind: 'CONFIRM_ACTIVITY',
    state: 'active.collecting',
    waitsOn: 'partner',
    since: '2026-10-20T00:00:00.000Z',
    activityId: 31,
    activityTitle: '第四季度联席会议',
    activityKind: 'joint_meeting',
    heldOn: '2026-10-18',
  },
];

describe('the partner workbench', () => {
  it('lists what waits for the partner and confirms an activity with one tap', async () => {
    let confirmed = false;
    const calls = fakeFetch((method, path) => {
      if (path === '/api/tasks') return { body: confirmed ? TASKS.slice(0, 1) : TASKS };
      if (path.startsWith('/api/pairings?')) return { body: { items: [{ id: 7, code: 'GJ-2026-007', title: '诉源治理结对', state: 'active.collecting' }], total: 1, page: 1, pageSize: 50 } };
      if (path === '/api/partners') return { body: PARTNERS };
      if (path === '/api/branches') return { body: [] };
      if (method === 'POST' && path === '/api/pairings/7/events') {
        confirmed = true;
        return { body: { id: 7 } };
      }
      return undefined;
    });
    renderWithApp(<PartnerHome />);
    expect(await screen.findByText('第四季度联席会议')).toBeTruthy();
    expect(screen.getByText('去会签')).toBeTruthy();
    fireEvent.click(screen.getByTestId('confirm-activity-31'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ type: 'CONFIRM_ACTIVITY', activityId: 31 });
    expect(post.headers['Idempotency-Key']).toEqual(expect.any(String));
    await waitFor(() => expect(screen.queryByText('第四季度联席会议')).toBeNull());
  });
});

describe('a pairing as the partner sees it', () => {
  it('shows who countersigned when, 双方确认 on activities, and a confirm button for the ones still open', async () => {
    const pairing = {
      id: 7,
      code: 'GJ-2026-007',
      year: 2026,
      title: '诉源治理结对',
      theme: '基层诉源治理',
      problem: '家事纠纷诉前化解率偏低',
      mode: 'voluntary',
      leadBranchId: 1,
      partnerIds: [4, 5],
      categories: ['organization'],
      state: 'agreementSigned',
      version: 5,
      workflowVersion: 2,
      availableEvents: ['CONFIRM_ACTIVITY'],
      blockedEvents: [],
      agreement: {
        signedOn: '2026-01-10',
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
        goals: '目标',
        content: '内容',
        requirements: '要求',
        attachmentIds: [],
        countersignatures: [{ partnerId: 4, paper: false, attachmentIds: [], countersignedBy: 10, countersignedAt: '2026-01-12T02:30:00.000Z' }],
      },
      activities: [
        { id: 31, quarter: 4, kind: 'joint_meeting', heldOn: '2026-10-18', title: '联席会议', confirmedByPartner: true, confirmations: [{ partnerId: 4, confirmedBy: 10, confirmedAt: '2026-10-19T01:00:00.000Z' }] },
        { id: 32, quarter: 4, kind: 'activity_day', heldOn: '2026-10-25', title: '共建活动日', confirmedByPartner: false, confirmations: [] },
      ],
      reports: [],
      compliance: [],
    };
    fakeFetch((_, path) => {
      if (path === '/api/pairings/7') return { body: pairing, headers: { ETag: '"5"' } };
      if (path === '/api/partners') return { body: PARTNERS };
      if (path === '/api/branches') return { body: [] };
      if (path.endsWith('/history') || path.endsWith('/people') || path.endsWith('/revisions')) return { body: [] };
      if (path === '/api/calendar') return { body: { timezone: 'Asia/Shanghai', today: '2026-12-01' } };
      return { body: [] };
    });
    renderWithApp(<PairingDetail />, { route: '/pairings/7', path: '/pairings/:id' });
    const signed = await screen.findByTestId('countersignatures');
    expect(signed.textContent).toContain('平湖市社会治理中心党支部');
    expect(signed.textContent).toContain('已会签');
    expect(signed.textContent).toContain('2026-01-12');
    expect(signed.textContent).toContain('平湖市公安局看守所党支部');
    expect(signed.textContent).toContain('待会签');
    expect(screen.queryByTestId('workflow-version')).toBeNull();
    fireEvent.click(screen.getByRole('tab', { name: /活动/ }));
    expect((await screen.findAllByText('双方确认')).length).toBeGreaterThan(0);
    expect(screen.getByTestId('confirm-32')).toBeTruthy();
    expect(screen.queryByTestId('confirm-31')).toBeNull();
  });
});

describe('a pairing still on workflow version 1', () => {
  it('says so beside its state', async () => {
    fakeFetch((_, path) => {
      if (path === '/api/pairings/8')
        return {
          body: { id: 8, code: 'GJ-2026-008', year: 2026, title: '旧流程结对', theme: 't', problem: 'p', mode: 'voluntary', leadBranchId: 1, partnerIds: [4], categories: [], state: 'approved', version: 3, workflowVersion: 1, availableEvents: [], blockedEvents: [], activities: [], reports: [], compliance: [] },
          headers: { ETag: '"3"' },
        };
      if (path === '/api/partners') return { body: PARTNERS };
      return { body: [] };
    });
    renderWithApp(<PairingDetail />, { route: '/pairings/8', path: '/pairings/:id' });
    expect((await screen.findByTestId('workflow-version')).textContent).toBe('流程第1版');
  });
});

describe('the history a partner reads', () => {
  it('starts at the approval and says so, without calling the chain broken', async () => {
    const approve = { chain: 'pairing:9', seq: 7, at: '2026-03-01T02:00:00.000Z', actorId: '3', type: 'APPROVE', fromState: 'proposed', toState: 'approved', payload: null, comment: null, prevHash: '1'.repeat(64), hash: '2'.repeat(64) };
    const sign = { ...approve, seq: 8, type: 'SIGN_AGREEMENT', fromState: 'approved', toState: 'agreementSigned', actorId: '2', prevHash: '2'.repeat(64), hash: '3'.repeat(64) };
    fakeFetch((_, path) => {
      if (path === '/api/pairings/9')
        return {
          body: { id: 9, code: 'GJ-2026-009', year: 2026, title: '结对', theme: 't', problem: 'p', mode: 'voluntary', leadBranchId: 1, partnerIds: [4], categories: [], state: 'agreementSigned', version: 8, workflowVersion: 3, availableEvents: [], blockedEvents: [], activities: [], reports: [], compliance: [] },
          headers: { ETag: '"8"' },
        };
      if (path.endsWith('/history')) return { body: [approve, sign] };
      if (path === '/api/partners') return { body: PARTNERS };
      return { body: [] };
    });
    renderWithApp(<PairingDetail />, { route: '/pairings/9', path: '/pairings/:id' });
    fireEvent.click(await screen.findByRole('tab', { name: /办理记录/ }));
    const items = await screen.findAllByTestId('history-item');
    expect(items.map((item) => item.getAttribute('data-type'))).toEqual(['APPROVE', 'SIGN_AGREEMENT']);
    expect(screen.getByTestId('history-from-approval').textContent).toContain('自项目批准起');
  });
});
