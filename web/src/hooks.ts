import { useCallback, useEffect, useRef, useState } from 'react';
import { App } from 'antd';
import { ApiError, get } from './api/client';
import { errorMessage } from './api/errors';
import type { Branch, Id, Partner, User } from './api/types';
import { useLang } from './i18n';
import { useAuth } from './auth';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

/** Run `fn` when deps change; `reload()` runs it again. Stale answers are dropped. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const run = useRef(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  const reload = useCallback(async () => {
    const my = ++run.current;
    setLoading(true);
    try {
      const d = await fnRef.current();
      if (my === run.current) {
        setData(d);
        setError(null);
      }
    } catch (e) {
      if (my === run.current) setError(e);
    } finally {
      if (my === run.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return { data, error, loading, reload };
}

/** Toast an error in plain words. */
export function useNotifyError() {
  const { message } = App.useApp();
  const { lang } = useLang();
  return useCallback((e: unknown) => void message.error(errorMessage(e, lang), 5), [message, lang]);
}

export interface OrgData {
  branches: Branch[];
  partners: Partner[];
  /** null when this user may not list users (only admins may). */
  users: User[] | null;
}

let orgCache: Promise<OrgData> | null = null;
let orgCacheAdmin = false;

async function loadOrg(isAdmin: boolean): Promise<OrgData> {
  const [branches, partners, users] = await Promise.all([
    get<Branch[] | { items: Branch[] }>('/api/branches').catch(() => [] as Branch[]),
    get<Partner[] | { items: Partner[] }>('/api/partners').catch(() => [] as Partner[]),
    // Only admins may list users; others pick liaisons from a branch's members.
    isAdmin
      ? get<User[] | { items: User[] }>('/api/users').catch((e) => {
          if (e instanceof ApiError) return null;
          throw e;
        })
      : Promise.resolve(null),
  ]);
  const list = <X,>(v: X[] | { items: X[] } | null): X[] | null =>
    v === null ? null : Array.isArray(v) ? v : Array.isArray(v?.items) ? v.items : [];
  return { branches: list(branches) ?? [], partners: list(partners) ?? [], users: list(users) };
}

export function invalidateOrg() {
  orgCache = null;
}

export function useOrg() {
  const { hasRole, user } = useAuth();
  const isAdmin = hasRole('admin');
  const [org, setOrg] = useState<OrgData | null>(null);
  useEffect(() => {
    let live = true;
    if (!orgCache || orgCacheAdmin !== isAdmin) {
      orgCacheAdmin = isAdmin;
      orgCache = loadOrg(isAdmin);
    }
    orgCache.then((o) => live && setOrg(o)).catch(() => {
      orgCache = null;
    });
    return () => {
      live = false;
    };
  }, [isAdmin, user?.id]);
  const same = (a: Id | null | undefined, b: Id) => a !== null && a !== undefined && String(a) === String(b);
  return {
    org,
    branchName: (id: Id | null | undefined) =>
      id === null || id === undefined ? '—' : (org?.branches.find((b) => same(id, b.id))?.name ?? `#${id}`),
    partnerName: (id: Id | null | undefined) =>
      id === null || id === undefined ? '—' : (org?.partners.find((p) => same(id, p.id))?.name ?? `#${id}`),
    userName: (id: Id | null | undefined) => {
      if (id === null || id === undefined) return '—';
      const u = org?.users?.find((x) => same(id, x.id));
      return u ? u.displayName || u.username : `#${id}`;
    },
  };
}

export function useIsMobile(breakpoint = 768) {
  const [mobile, setMobile] = useState(() => typeof window !== 'undefined' && window.innerWidth < breakpoint);
  useEffect(() => {
    const onResize = () => setMobile(window.innerWidth < breakpoint);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [breakpoint]);
  return mobile;
}
