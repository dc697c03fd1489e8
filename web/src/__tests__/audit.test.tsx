import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { createQueryClient } from '../api/queries';
import { setToken } from '../api/client';
import { AuthProvider } from '../auth';
import History from '../components/History';
import PayloadFields from '../components/PayloadFields';
import { ArchiveButton, DossierButton } from '../components/ArchiveButtons';
import RevisionsPanel from '../components/RevisionsPanel';
import Audit, { COMMENT_WIDTH, CheckpointView } from '../pages/Audit';

type Answer = { status?: number; body: unknown };
let answers: ((url: string, init?: RequestInit) => Answer | undefined)[] = [];
let me: Record<string, unknown> = {};
const calls: string[] = [];

beforeEach(() => {
  calls.length = 0;
  answers = [];
  me = { id: 9, username: 'auditor', displayName: '孙审计', roles: ['auditor'], branchId: null };
  setToken('test-token');
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    const url = String(input);
    calls.push(url);
    const base: Record<string, unknown> = {
      '/api/auth/me': me,
      '/api/branches': [{ id: 1, name: '立案庭党支部' }],
      '/api/partners': [{ id: 4, name: '当湖街道党工委', kind: 'government' }],
    };
    const answer = answers.map((f) => f(url, init)).find(Boolean) ?? (url in base ? { body: base[url] } : { status: 404, body: { code: 'NOT_FOUND', message: 'x' } });
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { 'Content-Type': 'application/json' } });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  setToken(null);
});

const wrap = (ui: ReactNode) => {
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false, refetchOnWindowFocus: false } });
  return render(
    <QueryClientProvider client={client}>
      <AntApp>
        <MemoryRouter>
          <AuthProvider>{ui}</AuthProvider>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
};

describe('PayloadFields', () => {
  it('shows a payload as labelled fields, names for ids and labels for codes, with the raw JSON one click away', async () => {
    const payload = { kind: 'joint_meeting', heldOn: '2026-05-15', partnerIds: [4], liaisonUserId: 7, problemSolved: true };
    wrap(<PayloadFields payload={payload} names={(kind, id) => (kind === 'partner' && id === 4 ? '当湖街道党工委' : kind === 'user' && id === 7 ? '周联络' : undefined)} />);
    const fields = screen.getByTestId('payload-fields');
    expect(fields.textContent).toContain('类型联席会议');
    expect(fields.textContent).toContain('活动日期2026-05-15');
    expect(fields.textContent).toContain('共建单位当湖街道党工委');
    expect(fields.textContent).toContain('本支部联络员周联络');
    expect(fields.textContent).toContain('实际问题是否解决是');
    expect(fields.textContent).not.toContain('joint_meeting');
    expect(screen.queryByTestId('payload-raw')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '查看原始数据（JSON）' }));
    expect(JSON.parse(screen.getByTestId('payload-raw').textContent!)).toEqual(payload);
  });

  it('leaves out empty fields and bookkeeping, and folds a long payload after six fields', () => {
    const created = { id: 5, createdAt: '2026-01-01T00:00:00.000Z', goals: null, coBranchIds: [], title: '诉源治理', theme: '调研', problem: '化解率', mode: 'voluntary', year: 2026, code: 'GJ-2026-001', categories: ['organization'], state: 'draft' };
    wrap(<PayloadFields payload={created} names={() => undefined} />);
    const fields = screen.getByTestId('payload-fields');
    expect(fields.querySelectorAll('tbody > tr, .ant-descriptions-row').length).toBeGreaterThan(0);
    expect(fields.textContent).toContain('名称诉源治理');
    expect(fields.textContent).not.toContain('共建目标');
    expect(fields.textContent).not.toContain('创建时间');
    expect(fields.textContent).not.toContain('状态草稿');
    fireEvent.click(screen.getByRole('button', { name: '展开全部 8 项' }));
    expect(screen.getByTestId('payload-fields').textContent).toContain('状态草稿');
  });

  it('shows an edit as each changed field, old → new', () => {
    wrap(<PayloadFields payload={{ changes: { title: { from: '旧名称', to: '新名称' }, categories: { from: ['organization'], to: ['organization', 'project'] } } }} names={() => undefined} />);
    const text = screen.getByTestId('payload-fields').textContent!;
    expect(text).toContain('名称旧名称 → 新名称');
    expect(text).toContain('结对类别组织结对 → 组织结对、项目结对');
  });
});

