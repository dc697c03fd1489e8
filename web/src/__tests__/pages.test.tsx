import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes, useParams } from 'react-router';
import PairingDetail from '../pages/PairingDetail';
import ProposalForm, { PHONE } from '../pages/ProposalForm';
import Dashboard from '../pages/Dashboard';
import { fakeFetch, renderWithApp } from './render';

vi.mock('../auth', async () =>
  (await import('./auth-mock')).signedInAs({ id: 2, username: 'secretary', displayName: '李立案', roles: ['secretary'], branchId: 4 }),
);

function PairingParam() {
  return <div data-testid="opened">{useParams().id}</div>;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const lists = (path: string) => (['/api/branches', '/api/partners', '/api/tasks'].includes(path) ? { body: [] } : undefined);

describe('a bad address', () => {
  it('shows the not-found page with a way home, without asking the server about "abc"', async () => {
    const calls = fakeFetch((_, path) => lists(path));
    renderWithApp(<PairingDetail />, { route: '/pairings/abc', path: '/pairings/:id' });
    expect(await screen.findByTestId('not-found')).toBeTruthy();
    expect(screen.getByRole('link', { name: /返回工作台/ }).getAttribute('href')).toBe('/');
    expect(calls.some((c) => c.path.includes('abc'))).toBe(false);
  });

  it('shows the same page for a pairing that does not exist or is not yours', async () => {
    fakeFetch(
      (_, path) =>
        lists(path) ??
        (path === '/api/pairings/999' ? { status: 404, body: { statusCode: 404, code: 'NOT_FOUND', message: 'nope' } } : undefined),
    );
    renderWithApp(<PairingDetail />, { route: '/pairings/999', path: '/pairings/:id' });
    expect(await screen.findByTestId('not-found')).toBeTruthy();
  });
});

describe('the proposal form', () => {
  it('marks only what a draft needs (year and title) as required', async () => {
    fakeFetch((_, path) => lists(path));
    const { container } = renderWithApp(<ProposalForm />, { route: '/pairings/new' });
    await screen.findByText('保存草稿', { exact: false });
    const required = [...container.querySelectorAll('.ant-form-item-required')].map((el) => el.textContent);
    expect(required).toEqual(['年度', '项目名称']);
  });
});

describe('the proposal form, editing', () => {
  it('clears the goals when their field is emptied (null sent), instead of leaving the old ones', async () => {
    const pairing = {
      id: 5,
      code: 'GJ-2026-005',
      year: 2026,
      title: '结对',
      theme: '主题',
      problem: '问题',
      goals: '旧的共建目标',
      mode: 'voluntary',
      state: 'draft',
      version: 1,
      leadBranchId: 4,
      coBranchIds: [],
      partnerIds: [],
      categories: [],
      liaisonUserId: null,
      partnerLiaisons: [],
    };
    const calls = fakeFetch((method, path) =>
      path === '/api/pairings/5'
        ? method === 'PATCH'
          ? { body: { ...pairing, goals: null, version: 2 } }
          : { body: pairing, headers: { ETag: '"1"' } }
        : lists(path),
    );
    renderWithApp(<ProposalForm />, { route: '/pairings/5/edit', path: '/pairings/:id/edit' });
    const goals = (await screen.findByDisplayValue('旧的共建目标')) as HTMLTextAreaElement;
    fireEvent.change(goals, { target: { value: '  ' } });
    fireEvent.click(screen.getByRole('button', { name: /保存修改/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(calls.find((c) => c.method === 'PATCH')!.body).toMatchObject({ goals: null, title: '结对' });
  });
});

describe('the workbench', () => {
  it('shows the server’s notices as it wrote them, done ones marked 已办结, and the server’s overdue flag only', async () => {
    fakeFetch((_, path) => {
      if (path === '/api/notifications')
        return {
          body: {
            unread: 1,
            items: [
              {
                id: 2,
                pairingId: 5,
                kind: 'DECISION',
                title: 'GJ-2026-005 退回修改',
                body: '理由：请细化目标。',
                needsAction: true,
                done: false,
                createdAt: '2026-12-01T07:11:00.000Z',
                readAt: null,
                read: false,
              },
              {
                id: 1,
                pairingId: 5,
                kind: 'WAITING',
                title: 'GJ-2026-005 待您办理',
                body: '…',
                needsAction: true,
                done: true,
                createdAt: '2026-11-30T01:00:00.000Z',
                readAt: null,
                read: false,
              },
            ],
          },
        };
      if (path === '/api/tasks')
        return {
          body: [
            {
              pairingId: 5,
              code: 'GJ-2026-005',
              title: '结对',
              kind: 'REVISE_PROPOSAL',
              state: 'returned',
              since: '2026-11-01T00:00:00.000Z',
              dueAt: '2026-11-08T16:00:00.000Z',
              overdue: false,
            },
            {
              pairingId: 6,
              code: 'GJ-2026-006',
              title: '结对二',
              kind: 'SUBMIT_QUARTER_REPORT',
              state: 'active.collecting',
              quarter: 3,
              since: '2026-07-01T00:00:00.000Z',
              dueAt: '2026-10-15T16:00:00.000Z',
              overdue: true,
            },
          ],
        };
      return lists(path);
    });
    renderWithApp(<Dashboard />);
    const notes = await screen.findAllByTestId('notification');
    expect(notes.map((n) => [n.getAttribute('data-kind'), n.getAttribute('data-done')])).toEqual([
      ['DECISION', 'false'],
      ['WAITING', 'true'],
    ]);
    expect(notes[1].textContent).toContain('已办结');
    expect(notes[0].textContent).toContain('2026-12-01 15:11 (UTC+8)');
    // A due date passed by the client's clock is not 已逾期 unless the server says so.
    await waitFor(() => expect(screen.getAllByText(/已逾期/)).toHaveLength(1));
    expect(screen.getByText(/已逾期/).textContent).toContain('2026-10-16');
  });
});

describe('the workbench’s tasks', () => {
  it('open the pairing a task is about when its row is clicked, not only its link', async () => {
    fakeFetch((_, path) =>
      path === '/api/tasks'
        ? {
            body: [
              {
                pairingId: 7,
                code: 'GJ-2026-007',
                title: '结对七',
                kind: 'REVISE_PROPOSAL',
                state: 'returned',
                since: '2026-11-01T00:00:00.000Z',
                dueAt: null,
                overdue: false,
              },
            ],
          }
        : path === '/api/notifications'
          ? { body: { unread: 0, items: [] } }
          : lists(path),
    );
    renderWithApp(
      <Routes>
        <Route path="/" element={<Dashboard />} />
        <Route path="/pairings/:id" element={<PairingParam />} />
      </Routes>,
    );
    const [row] = await screen.findAllByTestId('task');
    fireEvent.click(within(row).getByText('按退回意见修改申报', { exact: false }));
    expect((await screen.findByTestId('opened')).textContent).toBe('7');
  });
});

describe('the workbench’s notices', () => {
  const notice = (id: number, over: Record<string, unknown>) => ({
    id,
    pairingId: 5,
    kind: 'WAITING',
    title: `GJ-2026-005 待您办理 ${id}`,
    body: '…',
    needsAction: true,
    createdAt: '2026-11-30T01:00:00.000Z',
    ...over,
  });
  const answer = (items: unknown[], unread: number) => (_: string, path: string) =>
    path === '/api/notifications' ? { body: { unread, items } } : lists(path);

  it('offers 标为已读 only on a notice neither read nor done; a done one shows 已办结 instead', async () => {
    fakeFetch(
      answer(
        [
          notice(3, { done: false, readAt: null, read: false }),
          notice(2, { done: true, readAt: null, read: false }),
          notice(1, { done: false, readAt: '2026-11-30T02:00:00.000Z', read: true }),
        ],
        1,
      ),
    );
    renderWithApp(<Dashboard />);
    const [open, done, read] = await screen.findAllByTestId('notification');
    expect(within(open).getByRole('button', { name: /标为已读/ })).toBeTruthy();
    expect(within(done).queryByRole('button', { name: /标为已读/ })).toBeNull();
    expect(within(done).getByText('已办结')).toBeTruthy();
    expect(within(read).queryByRole('button', { name: /标为已读/ })).toBeNull();
    expect(within(read).getByText('已读')).toBeTruthy();
    expect(screen.getByRole('button', { name: /全部标为已读/ })).toBeTruthy();
  });

  it('offers no 全部标为已读 when every unread notice is done', async () => {
    fakeFetch(answer([notice(2, { done: true, readAt: null, read: false }), notice(1, { done: true, readAt: null, read: false })], 0));
    renderWithApp(<Dashboard />);
    const notes = await screen.findAllByTestId('notification');
    expect(notes).toHaveLength(2);
    expect(screen.queryByRole('button', { name: /标为已读/ })).toBeNull();
  });

  it('shows eight notices a page, the rest one click on', async () => {
    const items = Array.from({ length: 9 }, (_, i) => notice(9 - i, { done: false, readAt: null, read: false }));
    fakeFetch(answer(items, 9));
    renderWithApp(<Dashboard />);
    expect(await screen.findAllByTestId('notification')).toHaveLength(8);
    expect(screen.queryByText('GJ-2026-005 待您办理 1')).toBeNull();
    fireEvent.click(screen.getByRole('listitem', { name: '2' }));
    await waitFor(() => expect(screen.getAllByTestId('notification')).toHaveLength(1));
    expect(screen.getByText('GJ-2026-005 待您办理 1')).toBeTruthy();
  });

  it('says so when there is none', async () => {
    fakeFetch(answer([], 0));
    renderWithApp(<Dashboard />);
    expect(await screen.findByText('暂无消息')).toBeTruthy();
    expect(screen.queryByTestId('notification')).toBeNull();
  });
});

describe('the branch-secretary picker', () => {
  it('offers only the branch’s own active secretaries', async () => {
    const { default: UserPicker } = await import('../components/UserPicker');
    fakeFetch((_, path) =>
      path === '/api/branches/4/members'
        ? {
            body: [
              { id: 2, displayName: '李立案', roles: ['secretary'] },
              { id: 7, displayName: '周联络', roles: ['member'] },
              { id: 9, displayName: '副书记', roles: ['secretary', 'member'] },
            ],
          }
        : undefined,
    );
    const { container } = renderWithApp(<UserPicker branchId={4} roles={['secretary']} aria-label="支部书记" />);
    await waitFor(() => expect(container.querySelector('.ant-select-loading')).toBeNull());
    const { fireEvent } = await import('@testing-library/react');
    fireEvent.mouseDown(screen.getByRole('combobox'));
    await waitFor(() => expect(document.querySelectorAll('.ant-select-item-option').length).toBeGreaterThan(0));
    expect([...document.querySelectorAll('.ant-select-item-option')].map((o) => o.textContent)).toEqual(['李立案', '副书记']);
  });
});

describe('a partner liaison’s phone', () => {
  it('takes numbers as people write them and refuses words', () => {
    for (const ok of ['0573-85123456', '13800000000', '138 0000 0000', '+86 573 8512 3456']) expect(PHONE.test(ok)).toBe(true);
    for (const bad of ['abc', '电话', '123', '0573-8512345a']) expect(PHONE.test(bad)).toBe(false);
  });
});
