import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, useLocation } from 'react-router';
import AppRoutes from '../AppRoutes';
import { AuthProvider } from '../auth';
import { createQueryClient } from '../api/queries';
import { setToken } from '../api/client';
import EventModal from '../components/EventModal';
import type { Pairing } from '../api/types';
import { fakeFetch, type FakeResponse } from './render';

const SECRETARY = { id: 2, username: 'secretary', displayName: '李立案', roles: ['secretary'], branchId: 4 };
const COMMITTEE = { id: 3, username: 'committee', displayName: '王机关', roles: ['committee'], branchId: null };

function Where() {
  const loc = useLocation();
  return <div data-testid="where">{loc.pathname}</div>;
}

function app(children: React.ReactNode, route: string) {
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false, refetchOnWindowFocus: false } });
  return render(
    <QueryClientProvider client={client}>
      <AntApp>
        <MemoryRouter initialEntries={[route]}>
          <AuthProvider>
            {children}
            <Where />
          </AuthProvider>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
}

/** The server: who holds which token, and the little the pages read. */
function server(opts: { expireFirstSave?: boolean } = {}) {
  const tokens = new Map<string, typeof SECRETARY | typeof COMMITTEE>([['t-secretary', SECRETARY]]);
  let saves = 0;
  const calls = fakeFetch((method, path, body) => {
    const call = calls.at(-1)!;
    const who = tokens.get(String(call.headers.Authorization ?? '').replace('Bearer ', ''));
    if (path === '/api/auth/login') {
      const user = (body as { username: string }).username === 'committee' ? COMMITTEE : SECRETARY;
      const token = `t2-${user.username}`;
      tokens.set(token, user);
      return { body: { accessToken: token, user } };
    }
    if (!who) return { status: 401, body: { statusCode: 401, code: 'UNAUTHENTICATED', message: 'expired' } };
    if (path === '/api/auth/me') return { body: who };
    if (path === '/api/calendar') return { body: { timezone: 'Asia/Shanghai', utcOffset: 'UTC+8', today: '2026-12-01', year: 2026, quarter: 4 } };
    if (path === '/api/notifications') return { body: { unread: 0, items: [] } };
    if (['/api/tasks', '/api/branches', '/api/partners'].includes(path)) return { body: [] };
    if (method === 'POST' && path.endsWith('/events')) {
      saves += 1;
      // The first save meets an expired sign-in (e.g. the 8 h token ran out while the form was open).
      if (opts.expireFirstSave && saves === 1) {
        tokens.delete('t-secretary');
        return { status: 401, body: { statusCode: 401, code: 'UNAUTHENTICATED', message: 'expired' } };
      }
      return { body: { ...pairing, state: 'returned' } } as FakeResponse;
    }
    return undefined;
  });
  return calls;
}

const pairing: Pairing = {
  id: 5,
  code: 'GJ-2026-005',
  year: 2026,
  title: '结对',
  theme: '',
  problem: '',
  mode: 'voluntary',
  leadBranchId: 4,
  partnerIds: [],
  categories: [],
  state: 'draft',
  version: 3,
  availableEvents: ['WITHDRAW'],
};

beforeEach(() => setToken('t-secretary'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  setToken(null);
});

describe('a sign-in that ends during a save', () => {
  it('says 登录已失效 over the page, keeps what was typed, and sends it once signed in again', async () => {
    const calls = server({ expireFirstSave: true });
    app(<EventModal pairing={pairing} version={3} type="WITHDRAW" onClose={() => undefined} onDone={() => undefined} />, '/pairings/5');
    await waitFor(() => expect(calls.some((c) => c.path === '/api/auth/me')).toBe(true));
    const comment = await screen.findByLabelText('意见（可选）');
    fireEvent.change(comment, { target: { value: '不再推进，改为明年申报' } });
    fireEvent.click(within(document.querySelector('.ant-modal-footer') as HTMLElement).getByRole('button', { name: /确\s?定/ }));

    const again = await screen.findByTestId('reauth');
    expect(again.textContent).toContain('登录已失效');
    // The form beneath is untouched.
    expect((screen.getByLabelText('意见（可选）') as HTMLTextAreaElement).value).toBe('不再推进，改为明年申报');
    fireEvent.change(within(again).getByLabelText('密码'), { target: { value: 'Demo@2026' } });
    fireEvent.click(within(again).getByRole('button', { name: /重新登录/ }));

    await waitFor(() => expect(calls.filter((c) => c.method === 'POST' && c.path.endsWith('/events'))).toHaveLength(2));
    const [first, second] = calls.filter((c) => c.method === 'POST' && c.path.endsWith('/events'));
    expect(second.body).toEqual({ type: 'WITHDRAW', comment: '不再推进，改为明年申报' });
    // The same action: the same idempotency key, the new token.
    expect(second.headers['Idempotency-Key']).toBe(first.headers['Idempotency-Key']);
    expect(second.headers.Authorization).toBe('Bearer t2-secretary');
    await waitFor(() => expect(screen.queryByTestId('reauth')).toBeNull());
  });
});

