import { useCallback, useEffect, useRef, useState } from 'react';
import { App } from 'antd';
import { errorMessage } from './api/errors';
import { useBranches, usePartners, useUsers } from './api/queries';
import type { Branch, Id, Partner, User } from './api/types';
import { useLang } from './i18n';
import { useAuth } from './auth';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Run `fn` when deps change; `reload()` runs it again. Stale answers are dropped. Pages read server state
 * through TanStack Query (api/queries.ts); this stays for the audit page until it moves over.
 */
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

/** Branches, partners and (for admins) users, with names for ids — deactivated ones included, so old pairings still name them. */
export function useOrg() {
  const { hasRole } = useAuth();
  const isAdmin = hasRole('admin');
  const branches = useBranches();
  const partners = usePartners();
  const users = useUsers(isAdmin);
  const org: OrgData | null =
    branches.data && partners.data ? { branches: branches.data, partners: partners.data, users: isAdmin ? (users.data ?? null) : null } : null;
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
