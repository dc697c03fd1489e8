import { Table, Tag, Tooltip, Typography } from 'antd';
import { CheckCircleTwoTone, CloseCircleTwoTone, MinusOutlined } from '@ant-design/icons';
import type { Compliance, Pairing } from '../api/types';
import { useLang } from '../i18n';
import { missingLabel, reportStatusLabel } from '../labels';
import { fmtScore } from './common';
import { quarterCounts } from './EventModal';

type Row = { key: string; label: string; cells: React.ReactNode[] };

/** Quarters × requirements: 联席会议, 共建活动日, 季度情况报送, 评分. */
export default function ComplianceMatrix({ pairing: p }: { pairing: Pairing }) {
  const { t, lang } = useLang();
  const start = p.plan?.startQuarter ? Number(p.plan.startQuarter) : null;
  const quarters = [1, 2, 3, 4];
  const comp = (q: number): Compliance | undefined => (p.compliance ?? []).find((c) => Number(c.quarter) === q);
  const report = (q: number) => [...(p.reports ?? [])].reverse().find((r) => Number(r.quarter) === q);
  const inScope = (q: number) => start !== null && q >= start;
  const ok = (good: boolean, label: string) =>
    good ? <CheckCircleTwoTone twoToneColor="#52c41a" aria-label={label} /> : <CloseCircleTwoTone twoToneColor="#ff4d4f" aria-label={label} />;
  const na = <MinusOutlined aria-label={t('不计', 'n/a')} style={{ color: '#bfbfbf' }} />;

  const rows: Row[] = [
    {
      key: 'jm',
      label: t('联席会议', 'Joint meeting'),
      cells: quarters.map((q) => {
        if (!inScope(q)) return na;
        const n = quarterCounts(p, q).jointMeetings;
        return <span>{ok(n > 0, n > 0 ? t('已召开', 'held') : t('未召开', 'missing'))} {n}</span>;
      }),
    },
    {
      key: 'ad',
      label: t('共建活动日', 'Activity day'),
      cells: quarters.map((q) => {
        if (!inScope(q)) return na;
        const n = quarterCounts(p, q).activityDays;
        return <span>{ok(n > 0, n > 0 ? t('已开展', 'held') : t('未开展', 'missing'))} {n}</span>;
      }),
    },
    {
      key: 'rp',
      label: t('季度情况报送', 'Quarter report'),
      cells: quarters.map((q) => {
        if (!inScope(q)) return na;
        const r = report(q);
        const c = comp(q);
        if (r) return <Tag color={r.status === 'returned' ? 'warning' : r.status === 'scored' ? 'success' : 'processing'}>{reportStatusLabel(r.status ?? 'submitted', lang)}</Tag>;
        if (c?.overdue) return <Tag color="error">{t('逾期未报', 'Overdue')}</Tag>;
        if (c?.reportSubmitted) return <Tag color="processing">{t('已报送', 'Submitted')}</Tag>;
        return <Tag>{t('未报送', 'Not yet')}</Tag>;
      }),
    },
    {
      key: 'sc',
      label: t('季度评分', 'Quarter score'),
      cells: quarters.map((q) => {
        if (!inScope(q)) return na;
        const s = comp(q)?.score ?? report(q)?.score ?? (p.quarterScores ?? []).find((x) => Number(x.quarter) === q)?.score;
        return <strong>{fmtScore(s)}</strong>;
      }),
    },
    {
      key: 'ms',
      label: t('缺项提示', 'Missing'),
      cells: quarters.map((q) => {
        if (!inScope(q)) return na;
        const c = comp(q);
        const r = report(q);
        const missing = c?.missing ?? [];
        if (missing.length === 0 && r?.requirementsMet !== false) return <span>—</span>;
        return (
          <span>
            {missing.map((m) => (
              <Tag color="warning" key={m}>
                {missingLabel(m, lang)}
              </Tag>
            ))}
            {r?.requirementsMet === false && (
              <Tooltip title={r.shortfallReason ?? ''}>
                <Tag color="orange">{t('未达标', 'Not met')}</Tag>
              </Tooltip>
            )}
          </span>
        );
      }),
    },
  ];

  return (
    <>
    <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
      {start === null
        ? t('年度计划备案后开始按季度考核', 'Quarterly assessment starts once the plan is accepted')
        : t(`自第${start}季度起考核：每季度一次联席会议、一个共建活动日，季度结束后15日内报送`, `Assessed from Q${start}: one joint meeting and one activity day per quarter, reported within 15 days after the quarter`)}
    </Typography.Paragraph>
    <Table<Row>
      className="gj-matrix"
      size="small"
      bordered
      pagination={false}
      rowKey="key"
      dataSource={rows}
      scroll={{ x: 480 }}
      aria-label={t('季度考核情况', 'Quarterly compliance')}
      columns={[
        { title: t('考核项', 'Requirement'), dataIndex: 'label', fixed: 'left', width: 104 },
        ...quarters.map((q) => ({
          title: (
            <span>
              {t(`第${q}季度`, `Q${q}`)}
              {Number(p.quarter) === q && p.state.startsWith('active') ? <Tag color="blue" style={{ marginInlineStart: 4 }}>{t('当前', 'now')}</Tag> : null}
            </span>
          ),
          key: `q${q}`,
          render: (_: unknown, r: Row) => r.cells[q - 1],
        })),
      ]}
    />
    </>
  );
}
