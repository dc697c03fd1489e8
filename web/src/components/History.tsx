import { Tag, Timeline, Typography } from 'antd';
import type { AuditEvent } from '../api/types';
import { useLang } from '../i18n';
import { eventLabel, stateLabel } from '../labels';
import { fmtTime } from './common';

function PayloadView({ payload }: { payload: unknown }) {
  const { t } = useLang();
  if (payload === null || payload === undefined) return null;
  if (typeof payload === 'object' && Object.keys(payload as object).length === 0) return null;
  return (
    <details>
      <summary style={{ cursor: 'pointer', color: '#8c8c8c' }}>{t('查看提交内容', 'Show details')}</summary>
      <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12, background: '#fafafa', padding: 8, margin: 0 }}>
        {JSON.stringify(payload, null, 2)}
      </pre>
    </details>
  );
}

/** A pairing's audit chain as a timeline, in chain order (seq). */
export default function History({ events, userName }: { events: AuditEvent[]; userName?: (id: string | null) => string }) {
  const { t, lang } = useLang();
  const sorted = [...events].sort((a, b) => Number(a.seq) - Number(b.seq));
  return (
    <Timeline
      items={sorted.map((e) => ({
        key: `${e.chain}-${e.seq}`,
        color: ['RETURN', 'REJECT', 'TERMINATE', 'WITHDRAW', 'QUARTER_OVERDUE', 'VOID_ACTIVITY'].includes(e.type)
          ? 'red'
          : ['APPROVE', 'ACCEPT_PLAN', 'SCORE_QUARTER', 'APPROVE_REVIEW'].includes(e.type)
            ? 'green'
            : 'gray',
        title: fmtTime(e.at),
        content: (
          <div data-testid="history-item" data-type={e.type}>
            <div>
              <Typography.Text strong>{eventLabel(e.type, lang)}</Typography.Text>
              <Typography.Text type="secondary">
                {' · '}
                {e.actorName || (e.actorId ? (userName ? userName(e.actorId) : `#${e.actorId}`) : t('系统', 'System'))}
              </Typography.Text>
              <Tag style={{ marginInlineStart: 8 }}>#{e.seq}</Tag>
            </div>
            {e.fromState !== e.toState && (
              <div>
                <Typography.Text type="secondary">
                  {e.fromState ? stateLabel(e.fromState, lang) : t('（新建）', '(new)')} → {stateLabel(e.toState, lang)}
                </Typography.Text>
              </div>
            )}
            {e.comment && <div>{t('意见：', 'Comment: ')}{e.comment}</div>}
            <PayloadView payload={e.payload} />
          </div>
        ),
      }))}
    />
  );
}
