import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { get } from '../api/client';
import type { Id, User } from '../api/types';
import { useAuth } from '../auth';
import { useLang } from '../i18n';

interface Props {
  value?: Id | null;
  onChange?: (v: Id | null) => void;
  /** Users to choose from (null when the user list is not readable for this user). */
  users: User[] | null;
  branchId?: Id | null;
  id?: string;
  'aria-label'?: string;
}

const memberCache = new Map<string, Promise<User[] | null>>();

/** Active users of a branch, from `GET /api/branches/:id/members` when the server offers it. */
function useBranchMembers(branchId: Id | null | undefined) {
  const [members, setMembers] = useState<User[] | null>(null);
  useEffect(() => {
    let live = true;
    if (branchId === null || branchId === undefined) {
      setMembers(null);
      return;
    }
    const key = String(branchId);
    if (!memberCache.has(key))
      memberCache.set(
        key,
        get<User[] | { items: User[] }>(`/api/branches/${encodeURIComponent(key)}/members`)
          .then((d) => (Array.isArray(d) ? d : (d?.items ?? null)))
          .catch(() => null),
      );
    memberCache.get(key)!.then((m) => live && setMembers(m));
    return () => {
      live = false;
    };
  }, [branchId]);
  return members;
}

/**
 * Picks a user of a branch: from the branch's member list, else (admins) the
 * user list, else "myself" or a user number typed in.
 */
export default function UserPicker({ value, onChange, users: allUsers, branchId, id, ...rest }: Props) {
  const { user } = useAuth();
  const members = useBranchMembers(branchId);
  const users = members ?? allUsers;
  const { t } = useLang();
  const [search, setSearch] = useState('');
  const numericIds = typeof user?.id === 'number';

  const options = useMemo(() => {
    const list: { value: string; label: string }[] = [];
    const seen = new Set<string>();
    const add = (v: Id, label: string) => {
      if (seen.has(String(v))) return;
      seen.add(String(v));
      list.push({ value: String(v), label });
    };
    if (users) {
      for (const u of users) {
        if (u.active === false) continue;
        if (branchId !== undefined && branchId !== null && u.branchId !== undefined && String(u.branchId) !== String(branchId)) continue;
        add(u.id, u.username ? `${u.displayName || u.username}（${u.username}）` : u.displayName || `#${u.id}`);
      }
    }
    if (user && (!users || list.length === 0 || !seen.has(String(user.id))))
      if (branchId === undefined || branchId === null || String(user.branchId) === String(branchId))
        add(user.id, `${user.displayName || user.username}（${t('本人', 'myself')}）`);
    if (value !== undefined && value !== null && !seen.has(String(value))) add(value, t(`用户编号 ${value}`, `User #${value}`));
    const s = search.trim();
    if (s && !seen.has(s) && /^[\w-]+$/.test(s)) add(s, t(`用户编号 ${s}`, `User #${s}`));
    return list;
  }, [users, branchId, user, value, search, t]);

  return (
    <Select
      id={id}
      aria-label={rest['aria-label']}
      allowClear
      showSearch={{ optionFilterProp: ['label', 'value'], onSearch: setSearch }}
      placeholder={users ? t('选择联络员', 'Choose the liaison') : t('选择本人，或输入联络员的用户编号', 'Choose yourself or type a user number')}
      value={value === undefined || value === null ? undefined : String(value)}
      onChange={(v?: string) => {
        setSearch('');
        if (v === undefined || v === null || v === '') return onChange?.(null);
        onChange?.(numericIds && /^\d+$/.test(v) ? Number(v) : v);
      }}
      options={options}
    />
  );
}
