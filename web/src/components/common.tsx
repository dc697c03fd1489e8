import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { get } from '../api/client';
import { errorMessage } from '../api/errors';
import type { Id, Pairing } from '../api/types';
import { useLang } from '../i18n';
import { STATE_COLORS, stateLabel } from '../labels';

export function StateTag({ state }: { state: string }) {
  const { lang } = useLang();
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-state={state}>
      {stateLabel(state, lang)}
    </Tag>
  );
}

export function PageTitle({ title, extra }: { title: ReactNode; extra?: ReactNode }) {
  return (
    <div className="gj-page-title">
      <h1>{title}</h1>
      {extra}
    </div>
  );
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, lang } = useLang();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={errorMessage(error, lang)}
      action={onRetry ? <a onClick={onRetry}>{t('重试', 'Retry')}</a> : undefined}
      style={{ marginBottom: 12 }}
    />
  );
}

export function fmtDate(v: string | null | undefined) {
  if (!v) return '—';
  const d = dayjs(v);
  return d.isValid() ? d.format('YYYY-MM-DD') : v;
}

export function fmtTime(v: string | null | undefined) {
  if (!v) return '—';
  const d = dayjs(v);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : v;
}

export function fmtScore(v: number | string | null | undefined, digits = 1) {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  return Number.isFinite(n) ? n.toFixed(digits) : String(v);
}

/** Due date with a plain hint: overdue in red, due within 3 days in orange. */
export function DueTag({ dueAt }: { dueAt?: string | null }) {
  const { t } = useLang();
  if (!dueAt) return <span>—</span>;
  const due = dayjs(dueAt);
  if (!due.isValid()) return <span>{dueAt}</span>;
  const days = Math.ceil(due.diff(dayjs(), 'hour') / 24);
  const text = due.format('YYYY-MM-DD');
  if (days < 0)
    return (
      <Tooltip title={t(`已逾期 ${-days} 天`, `${-days} days overdue`)}>
        <Tag color="error">{text} · {t('已逾期', 'overdue')}</Tag>
      </Tooltip>
    );
  if (days <= 3)
    return <Tag color="warning">{text} · {t(`剩 ${days} 天`, `${days} days left`)}</Tag>;
  return <span>{text}</span>;
}

const pairingCache = new Map<string, Promise<Pairing | null>>();

/** Titles of pairings named only by id (tasks, notifications); cached per page load. */
export function usePairingSummaries(ids: Id[]) {
  const [map, setMap] = useState<Record<string, Pairing | null>>({});
  const key = [...new Set(ids.map(String))].sort().join(',');
  useEffect(() => {
    let live = true;
    const list = key ? key.split(',').slice(0, 60) : [];
    Promise.all(
      list.map((id) => {
        if (!pairingCache.has(id))
          pairingCache.set(id, get<Pairing>(`/api/pairings/${encodeURIComponent(id)}`).catch(() => null));
        return pairingCache.get(id)!.then((p) => [id, p] as const);
      }),
    ).then((entries) => {
      if (live) setMap(Object.fromEntries(entries));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return map;
}

export function forgetPairingSummaries() {
  pairingCache.clear();
}