describe('History', () => {
  it('labels each event, names its actor, and shows the local time with the zone', async () => {
    wrap(
      <History
        userName={(id) => (id === '3' ? '李立案' : `#${id}`)}
        events={[
          { chain: 'pairing:1', seq: 2, at: '2026-03-01T02:00:00.000Z', actorId: '3', type: 'RECORD_ACTIVITY', fromState: 'active.collecting', toState: 'active.collecting', payload: { kind: 'activity_day', partnerIds: [4] }, comment: null, hash: 'h2' },
          { chain: 'pairing:1', seq: 1, at: '2026-02-28T16:30:00.000Z', actorId: '3', type: 'CREATE', fromState: null, toState: 'draft', payload: null, comment: null, hash: 'h1' },
        ]}
      />,
    );
    const items = screen.getAllByTestId('history-item');
    expect(items.map((i) => i.getAttribute('data-type'))).toEqual(['CREATE', 'RECORD_ACTIVITY']);
    // The time heads its entry (a column of its own left a phone's payload one character wide).
    expect(items[0].textContent).toContain('2026-03-01 00:30 (UTC+8)');
    expect(items[1].textContent).toContain('2026-03-01 10:00 (UTC+8)');
    expect(items[1].textContent).toContain('登记活动');
    expect(items[1].textContent).toContain('李立案');
    expect(items[1].textContent).toContain('共建活动日');
    await waitFor(() => expect(items[1].textContent).toContain('当湖街道党工委'));
    expect(document.body.textContent).toContain('2026-03-01 00:30 (UTC+8)');
  });
});

// Whole pages under antd render slowly in jsdom on a busy machine.
const PAGE_TIMEOUT = 30_000;

