import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Col, Empty, Row, Select, Space, Table, Tabs, Tag } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { download, get, qs } from '../api/client';
import { ErrorAlert, PageTitle, StateTag, fmtScore } from '../components/common';
import { useAsync, useNotifyError, useOrg } from '../hooks';
import { useLang } from '../i18n';
import { ACTIVITY_KINDS, activityKindLabel } from '../labels';
import { currentQuarter } from '../dates';

type Row = Record<string, unknown>;

/** The server's list, whatever key it sits under. */
export function rowsOf(data: unknown, ...keys: string[]): Row[] {
  if (Array.isArray(data)) return data as Row[];
  if (data && typeof data === 'object') {
    for (const k of [...keys, 'items', 'rows', 'pairings']) {
      const v = (data as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as Row[];
    }
  }
  return [];
}

const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));

/** Activities by kind for a bulletin row: `{activities: {kind: n}}`, `{activitiesByKind}`, or flat fields. */
export function activityCount(r: Row, kind: string): number {
  for (const k of ['activitiesByKind', 'activities', 'activityCounts', 'byKind']) {
    const v = r[k];
    if (v && typeof v === 'object' && !Array.isArray(v)) return Number((v as Record<string, unknown>)[kind] ?? 0);
    if (Array.isArray(v)) {
      const hit = (v as Row[]).find((x) => x.kind === kind);
      if (hit) return Number(hit.count ?? hit.n ?? 0);
      if (v.every((x) => x && typeof x === 'object' && 'heldOn' in (x as object))) return (v as Row[]).filter((x) => x.kind === kind && !x.voided).length;
    }
  }
  return Number(r[kind] ?? 0);
}

function Bars({ rows, label, value }: { rows: Row[]; label: (r: Row) => string; value: (r: Row) => number | null }) {
  const { t } = useLang();
  if (!rows.length) return <Empty />;
  return (
    <figure style={{ margin: 0 }} aria-label={t('得分柱状图', 'Score bar chart')}>
      {rows.map((r, i) => {
        const v = value(r);
        const pct = v === null ? 0 : Math.max(0, Math.min(100, v));
        return (
          <div className="gj-bar-row" key={i}>
            <span className="gj-bar-label" title={label(r)}>
              {label(r)}
            </span>
            <svg width="100%" height="20" role="img" aria-label={`${label(r)}: ${v === null ? '—' : v.toFixed(2)}`}>
              <rect x="0" y="3" width="100%" height="14" fill="#f5f5f5" rx="2" />
              <rect x="0" y="3" width={`${pct * 0.85}%`} height="14" fill="#c8102e" rx="2" />
              <text x={`${pct * 0.85 + 1}%`} y="15" fontSize="12" fill="#262626">
                {v === null ? '—' : v.toFixed(2)}
              </text>
            </svg>
          </div>
        );
      })}
    </figure>
  );
}

function Bulletin() {
  const { t, lang } = useLang();
  const { branchName } = useOrg();
  const notifyError = useNotifyError();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [quarter, setQuarter] = useState(currentQuarter());
  const data = useAsync(() => get<unknown>(`/api/reports/bulletin${qs({ year, quarter })}`), [year, quarter]);
  const rows = rowsOf(data.data, 'pairings', 'items');
  const kinds = ['joint_meeting', 'activity_day', ...Object.keys(ACTIVITY_KINDS).filter((k) => k !== 'joint_meeting' && k !== 'activity_day' && rows.some((r) => activityCount(r, k) > 0))];

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select aria-label={t('年度', 'Year')} value={year} onChange={setYear} style={{ width: 110 }} options={Array.from({ length: 7 }, (_, i) => thisYear + 1 - i).map((y) => ({ value: y, label: t(`${y}年`, String(y)) }))} />
        <Select aria-label={t('季度', 'Quarter')} value={quarter} onChange={setQuarter} style={{ width: 120 }} options={[1, 2, 3, 4].map((q) => ({ value: q, label: t(`第${q}季度`, `Q${q}`) }))} />
        <Button icon={<DownloadOutlined />} onClick={() => download(`/api/reports/bulletin${qs({ year, quarter, format: 'xlsx' })}`, `bulletin-${year}-Q${quarter}.xlsx`).catch(notifyError)}>
          {t('下载Excel', 'Download Excel')}
        </Button>
      </Space>
      <ErrorAlert error={data.error} onRetry={data.reload} />
      <Table<Row>
        size="small"
        bordered
        loading={data.loading}
        rowKey={(r, i) => String(r.pairingId ?? r.id ?? i)}
        dataSource={rows}
        scroll={{ x: 1000 }}
        pagination={false}
        locale={{ emptyText: t('本季度暂无项目', 'No pairings this quarter') }}
        columns={[
          {
            title: t('项目', 'Pairing'),
            key: 'p',
            fixed: 'left',
            render: (_, r) => {
              const id = r.pairingId ?? r.id;
              return <Link to={`/pairings/${id}`}>{`${r.code ?? ''} ${r.title ?? ''}`.trim() || `#${id}`}</Link>;
            },
          },
          { title: t('支部', 'Branch'), key: 'b', render: (_, r) => (r.branchName as string) ?? (r.leadBranchName as string) ?? branchName(r.leadBranchId as string) },
          { title: t('状态', 'State'), key: 's', render: (_, r) => (r.state ? <StateTag state={String(r.state)} /> : '—') },
          ...kinds.map((k) => ({
            title: activityKindLabel(k, lang),
            key: k,
            width: 90,
            render: (_: unknown, r: Row) => {
              const n = activityCount(r, k);
              return (k === 'joint_meeting' || k === 'activity_day') && n === 0 ? <Tag color="warning">0</Tag> : n;
            },
          })),
          { title: t('季度报送', 'Reported'), key: 'rep', render: (_, r) => (r.reportSubmitted ? <Tag color="green">{t('已报送', 'Yes')}</Tag> : <Tag>{t('未报送', 'No')}</Tag>) },
          { title: t('评分', 'Score'), key: 'score', render: (_, r) => fmtScore(r.score as number) },
          { title: t('逾期', 'Overdue'), key: 'od', render: (_, r) => (r.overdue ? <Tag color="error">{t('逾期', 'Overdue')}</Tag> : '—') },
        ]}
      />
    </>
  );
}

