import { Form, Input } from 'antd';
import type { EventContext } from './types';

/**
 * A number typed as text: kept exactly as typed (no rounding, no clamping, unlike a spin box), sent as a number,
 * and judged by the server, whose field message shows beside it.
 */
export function NumberText({ id, value, onChange, placeholder, width, ...rest }: {
  id?: string;
  value?: string | number;
  onChange?: (v: string) => void;
  placeholder?: string;
  width?: number | string;
  'aria-label'?: string;
}) {
  return (
    <Input
      id={id}
      inputMode="decimal"
      autoComplete="off"
      value={value === undefined || value === null ? '' : String(value)}
      onChange={(e) => onChange?.(e.target.value)}
      placeholder={placeholder}
      style={{ width: width ?? '100%' }}
      aria-label={rest['aria-label']}
    />
  );
}

/** What a typed number sends: a number when it reads as one, else the text itself for the server to refuse. */
export function asNumber(raw: unknown): number | string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number') return raw;
  const s = String(raw).trim();
  if (s === '') return undefined;
  return /^[-+]?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
}

/** The committee's score: 0–100 with at most one decimal — said here, judged by the server. */
export function ScoreField({ ctx }: { ctx: EventContext }) {
  const { t } = ctx;
  return (
    <Form.Item label={t('评分', 'Score')} name="score" extra={t('0–100 分，最多保留一位小数', '0–100, at most one decimal')}>
      <NumberText width={160} aria-label={t('评分', 'Score')} />
    </Form.Item>
  );
}
