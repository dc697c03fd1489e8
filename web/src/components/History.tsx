import { Tag, Timeline, Typography } from 'antd';
import type { AuditEvent } from '../api/types';
import { formatInstant } from '../dates';
import { useLang } from '../i18n';
import { eventLabel, stateLabel } from '../labels';
import PayloadFields, { usePayloadNames } from './PayloadFields';

/** A pairing's audit chain as a timeline, in chain order (seq). */
export default function History({ events, userName }: { events: AuditEvent[]; userName?: (id: string | null) => string }) {
  const { t, lang } = useLang();
  const names = usePayloadNames(userName ? (id) => userName(id) : undefined);
  const sorted = [...events].sort((a, b) => Number(a.seq) - Number(b.seq));
  // A partner's user is served the chain from the approval on (SPEC §12): its first event links to one not shown.
  const fromApproval = sorted.length > 0 && Number(sorted[0].seq) > 1;
  return (
    <>
      {fromApproval && (
        <Typography.Paragraph type="secondary" data-testid="history-from-approval">
          {t(
            '办理记录自项目批准起显示；此前的起草、申报与退回修改不向共建单位公开。',
            'The history is shown from the approval on; the drafting, submissions and returns before it are not shown to partner organisations.',
          )}
        </Typography.Paragraph>
      )}
      <Timeline
        items={sorted.map((e) => ({
          key: `${e.chain}-${e.seq}`,
          color: ['RETURN', 'REJECT', 'TERMINATE', 'WITHDRAW', 'QUARTER_OVERDUE', 'VOID_ACTIVITY'].includes(e.type)
            ? 'red'
            : ['APPROVE', 'ACCEPT_PLAN', 'SCORE_QUARTER', 'APPROVE_REVIEW'].includes(e.type)
              ? 'green'
              : 'gray',
          // The time heads the entry rather than standing in a column of its own, which took half the width
          // and left a phone's payload one character wide.
          content: (
            <div data-testid="history-item" data-type={e.type}>
              <Typography.Text type="secondary" className="gj-history-time">
                {formatInstant(e.at)}
              </Typography.Text>
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
              <PayloadFields payload={e.payload} names={names} />
            </div>
          ),
        }))}
      />
    </>
  );
}
