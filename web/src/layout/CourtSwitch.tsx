import { Select, Tag, Tooltip } from 'antd';
import { BankOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get } from '../api/client';
import type { Court } from '../api/types';
import { useAuth } from '../auth';
import { ALL_COURTS, courtSelection, setCourtSelection } from '../court';
import { useLang } from '../i18n';

/**
 * Which court the user is in, on every page; a supervisor also chooses which courts to look at — their own,
 * one below it, or all of them — and every list, report and audit page follows.
 */
export default function CourtSwitch({ onChange }: { onChange: (value: string | null) => void }) {
  const { user, hasRole } = useAuth();
  const { t } = useLang();
  const client = useQueryClient();
  const supervisor = hasRole('supervisor');
  const courts = useQuery({ queryKey: ['courts'], queryFn: () => get<Court[]>('/api/courts'), enabled: supervisor, staleTime: 5 * 60_000 });
  const own = user?.court;
  if (!own) return null;
  if (!supervisor || !courts.data || courts.data.length < 2) {
    return (
      <Tooltip title={t('您所在的法院', 'Your court')}>
        <Tag icon={<BankOutlined />} color="red" data-testid="current-court" className="gj-court-tag">
          {own.name}
        </Tag>
      </Tooltip>
    );
  }
  const value = courtSelection() ?? String(own.id);
  return (
    <Select
      data-testid="court-switch"
      aria-label={t('查看的法院', 'Courts shown')}
      size="small"
      value={value}
      style={{ minWidth: 180 }}
      popupMatchSelectWidth={false}
      onChange={(next: string) => {
        const chosen = next === String(own.id) ? null : next;
        setCourtSelection(chosen);
        onChange(chosen);
        // Everything on screen was read for the courts chosen before.
        void client.resetQueries({ predicate: (q) => q.queryKey[0] !== 'courts' && q.queryKey[0] !== 'calendar' });
      }}
      options={[
        { value: String(own.id), label: `${own.name}（${t('本院', 'own court')}）` },
        ...courts.data.filter((c) => c.id !== own.id).map((c) => ({ value: String(c.id), label: c.name })),
        { value: ALL_COURTS, label: t('本院及下级法院（全部）', 'All courts below, and own') },
      ]}
    />
  );
}
