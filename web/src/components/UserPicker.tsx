import { useMemo } from 'react';
import { Select } from 'antd';
import { useBranchMembers } from '../api/queries';
import type { Id, User } from '../api/types';
import { useLang } from '../i18n';

interface Props {
  value?: Id | null;
  onChange?: (v: Id | null) => void;
  branchId?: Id | null;
  /** Only users with one of these roles (e.g. the branch secretary picker). */
  roles?: string[];
  id?: string;
  placeholder?: string;
  'aria-label'?: string;
}

/** Picks an active user of a branch (GET /api/branches/:id/members); the current value stays named even if it is not one any more. */
export default function UserPicker({ value, onChange, branchId, roles, id, placeholder, ...rest }: Props) {
  const { t } = useLang();
  const members = useBranchMembers(branchId);
  const options = useMemo(() => {
    const list = (members.data ?? [])
      .filter((u: User) => !roles || roles.some((r) => u.roles?.includes(r)))
      .map((u) => ({ value: String(u.id), label: u.username ? `${u.displayName}（${u.username}）` : u.displayName }));
    if (value !== undefined && value !== null && !list.some((o) => o.value === String(value)))
      list.push({ value: String(value), label: t(`用户 ${value}（已不在本支部或已停用）`, `User ${value} (no longer an active member)`) });
    return list;
  }, [members.data, roles, value, t]);

  return (
    <Select
      id={id}
      aria-label={rest['aria-label']}
      allowClear
      loading={members.isLoading}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={placeholder ?? t('选择联络员', 'Choose the liaison')}
      notFoundContent={branchId ? t('本支部暂无可选用户', 'Nobody to choose in this branch') : t('请先选择党支部', 'Choose the branch first')}
      value={value === undefined || value === null ? undefined : String(value)}
      onChange={(v?: string) => onChange?.(v === undefined || v === null || v === '' ? null : /^\d+$/.test(v) ? Number(v) : v)}
      options={options}
    />
  );
}
