import { QueryClient, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, get, request, parseEtag } from './client';
import type { AuditEvent, Branch, Id, Notification, Page, Pairing, Partner, Task, User } from './types';
import { setCalendar, type Calendar } from '../dates';

/**
 * Server state, one cache: what a page shows is fetched once, shared by every component that asks, refetched
 * when the window regains focus, retried on network trouble (never on a 4xx: asking again changes nothing),
 * and invalidated after the person changes something.
 */
export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}

/** The keys, in one place, so invalidation names exactly what a change touches. */
export const keys = {
  calendar: ['calendar'] as const,
  branches: ['branches'] as const,
  partners: ['partners'] as const,
  users: ['users'] as const,
  members: (branchId: Id) => ['members', String(branchId)] as const,
  pairings: ['pairings'] as const,
  pairingList: (query: string) => ['pairings', 'list', query] as const,
  pairing: (id: Id) => ['pairing', String(id)] as const,
  history: (id: Id) => ['pairing', String(id), 'history'] as const,
  people: (id: Id) => ['pairing', String(id), 'people'] as const,
  tasks: ['tasks'] as const,
  notifications: ['notifications'] as const,
  reports: ['reports'] as const,
};

const list = <T,>(v: T[] | { items: T[] } | null | undefined): T[] => (Array.isArray(v) ? v : Array.isArray(v?.items) ? v.items : []);

export function useCalendar() {
  const query = useQuery({ queryKey: keys.calendar, queryFn: () => get<Calendar>('/api/calendar'), staleTime: 10 * 60_000 });
  useEffect(() => {
    if (query.data) setCalendar(query.data);
  }, [query.data]);
  return query;
}

export const useBranches = () => useQuery({ queryKey: keys.branches, queryFn: async () => list(await get<Branch[]>('/api/branches')), staleTime: 5 * 60_000 });
export const usePartners = () => useQuery({ queryKey: keys.partners, queryFn: async () => list(await get<Partner[]>('/api/partners')), staleTime: 5 * 60_000 });
/** Admins only: others get no user list (and ask a branch's members instead). */
export const useUsers = (enabled: boolean) =>
  useQuery({ queryKey: keys.users, queryFn: async () => list(await get<User[]>('/api/users')), enabled, staleTime: 60_000 });

/** Active users of a branch (any signed-in user may ask). */
export const useBranchMembers = (branchId: Id | null | undefined) =>
  useQuery({
    queryKey: keys.members(branchId ?? ''),
    queryFn: async () => list(await get<User[]>(`/api/branches/${encodeURIComponent(String(branchId))}/members`)),
    enabled: branchId !== null && branchId !== undefined && branchId !== '',
    staleTime: 60_000,
  });

export interface PairingWithVersion {
  pairing: Pairing;
  /** From the ETag: what to send as If-Match. */
  version: number;
}

export function usePairing(id: Id | undefined, enabled = true) {
  return useQuery({
    queryKey: keys.pairing(id ?? ''),
    enabled: enabled && id !== undefined,
    queryFn: async (): Promise<PairingWithVersion> => {
      const res = await request<Pairing>(`/api/pairings/${encodeURIComponent(String(id))}`);
      return { pairing: res.data, version: parseEtag(res.headers.get('etag')) ?? Number(res.data.version) };
    },
  });
}

export const usePairingHistory = (id: Id | undefined) =>
  useQuery({
    queryKey: keys.history(id ?? ''),
    enabled: id !== undefined,
    queryFn: async () => list(await get<AuditEvent[]>(`/api/pairings/${encodeURIComponent(String(id))}/history`)),
  });

export const usePairingPeople = (id: Id | undefined) =>
  useQuery({
    queryKey: keys.people(id ?? ''),
    enabled: id !== undefined,
    queryFn: async () => list(await get<{ id: Id; displayName: string }[]>(`/api/pairings/${encodeURIComponent(String(id))}/people`)),
  });

export const usePairingList = (query: string) =>
  useQuery({ queryKey: keys.pairingList(query), queryFn: () => get<Page<Pairing>>(`/api/pairings${query}`), placeholderData: (previous) => previous });

export const useTasks = () => useQuery({ queryKey: keys.tasks, queryFn: async () => list(await get<Task[]>('/api/tasks')) });

export interface NotificationList {
  unread: number;
  items: Notification[];
}
export const useNotifications = () =>
  useQuery({
    queryKey: keys.notifications,
    queryFn: async (): Promise<NotificationList> => {
      const d = await get<NotificationList | Notification[]>('/api/notifications');
      return Array.isArray(d) ? { unread: d.filter((n) => !n.read).length, items: d } : { unread: d.unread ?? 0, items: list(d) };
    },
    refetchInterval: 60_000,
  });

/** Titles of pairings named only by id (tasks, notifications), from the same cache as the pairing page. */
export function usePairingSummaries(ids: Id[]) {
  const client = useQueryClient();
  const wanted = [...new Set(ids.map(String))].sort().slice(0, 60);
  const query = useQuery({
    queryKey: ['pairing-summaries', wanted.join(',')],
    enabled: wanted.length > 0,
    queryFn: async () =>
      Object.fromEntries(
        await Promise.all(
          wanted.map(async (id) => {
            try {
              const found = await client.fetchQuery({
                queryKey: keys.pairing(id),
                queryFn: async (): Promise<PairingWithVersion> => {
                  const res = await request<Pairing>(`/api/pairings/${encodeURIComponent(id)}`);
                  return { pairing: res.data, version: parseEtag(res.headers.get('etag')) ?? Number(res.data.version) };
                },
              });
              return [id, found.pairing] as const;
            } catch {
              return [id, null] as const;
            }
          }),
        ),
      ) as Record<string, Pairing | null>,
  });
  return query.data ?? {};
}

/** After the person changed a pairing: everything that shows it is read again. */
export function invalidatePairing(client: QueryClient, id: Id) {
  const touched: QueryKey[] = [keys.pairing(id), keys.pairings, keys.tasks, keys.notifications, keys.reports, ['pairing-summaries']];
  return Promise.all(touched.map((queryKey) => client.invalidateQueries({ queryKey })));
}