describe('signing out', () => {
  it('forgets the page: the next person lands on the workbench', async () => {
    server();
    app(<AppRoutes />, '/pairings/5');
    await screen.findByRole('button', { name: '退出登录' });
    fireEvent.click(screen.getByRole('button', { name: '退出登录' }));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/login'));
    expect(screen.queryByText('登录已失效，请重新登录')).toBeNull();

    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'committee' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'Demo@2026' } });
    fireEvent.click(screen.getByRole('button', { name: /登\s?录/ }));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/'));
  });

  it('keeps a deep link followed while signed out, for whoever signs in', async () => {
    setToken(null);
    server();
    app(<AppRoutes />, '/pairings/5');
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/login'));
    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'secretary' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'Demo@2026' } });
    fireEvent.click(screen.getByRole('button', { name: /登\s?录/ }));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/pairings/5'));
  });

  it('says 登录已失效 when a kept sign-in has ended', async () => {
    setToken('t-gone');
    server();
    app(<AppRoutes />, '/inbox');
    expect(await screen.findByText('登录已失效，请重新登录')).toBeTruthy();
  });
});

describe('a platform admin', () => {
  it('finds 审计查询 in the menu and reads the platform chain there, without the auditors’ exports', async () => {
    const admin = { id: 1, username: 'admin', displayName: '系统管理员', roles: ['admin', 'platform_admin'], branchId: null };
    const event = { chain: 'system', seq: 1, at: '2026-12-01T07:00:00.000Z', actorId: '1', type: 'COURT_CREATED', fromState: null, toState: null, payload: { court: { code: 'HN' } }, comment: null, prevHash: '0'.repeat(64), hash: 'a'.repeat(64) };
    setToken('t-admin');
    const calls = fakeFetch((_, path) => {
      if (path === '/api/auth/me') return { body: admin };
      if (path === '/api/calendar') return { body: { timezone: 'Asia/Shanghai', utcOffset: 'UTC+8', today: '2026-12-01', year: 2026, quarter: 4 } };
      if (path === '/api/notifications') return { body: { unread: 0, items: [] } };
      if (path.startsWith('/api/audit/events')) return { body: { items: [event], total: 1, page: 1, pageSize: 20, timeZone: 'Asia/Shanghai', names: { pairings: {}, actors: {} } } };
      return undefined;
    });
    app(<AppRoutes />, '/audit');
    await screen.findByRole('heading', { name: '审计查询' }, { timeout: 8000 });
    expect(screen.getByRole('menuitem', { name: /审计查询/ })).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.path.startsWith('/api/audit/events'))).toBe(true));
    expect(await screen.findByRole('button', { name: /校验审计链/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /导出CSV/ })).toBeNull();
  });
});

describe('the menu', () => {
  const calendar = { timezone: 'Asia/Shanghai', utcOffset: 'UTC+8', today: '2026-12-01', year: 2026, quarter: 4 };
  const menuFor = async (roles: string[]) => {
    setToken('t-menu');
    fakeFetch((_, path) => {
      if (path === '/api/auth/me') return { body: { id: 9, username: 'u', displayName: '某用户', roles, branchId: null } };
      if (path === '/api/calendar') return { body: calendar };
      if (path === '/api/notifications') return { body: { unread: 0, items: [] } };
      if (path.startsWith('/api/')) return { body: [] };
      return undefined;
    });
    app(<AppRoutes />, '/admin/courts');
    await screen.findAllByRole('menuitem', {}, { timeout: 8000 });
    return screen.queryByRole('menuitem', { name: /好做法/ });
  };

  it('offers 好做法 to court staff, an admin among them', async () => {
    expect(await menuFor(['admin'])).toBeTruthy();
  });

  it('offers no 好做法 to a platform admin alone, whose role sees no workflow data', async () => {
    expect(await menuFor(['platform_admin'])).toBeNull();
  });
});
