import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Col, Empty, Row, Select, Space, Table, Tabs, Tag, Tooltip } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { download, get, qs } from '../api/client';
import { keys } from '../api/queries';
import { ArchiveButton } from '../components/ArchiveButtons';
import { ErrorAlert, PageTitle, StateTag, fmtScore, fmtTime } from '../components/common';
import { currentQuarter, currentYear } from '../dates';
import { useNotifyError } from '../hooks';
import { quarterName, useLang, type Lang } from '../i18n';
import { ACTIVITY_KINDS, activityKindLabel, reportStatusLabel } from '../labels';

interface BulletinRow {
  pairingId: number;
  code: string;
  title: string;
  state: string;
  leadBranchName: string;
  activities: Record<string, number>;
  /** 双方确认: activities of the quarter a partner confirmed (SPEC §12). */
  confirmedActivities?: number;
  reportStatus: string;
  score: number | null;
  /** The server's one overdue rule. */
  overdue: boolean;
}
interface Bulletin {
  year: number;
  quarter: number;
  asOf: string;
  generatedAt: string;
  rows: BulletinRow[];
}
interface RankedPairing {
  rank: number;
  pairingId: number;
  code: string;
  title: string;
  leadBranchName: string;
  finalScore: number;
  startQuarter: number | null;
  quartersAssessed: number[];
}
interface RankedBranch {
  rank: number;
  branchId: number;
  name: string;
  count: number;
  quartersAssessed: number;
  meanScore: number;
}
interface Ranking {
  year: number;
  generatedAt: string;
  pairings: RankedPairing[];
  branches: RankedBranch[];
}

/** `[3, 4]` → `第3–4季度（2个）`, as the xlsx writes it. */
export function assessedText(quarters: number[], lang: Lang): string {
  if (!quarters.length) return '—';
  const contiguous = quarters.every((q, i) => i === 0 || q === quarters[i - 1] + 1);
  if (lang === 'en') {
    const span = quarters.length === 1 ? `Q${quarters[0]}` : contiguous ? `Q${quarters[0]}–Q${quarters.at(-1)}` : quarters.map((q) => `Q${q}`).join(', ');
    return `${span} (${quarters.length})`;
  }
  const span = quarters.length === 1 ? `${quarters[0]}` : contiguous ? `${quarters[0]}–${quarters.at(-1)}` : quarters.join('、');
  return `第${span}季度（${quarters.length}个）`;
}

function years() {
  const thisYear = currentYear();
  return Array.from({ length: 7 }, (_, i) => thisYear + 1 - i);
}

function Bars({ rows, label }: { rows: { key: string; label: string; value: number | null }[]; label: string }) {
  if (!rows.length) return <Empty />;
  return (
    <figure style={{ margin: 0 }} aria-label={label}>
      {rows.map((r) => {
        const pct = r.value === null ? 0 : Math.max(0, Math.min(100, r.value));
        return (
          <div className="gj-bar-row" key={r.key}>
            <span className="gj-bar-label" title={r.label}>
              {r.label}
            </span>
            <svg width="100%" height="20" role="img" aria-label={`${r.label}: ${r.value === null ? '—' : r.value.toFixed(2)}`}>
              <rect x="0" y="3" width="100%" height="14" fill="#f5f5f5" rx="2" />
              <rect x="0" y="3" width={`${pct * 0.85}%`} height="14" fill="#c8102e" rx="2" />
              <text x={`${pct * 0.85 + 1}%`} y="15" fontSize="12" fill="#262626">
                {r.value === null ? '—' : r.value.toFixed(2)}
              </text>
            </svg>
          </div>
        );
      })}
    </figure>
  );
}

function BulletinTab() {
  const { t, lang } = useLang();
  const notifyError = useNotifyError();
  const [year, setYear] = useState(currentYear);
  const [quarter, setQuarter] = useState(currentQuarter);
  const data = useQuery({ queryKey: [...keys.reports, 'bulletin', year, quarter], queryFn: () => get<Bulletin>(`/api/reports/bulletin${qs({ year, quarter })}`) });
  const rows = data.data?.rows ?? [];
  const kinds = [
    'joint_meeting',
    'activity_day',
    ...Object.keys(ACTIVITY_KINDS).filter((k) => k !== 'joint_meeting' && k !== 'activity_day' && rows.some((r) => (r.activities?.[k] ?? 0) > 0)),
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select aria-label={t('年度', 'Year')} value={year} onChange={setYear} style={{ width: 110 }} options={years().map((y) => ({ value: y, label: t(`${y}年`, String(y)) }))} />
        <Select aria-label={t('季度', 'Quarter')} value={quarter} onChange={setQuarter} style={{ width: 120 }} options={[1, 2, 3, 4].map((q) => ({ value: q, label: quarterName(q, lang) }))} />
        <Button icon={<DownloadOutlined />} onClick={() => download(`/api/reports/bulletin${qs({ year, quarter, format: 'xlsx' })}`, `bulletin-${year}-Q${quarter}.xlsx`).catch(notifyError)}>
          {t('下载Excel', 'Download Excel')}
        </Button>
        {data.data && <span className="gj-muted">{t(`截至 ${data.data.asOf}，生成于 ${fmtTime(data.data.generatedAt)}`, `As of ${data.data.asOf}, made ${fmtTime(data.data.generatedAt)}`)}</span>}
      </Space>
      <ErrorAlert error={data.error} onRetry={() => void data.refetch()} />
      <Table<BulletinRow>
        size="small"
        bordered
        loading={data.isFetching}
        rowKey={(r) => String(r.pairingId)}
        dataSource={rows}
        scroll={{ x: 960 }}
        pagination={false}
        locale={{ emptyText: t('本季度暂无项目', 'No pairings this quarter') }}
        columns={[
          { title: t('项目', 'Pairing'), key: 'p', fixed: 'left', render: (_, r) => <Link to={`/pairings/${r.pairingId}`}>{`${r.code} ${r.title}`}</Link> },
          { title: t('牵头支部', 'Lead branch'), key: 'b', render: (_, r) => r.leadBranchName },
          { title: t('状态', 'State'), key: 's', render: (_, r) => <StateTag state={r.state} /> },
          ...kinds.map((k) => ({
            title: activityKindLabel(k, lang),
            key: k,
            width: 90,
            render: (_: unknown, r: BulletinRow) => {
              const n = r.activities?.[k] ?? 0;
              return (k === 'joint_meeting' || k === 'activity_day') && n === 0 ? <Tag color="warning">0</Tag> : n;
            },
          })),
          { title: t('双方确认', 'Confirmed by both'), key: 'conf', width: 90, render: (_, r) => r.confirmedActivities ?? 0 },
          { title: t('季度报告', 'Quarter report'), key: 'rep', render: (_, r) => reportStatusLabel(r.reportStatus, lang) },
          { title: t('评分', 'Score'), key: 'score', render: (_, r) => fmtScore(r.score) },
          {
            title: t('逾期', 'Overdue'),
            key: 'od',
            render: (_, r) => (r.overdue ? <Tag color="error" data-testid="bulletin-overdue">{t('逾期', 'Overdue')}</Tag> : <span>{t('否', 'No')}</span>),
          },
        ]}
      />
    </>
  );
}