describe('Audit page', () => {
  const page = {
    items: [
      { chain: 'pairing:12', seq: 3, at: '2026-12-01T07:11:05.000Z', actorId: '5', type: 'RETURN', fromState: 'proposed', toState: 'returned', payload: null, comment: '请补充', prevHash: '0'.repeat(64), hash: 'a'.repeat(64) },
      { chain: 'system', seq: 40, at: '2026-12-01T07:12:00.000Z', actorId: '2', type: 'USER_CREATED', fromState: null, toState: null, payload: { user: { username: 'x', branchId: 1 } }, comment: null, prevHash: '1'.repeat(64), hash: 'b'.repeat(64) },
    ],
    total: 2,
    page: 1,
    pageSize: 20,
    timeZone: 'Asia/Shanghai',
    names: {
      pairings: { 'pairing:12': { id: 12, code: 'GJ-2026-004', title: '诉源治理共建' } },
      actors: { '5': { displayName: '王机关', username: 'committee' }, '2': { displayName: '系统管理员', username: 'admin' } },
    },
  };

  it('shows each pairing by its code and title, every actor by name, events by label, times local', async () => {
    answers.push((url) => (url.startsWith('/api/audit/events') ? { body: page } : undefined));
    wrap(<Audit />);
    const link = await screen.findByRole('link', { name: 'GJ-2026-004' }, { timeout: 8000 });
    expect(link.getAttribute('href')).toBe('/pairings/12');
    const rows = [...document.querySelectorAll('tr.ant-table-row')] as HTMLElement[];
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('诉源治理共建');
    expect(rows[0].textContent).not.toContain('pairing:12');
    expect(rows[0].textContent).toContain('王机关');
    expect(rows[0].textContent).toContain('退回修改');
    expect(rows[0].textContent).toContain('2026-12-01 15:11 (UTC+8)');
    expect(rows[1].textContent).toContain('系统管理员');
    expect(rows[1].textContent).not.toContain('#2');
    expect(rows[1].textContent).toContain('新建用户');
    expect(document.body.textContent).toContain('时间为北京时间（UTC+8）');
  }, PAGE_TIMEOUT);

  it('gives a comment room to be read, the whole text on hover and in the row’s detail', async () => {
    const long = '请补充共建单位联络员的联系方式，并细化拟解决的实际问题：写明上年诉前化解率、本年目标和每季度的共建活动安排，便于机关党委备案和季度考核。';
    answers.push((url) => (url.startsWith('/api/audit/events') ? { body: { ...page, items: [{ ...page.items[0], comment: long }, page.items[1]] } } : undefined));
    wrap(<Audit />);
    await screen.findByRole('link', { name: 'GJ-2026-004' }, { timeout: 8000 });
    const header = screen.getByRole('columnheader', { name: '意见' });
    const index = [...header.parentElement!.children].indexOf(header);
    const col = document.querySelectorAll('.ant-table-content colgroup col, .ant-table-header colgroup col')[index] as HTMLElement | undefined;
    expect(col?.style.width).toBe(`${COMMENT_WIDTH}px`);
    expect(COMMENT_WIDTH).toBeGreaterThanOrEqual(240);
    const cell = screen.getByTestId('audit-comment');
    expect(cell.getAttribute('title')).toBe(long);
    expect(cell.className).toContain('gj-audit-comment');
    const rows = [...document.querySelectorAll('tr.ant-table-row')] as HTMLElement[];
    fireEvent.click(within(rows[0]).getByRole('button', { name: /展开行|Expand row/ }));
    expect((await screen.findByTestId('audit-detail-comment')).textContent).toContain(long);
  }, PAGE_TIMEOUT);

  it('says which zone the times are in, as the server names it', async () => {
    answers.push((url) => (url.startsWith('/api/audit/events') ? { body: { ...page, timeZone: 'Asia/Kolkata' } } : undefined));
    wrap(<Audit />);
    await screen.findByRole('link', { name: 'GJ-2026-004' }, { timeout: 8000 });
    expect(document.body.textContent).toContain('时间为Asia/Kolkata（UTC+5:30）');
    expect(document.querySelector('tr.ant-table-row')!.textContent).toContain('2026-12-01 12:41 (UTC+5:30)');
  }, PAGE_TIMEOUT);

  it('searches by code and actor, and marks an unknown code on its field', async () => {
    answers.push((url) =>
      url.startsWith('/api/audit/events') && url.includes('code=GJ-2099-999')
        ? { status: 404, body: { statusCode: 404, code: 'NOT_FOUND', message: 'No pairing has the code GJ-2099-999.', details: [{ field: 'code', messages: ['no pairing has the code GJ-2099-999'] }] } }
        : undefined,
    );
    answers.push((url) => (url.startsWith('/api/audit/events') ? { body: { ...page, items: [], total: 0 } } : undefined));
    wrap(<Audit />);
    await screen.findByRole('heading', { name: '审计查询' }, { timeout: 8000 });
    fireEvent.change(screen.getByPlaceholderText('GJ-2026-004'), { target: { value: 'GJ-2099-999' } });
    fireEvent.change(screen.getByPlaceholderText('姓名或用户名'), { target: { value: '王机关' } });
    fireEvent.click(screen.getByRole('button', { name: /查\s?询/ }));
    await screen.findByText('没有编号为 GJ-2099-999 的项目', {}, { timeout: 8000 });
    const searched = calls.filter((c) => c.includes('code=GJ-2099-999'));
    expect(searched.at(-1)).toContain(`actor=${encodeURIComponent('王机关')}`);
  }, PAGE_TIMEOUT);

  it('shows no rows of the search before under a refused code, and offers to verify no other pairing', async () => {
    answers.push((url) =>
      url.startsWith('/api/audit/events') && url.includes('code=GJ-2099-999')
        ? { status: 404, body: { statusCode: 404, code: 'NOT_FOUND', message: 'No pairing has the code GJ-2099-999.', details: [{ field: 'code', messages: ['no pairing has the code GJ-2099-999'] }] } }
        : undefined,
    );
    // The first page holds events of one pairing only (GJ-2026-004).
    answers.push((url) => (url.startsWith('/api/audit/events') ? { body: { ...page, items: [page.items[0]], total: 1 } } : undefined));
    wrap(<Audit />);
    await screen.findByRole('link', { name: 'GJ-2026-004' }, { timeout: 8000 });
    fireEvent.change(screen.getByPlaceholderText('GJ-2026-004'), { target: { value: 'GJ-2099-999' } });
    fireEvent.click(screen.getByRole('button', { name: /查\s?询/ }));
    await screen.findByText('没有编号为 GJ-2099-999 的项目', {}, { timeout: 8000 });
    expect(document.querySelectorAll('tr.ant-table-row')).toHaveLength(0);
    expect(screen.queryByRole('link', { name: 'GJ-2026-004' })).toBeNull();
    expect(screen.getByRole('button', { name: /校验审计链/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /校验 GJ-2026-004/ })).toBeNull();
  }, PAGE_TIMEOUT);
});