function Ranking() {
  const { t } = useLang();
  const { branchName } = useOrg();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const data = useAsync(() => get<unknown>(`/api/reports/ranking${qs({ year })}`), [year]);
  const pairings = rowsOf(data.data, 'pairings');
  const branches = data.data && typeof data.data === 'object' && !Array.isArray(data.data) ? rowsOf((data.data as Row).branches, 'branches') : [];
  const pLabel = (r: Row) => `${r.code ?? ''} ${r.title ?? ''}`.trim() || `#${r.pairingId ?? r.id}`;
  const bLabel = (r: Row) => String(r.name ?? r.branchName ?? branchName(r.branchId as string));
  const bScore = (r: Row) => num(r.meanScore ?? r.mean ?? r.averageScore ?? r.score ?? r.finalScore);

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select aria-label={t('年度', 'Year')} value={year} onChange={setYear} style={{ width: 110 }} options={Array.from({ length: 7 }, (_, i) => thisYear + 1 - i).map((y) => ({ value: y, label: t(`${y}年`, String(y)) }))} />
      </Space>
      <ErrorAlert error={data.error} onRetry={data.reload} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('项目排名', 'Pairings')}>
            <Table<Row>
              size="small"
              loading={data.loading}
              rowKey={(r, i) => String(r.pairingId ?? r.id ?? i)}
              dataSource={pairings}
              pagination={false}
              locale={{ emptyText: t('本年度尚无已评分项目', 'No scored pairings this year') }}
              columns={[
                { title: t('名次', 'Rank'), key: 'rank', width: 60, render: (_, r, i) => String(r.rank ?? i + 1) },
                { title: t('项目', 'Pairing'), key: 'p', render: (_, r) => <Link to={`/pairings/${r.pairingId ?? r.id}`}>{pLabel(r)}</Link> },
                { title: t('支部', 'Branch'), key: 'b', render: (_, r) => String(r.branchName ?? r.leadBranchName ?? branchName(r.leadBranchId as string)) },
                { title: t('总分', 'Final'), key: 'f', width: 80, render: (_, r) => fmtScore(r.finalScore as number, 2) },
              ]}
            />
            <div style={{ marginTop: 12 }}>
              <Bars rows={pairings} label={pLabel} value={(r) => num(r.finalScore)} />
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('支部排名（项目平均分）', 'Branches (mean of pairings)')}>
            <Table<Row>
              size="small"
              loading={data.loading}
              rowKey={(r, i) => String(r.branchId ?? r.id ?? i)}
              dataSource={branches}
              pagination={false}
              locale={{ emptyText: t('暂无数据', 'No data') }}
              columns={[
                { title: t('名次', 'Rank'), key: 'rank', width: 60, render: (_, r, i) => String(r.rank ?? i + 1) },
                { title: t('党支部', 'Branch'), key: 'b', render: (_, r) => bLabel(r) },
                { title: t('项目数', 'Pairings'), key: 'n', width: 80, render: (_, r) => String(r.count ?? r.pairings ?? r.pairingCount ?? '—') },
                { title: t('平均分', 'Mean'), key: 'm', width: 80, render: (_, r) => fmtScore(bScore(r), 2) },
              ]}
            />
            <div style={{ marginTop: 12 }}>
              <Bars rows={branches} label={bLabel} value={bScore} />
            </div>
          </Card>
        </Col>
      </Row>
    </>
  );
}

export default function Reports() {
  const { t } = useLang();
  return (
    <>
      <PageTitle title={t('通报与评比', 'Bulletin & ranking')} />
      <Card>
        <Tabs
          items={[
            { key: 'bulletin', label: t('每季通报', 'Quarterly bulletin'), children: <Bulletin /> },
            { key: 'ranking', label: t('年度评比', 'Annual ranking'), children: <Ranking /> },
          ]}
        />
      </Card>
    </>
  );
}