function RankingTab() {
  const { t, lang } = useLang();
  const notifyError = useNotifyError();
  const [year, setYear] = useState(currentYear);
  const data = useQuery({ queryKey: [...keys.reports, 'ranking', year], queryFn: () => get<Ranking>(`/api/reports/ranking${qs({ year })}`) });
  const pairings = data.data?.pairings ?? [];
  const branches = data.data?.branches ?? [];

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select aria-label={t('年度', 'Year')} value={year} onChange={setYear} style={{ width: 110 }} options={years().map((y) => ({ value: y, label: t(`${y}年`, String(y)) }))} />
        <Button icon={<DownloadOutlined />} onClick={() => download(`/api/reports/ranking${qs({ year, format: 'xlsx' })}`, `ranking-${year}.xlsx`).catch(notifyError)}>
          {t('下载Excel', 'Download Excel')}
        </Button>
        <ArchiveButton year={year} />
      </Space>
      <ErrorAlert error={data.error} onRetry={() => void data.refetch()} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={13}>
          <Card size="small" title={t('项目排名', 'Pairings')}>
            <Table<RankedPairing>
              size="small"
              loading={data.isFetching}
              rowKey={(r) => String(r.pairingId)}
              dataSource={pairings}
              pagination={false}
              scroll={{ x: 520 }}
              locale={{ emptyText: t('本年度尚无已评分项目', 'No scored pairings this year') }}
              columns={[
                { title: t('名次', 'Rank'), dataIndex: 'rank', width: 56 },
                { title: t('项目', 'Pairing'), key: 'p', render: (_, r) => <Link to={`/pairings/${r.pairingId}`}>{`${r.code} ${r.title}`}</Link> },
                { title: t('牵头支部', 'Lead branch'), dataIndex: 'leadBranchName', responsive: ['md'] },
                {
                  title: (
                    <Tooltip title={t('总分计入的季度：自年度计划的起始季度起', 'The quarters the final score counts, from the plan’s start quarter')}>
                      {t('考核季度', 'Quarters assessed')}
                    </Tooltip>
                  ),
                  key: 'qa',
                  className: 'gj-nowrap',
                  render: (_, r) => (
                    <span data-testid="quarters-assessed">
                      {r.quartersAssessed.length < 4 ? <Tag color="orange">{assessedText(r.quartersAssessed, lang)}</Tag> : assessedText(r.quartersAssessed, lang)}
                    </span>
                  ),
                },
                { title: t('总分', 'Final'), key: 'f', width: 72, render: (_, r) => fmtScore(r.finalScore, 2) },
              ]}
            />
            <div style={{ marginTop: 12 }}>
              <Bars label={t('项目得分柱状图', 'Pairing scores')} rows={pairings.map((r) => ({ key: String(r.pairingId), label: `${r.code} ${r.title}`, value: r.finalScore }))} />
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={11}>
          <Card size="small" title={t('支部排名（项目平均分）', 'Branches (mean of pairings)')}>
            <Table<RankedBranch>
              size="small"
              loading={data.isFetching}
              rowKey={(r) => String(r.branchId)}
              dataSource={branches}
              pagination={false}
              locale={{ emptyText: t('暂无数据', 'No data') }}
              columns={[
                { title: t('名次', 'Rank'), dataIndex: 'rank', width: 56 },
                { title: t('党支部', 'Branch'), dataIndex: 'name' },
                { title: t('项目数', 'Pairings'), dataIndex: 'count', width: 70 },
                { title: t('考核季度数', 'Quarters'), dataIndex: 'quartersAssessed', width: 90 },
                { title: t('平均分', 'Mean'), key: 'm', width: 72, render: (_, r) => fmtScore(r.meanScore, 2) },
              ]}
            />
            <div style={{ marginTop: 12 }}>
              <Bars label={t('支部平均分柱状图', 'Branch means')} rows={branches.map((r) => ({ key: String(r.branchId), label: r.name, value: r.meanScore }))} />
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
            { key: 'bulletin', label: t('每季通报', 'Quarterly bulletin'), children: <BulletinTab /> },
            { key: 'ranking', label: t('年度评比', 'Annual ranking'), children: <RankingTab /> },
          ]}
        />
      </Card>
    </>
  );
}
