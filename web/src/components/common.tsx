import type { ReactNode } from 'react';
import { Alert, Button, Result, Tag } from 'antd';
import { HomeOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { errorMessage } from '../api/errors';
import { formatInstant } from '../dates';
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

/** The not-found page: for an address that names nothing, or a record this user may not see. */
export function NotFound({ what }: { what?: string }) {
  const { t } = useLang();
  return (
    <Result
      status="404"
      title={t('未找到', 'Not found')}
      subTitle={what ?? t('该页面或记录不存在，或您无权查看。', 'This page or record does not exist, or you may not see it.')}
      extra={
        <Link to="/">
          <Button type="primary" icon={<HomeOutlined />}>
            {t('返回工作台', 'Back to the workbench')}
          </Button>
        </Link>
      }
      data-testid="not-found"
    />
  );
}

export const isNotFound = (error: unknown) => error instanceof ApiError && (error.status === 404 || error.code === 'NOT_FOUND');

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

/** Date-only fields (heldOn, dueDate …) are already calendar dates in APP_TIMEZONE. */
export function fmtDate(v: string | null | undefined) {
  return v ? String(v).slice(0, 10) : '—';
}

/** Instants, as every screen shows them: local time in APP_TIMEZONE with its offset. */
export const fmtTime = (v: string | null | undefined) => formatInstant(v);

export function fmtScore(v: number | string | null | undefined, digits = 1) {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  return Number.isFinite(n) ? n.toFixed(digits) : String(v);
}

/** A task's due date; 已逾期 only when the server says so (one overdue rule, on the server). */
export function DueTag({ dueAt, overdue }: { dueAt?: string | null; overdue?: boolean }) {
  const { t } = useLang();
  if (!dueAt) return <span>—</span>;
  const text = formatInstant(dueAt).slice(0, 10);
  if (overdue)
    return (
      <Tag color="error" className="gj-nowrap">
        {text} · {t('已逾期', 'overdue')}
      </Tag>
    );
  return <span className="gj-nowrap">{text}</span>;
}
