import { useState } from 'react';
import { Alert, Card, Collapse, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { describeValue, fieldLabel, type NameKind } from '../../../workflows/payload-labels';
import { get } from '../api/client';
import type { Id } from '../api/types';
import { formatInstant } from '../dates';
import { useAsync } from '../hooks';
import { useLang } from '../i18n';
import { eventLabel } from '../labels';

export interface Revision {
  revision: number;
  seq: number;
  submittedAt: string;
  submittedBy: string | null;
  submittedByName: string | null;
  proposal: Record<string, unknown>;
  changes: { field: string; from: unknown; to: unknown }[];
  outcome: { type: string; at: string; actorId: string | null; comment: string | null } | null;
  names: { users: Record<string, string>; branches: Record<string, string>; partners: Record<string, string> };
}

const TABLES: Record<NameKind, keyof Revision['names'] | null> = { user: 'users', branch: 'branches', partner: 'partners', attachment: null, pairing: null };

/** One revision compared with the one before: each changed field, old and new side by side. */
export function RevisionChanges({ revision, previous }: { revision: Revision; previous?: Revision }) {
  const { t, lang } = useLang();
  const names = (kind: NameKind, id: Id) => {
    const table = TABLES[kind];
    return table ? revision.names[table][String(id)] : undefined;
  };
  const value = (field: string, v: unknown) => {
    if (field === 'partnerLiaisons' && Array.isArray(v))
      return v.length
        ? v.map((l: { partnerId: Id; name: string; phone?: string }) => `${names('partner', l.partnerId) ?? `#${l.partnerId}`}：${l.name}${l.phone ? ` ${l.phone}` : ''}`).join('；')
        : t('（无）', '(none)');
    return describeValue(field, v, names, lang);
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {previous?.outcome?.comment && (
        <Alert
          type="warning"
          showIcon
          title={t(`第 ${previous.revision} 次提交的${eventLabel(previous.outcome.type, lang)}意见`, `${eventLabel(previous.outcome.type, lang)} comment on revision ${previous.revision}`)}
          description={previous.outcome.comment}
        />
      )}
      {revision.changes.length === 0 ? (
        <Typography.Text type="secondary">{t('与上一次提交相比没有改动。', 'Nothing changed since the revision before.')}</Typography.Text>
      ) : (
        <Table
          data-testid="revision-changes"
          size="small"
          pagination={false}
          rowKey="field"
          dataSource={revision.changes}
          columns={[
            { title: t('项目', 'Field'), dataIndex: 'field', width: 150, render: (f: string) => <Typography.Text strong>{fieldLabel(f, lang)}</Typography.Text> },
            {
              title: t(`第 ${revision.revision - 1} 次提交（原）`, `Revision ${revision.revision - 1} (before)`),
              key: 'from',
              render: (_, c) => <span className="gj-revision-old" style={{ whiteSpace: 'pre-wrap', color: '#8c8c8c', textDecoration: 'line-through' }}>{value(c.field, c.from)}</span>,
            },
            {
              title: t(`第 ${revision.revision} 次提交（新）`, `Revision ${revision.revision} (now)`),
              key: 'to',
              render: (_, c) => <span className="gj-revision-new" style={{ whiteSpace: 'pre-wrap' }}>{value(c.field, c.to)}</span>,
            },
          ]}
        />
      )}
    </Space>
  );
}

/**
 * Which revision of the proposal this is, and what changed since the one before, old and new side by
 * side. Shown in full while the proposal waits for the committee; folded away once it is decided.
 */
export default function RevisionsPanel({ pairingId, state, version }: { pairingId: Id; state: string; version?: number }) {
  const { t } = useLang();
  const revisions = useAsync(() => get<Revision[]>(`/api/pairings/${encodeURIComponent(String(pairingId))}/revisions`), [pairingId, version]);
  const list = Array.isArray(revisions.data) ? revisions.data : [];
  const [picked, setPicked] = useState<number | null>(null);
  if (!list.length || (state !== 'proposed' && list.length < 2)) return null;
  const latest = list[list.length - 1];
  const shown = list.find((r) => r.revision === picked) ?? latest;
  const previous = list[list.indexOf(shown) - 1];
  const heading = (
    <Space wrap data-testid="revision-heading">
      <Tag color={list.length > 1 ? 'orange' : 'blue'}>{t(`第 ${latest.revision} 次提交`, `Revision ${latest.revision}`)}</Tag>
      <Typography.Text type="secondary">
        {latest.submittedByName ?? (latest.submittedBy ? `#${latest.submittedBy}` : '')} · {formatInstant(latest.submittedAt)}
      </Typography.Text>
    </Space>
  );
  const body =
    list.length < 2 ? (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('这是第一次提交，没有可比较的上一稿。', 'The first submission: nothing to compare with yet.')} />
    ) : (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {list.length > 2 && (
          <Select
            style={{ width: 260 }}
            value={shown.revision}
            onChange={setPicked}
            options={list.slice(1).map((r) => ({ value: r.revision, label: t(`第 ${r.revision} 次与第 ${r.revision - 1} 次比较`, `Revision ${r.revision} against ${r.revision - 1}`) }))}
          />
        )}
        <RevisionChanges revision={shown} previous={previous} />
      </Space>
    );
  return (
    <div data-testid="revisions-panel" style={{ marginBottom: 16 }}>
      {state === 'proposed' ? (
        <Card title={<Space wrap>{t('申报内容', 'Proposal')}{heading}</Space>}>{body}</Card>
      ) : (
        <Collapse items={[{ key: 'revisions', label: <Space wrap>{t(`申报提交记录（共 ${list.length} 次）`, `Proposal revisions (${list.length})`)}</Space>, children: body }]} />
      )}
    </div>
  );
}