describe('CheckpointView', () => {
  it('says whether the signature matched, how many chains were checked, and which changed since', () => {
    wrap(
      <CheckpointView
        check={{ signatureValid: true, at: '2026-12-01T07:00:00.000Z', chains: 5, asBefore: 3, grown: 1, truncated: [{ chain: 'pairing:3', checkpointSeq: 9, currentSeq: 4 }], rewritten: [{ chain: 'system', seq: 12 }] }}
      />,
    );
    const result = screen.getByTestId('checkpoint-result');
    expect(result.getAttribute('data-signature')).toBe('true');
    expect(result.textContent).toContain('检查点签名有效');
    expect(screen.getByTestId('checkpoint-summary').textContent).toBe(
      '检查点（2026-12-01 15:00 (UTC+8)）记录了 5 条链：3 条与当时一致（其中 1 条此后有新增记录），1 条被截短，1 条被改写。',
    );
    const table = within(result).getByRole('table');
    expect(table.textContent).toContain('pairing:3');
    expect(table.textContent).toContain('系统链');
    expect(table.textContent).toContain('检查点时到第 9 条，现在只到第 4 条');
    expect(table.textContent).toContain('第 12 条的哈希与检查点不同');
  });

  it('names each chain found changed by its pairing’s code, beside the chain id', async () => {
    answers.push((url) => (url === '/api/pairings/3' ? { body: { id: 3, code: 'GJ-2026-003', title: '诉源治理共建', version: 4 } } : undefined));
    wrap(
      <CheckpointView
        check={{ signatureValid: true, chains: 2, truncated: [{ chain: 'pairing:3', checkpointSeq: 9, currentSeq: 4 }], rewritten: [{ chain: 'system:GJ', seq: 7 }] }}
      />,
    );
    const code = await screen.findByRole('link', { name: 'GJ-2026-003' }, { timeout: 8000 });
    expect(code.getAttribute('href')).toBe('/pairings/3');
    expect(screen.getByTestId('chain-name').textContent).toBe('GJ-2026-003 pairing:3');
    // A court's own system chain (system:<court code>) is named as such.
    expect(within(screen.getByTestId('checkpoint-result')).getByRole('table').textContent).toContain('系统链 GJ');
  });

  it('says plainly when the signature does not match', () => {
    wrap(<CheckpointView check={{ signatureValid: false, chains: 2, truncated: [], rewritten: [] }} />);
    expect(screen.getByTestId('checkpoint-result').textContent).toContain('检查点签名无效');
  });
});

describe('RevisionsPanel', () => {
  const revision = (n: number, proposal: Record<string, unknown>, changes: { field: string; from: unknown; to: unknown }[], outcome: unknown = null) => ({
    revision: n,
    seq: n * 3,
    submittedAt: '2026-11-30T02:00:00.000Z',
    submittedBy: '3',
    submittedByName: '李立案',
    proposal,
    changes,
    outcome,
    names: { users: { '7': '周联络', '8': '钱联络' }, branches: { '1': '立案庭党支部' }, partners: { '4': '当湖街道党工委', '5': '平湖市社会治理中心' } },
  });
  const revisions = [
    revision(1, { title: '诉源治理', partnerIds: [4], liaisonUserId: 7 }, [], { type: 'RETURN', at: '2026-11-30T03:00:00.000Z', actorId: '5', comment: '请补充共建单位' }),
    revision(2, { title: '诉源治理（修改稿）', partnerIds: [4, 5], liaisonUserId: 8 }, [
      { field: 'title', from: '诉源治理', to: '诉源治理（修改稿）' },
      { field: 'partnerIds', from: [4], to: [4, 5] },
      { field: 'liaisonUserId', from: 7, to: 8 },
    ]),
  ];

  it('tells the committee which revision this is and shows each changed field, old and new side by side, by name', async () => {
    answers.push((url) => (url === '/api/pairings/12/revisions' ? { body: revisions } : undefined));
    wrap(<RevisionsPanel pairingId={12} state="proposed" version={6} />);
    const heading = await screen.findByTestId('revision-heading', {}, { timeout: 8000 });
    expect(heading.textContent).toContain('第 2 次提交');
    expect(heading.textContent).toContain('李立案');
    expect(heading.textContent).toContain('2026-11-30 10:00 (UTC+8)');
    const table = screen.getByTestId('revision-changes');
    expect(table.textContent).toContain('第 1 次提交（原）');
    expect(table.textContent).toContain('第 2 次提交（新）');
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['名称', '诉源治理', '诉源治理（修改稿）'],
      ['共建单位', '当湖街道党工委', '当湖街道党工委、平湖市社会治理中心'],
      ['本支部联络员', '周联络', '钱联络'],
    ]);
    expect(document.body.textContent).toContain('请补充共建单位');
  });

  it('says it is the first submission when there is nothing to compare, and hides once decided', async () => {
    answers.push((url) => (url === '/api/pairings/13/revisions' ? { body: revisions.slice(0, 1) } : undefined));
    wrap(<RevisionsPanel pairingId={13} state="proposed" />);
    expect((await screen.findByTestId('revision-heading', {}, { timeout: 8000 })).textContent).toContain('第 1 次提交');
    expect(document.body.textContent).toContain('这是第一次提交');
    cleanup();
    wrap(<RevisionsPanel pairingId={13} state="approved" />);
    await waitFor(() => expect(calls.filter((c) => c === '/api/pairings/13/revisions')).toHaveLength(2));
    expect(screen.queryByTestId('revisions-panel')).toBeNull();
  });
});

describe('archive buttons', () => {
  const pairing = { id: 12, code: 'GJ-2026-004', leadBranchId: 1 };
  beforeEach(() => {
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined }));
    answers.push((url) => (url.endsWith('/dossier') || url.includes('/archive') ? { body: 'PK' } : undefined));
  });

  it.each([
    ['auditor', ['auditor'], null, true],
    ['a supervisor (of this court or the one above it)', ['supervisor'], null, true],
    ['the lead branch’s secretary', ['secretary'], 1, true],
    ['another branch’s secretary', ['secretary'], 2, false],
    ['a member', ['member'], 1, false],
  ])('归档下载 is offered to %s: %s', async (_, roles, branchId, shown) => {
    me = { id: 3, username: 'u', displayName: 'u', roles, branchId };
    wrap(<DossierButton pairing={pairing} />);
    await waitFor(() => expect(calls).toContain('/api/auth/me'));
    if (!shown) {
      await new Promise((r) => setTimeout(r, 100));
      expect(screen.queryByRole('button', { name: /归档下载/ })).toBeNull();
      return;
    }
    fireEvent.click(await screen.findByRole('button', { name: /归档下载/ }, { timeout: 8000 }));
    await waitFor(() => expect(calls).toContain('/api/pairings/12/dossier'));
  });

  it('offers 年度归档 of the chosen year to auditors and the committee only', async () => {
    me = { id: 4, username: 'committee', displayName: '王机关', roles: ['committee'], branchId: null };
    wrap(<ArchiveButton year={2025} />);
    fireEvent.click(await screen.findByRole('button', { name: /2025年度归档/ }, { timeout: 8000 }));
    await waitFor(() => expect(calls).toContain('/api/reports/archive?year=2025'));
    cleanup();
    me = { id: 5, username: 'leader', displayName: '赵院长', roles: ['leader'], branchId: null };
    wrap(<ArchiveButton year={2025} />);
    await waitFor(() => expect(calls.filter((c) => c === '/api/auth/me')).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 100));
    expect(screen.queryByRole('button', { name: /年度归档/ })).toBeNull();
  });
});
