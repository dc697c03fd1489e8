import type { ReactNode } from 'react';
import { Card, Table, Tag, Tooltip, Typography } from 'antd';
import { CheckCircleTwoTone, CloseCircleTwoTone, MinusOutlined } from '@ant-design/icons';
import type { Compliance, Pairing } from '../api/types';
import { quarterCounts } from '../events/QuarterReport';
import { useIsMobile } from '../hooks';
import { quarterName, useLang } from '../i18n';
import { missingLabel, reportStatusLabel } from '../labels';
import { fmtScore } from './common';

type Row = { key: string; label: string; cells: ReactNode[] };

/**
 * Quarters × requirements (联席会议, 共建活动日, 季度报告, 评分), all as the server judged them — overdue
 * included. On a phone, one card per quarter, the current quarter first.
 */
export default function ComplianceMatrix({ pairing: p }: { pairing: Pairing }) {
  const { t, lang } = useLang();
  const mobile = useIsMobile();
  const start = p.plan?.startQuarter ? Number(p.plan.startQuarter) : null;
  const quarters = [1, 2, 3, 4];
  const comp = (q: number): Compliance | undefined => (p.compliance ?? []).find((c) => Number(c.quarter) === q);
  const report = (q: number) => [...(p.reports ?? [])].reverse().find((r) => Number(r.quarter) === q);
  const inScope = (q: number) => start !== null && q >= start;
  const current = (q: number) => Number(p.quarter) === q && p.state.startsWith('active');
  const ok = (good: boolean, label: string) =>
    good ? <CheckCircleTwoTone twoToneColor="#52c41a" aria-label={label} /> : <CloseCircleTwoTone twoToneColor="#ff4d4f" aria-label={label} />;
  const na = <MinusOutlined aria-label={t('不计', 'n/a')} style={{ color: '#bfbfbf' }} />;

  const cell = {
    jm: (q: number) => {
      const n = quarterCounts(p, q).jointMeetings;
      return <span>{ok(n > 0, n > 0 ? t('已召开', 'held') : t('未召开', 'missing'))} {n}</span>;
    },
    ad: (q: number) => {
      const n = quarterCounts(p, q).activityDays;
      return <span>{ok(n > 0, n > 0 ? t('已开展', 'held') : t('未开展', 'missing'))} {n}</span>;
    },
    rp: (q: number) => {
      const r = report(q);
      const c = comp(q);
      if (r && r.status !== 'returned') return <Tag color={r.status === 'scored' ? 'success' : 'processing'}>{reportStatusLabel(r.status ?? 'submitted', lang)}</Tag>;
      if (c?.overdue) return <Tag color="error" data-testid={`overdue-q${q}`}>{t('逾期未报', 'Overdue')}</Tag>;
      if (r?.status === 'returned') return <Tag color="warning">{reportStatusLabel('returned', lang)}</Tag>;
      return <Tag>{t('未报送', 'Not yet')}</Tag>;
    },
    sc: (q: number) => <strong>{fmtScore(comp(q)?.score ?? report(q)?.score)}</strong>,
    ms: (q: number) => {
      const c = comp(q);
      const r = report(q);
      const missing = (c?.missing ?? []).filter((m) => m !== 'score' || r?.status === 'submitted');
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
    },
  };
  const rows: { key: keyof typeof cell; label: string }[] = [
    { key: 'jm', label: t('联席会议', 'Joint meeting') },
    { key: 'ad', label: t('共建活动日', 'Activity day') },
    { key: 'rp', label: t('季度报告', 'Quarter report') },
    { key: 'sc', label: t('季度评分', 'Quarter score') },
    { key: 'ms', label: t('缺项提示', 'Missing') },
  ];

  const intro = (
    <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
      {start === null
        ? t('年度计划备案后开始按季度考核', 'Quarterly assessment starts once the plan is accepted')
        : t(
            `自第${start}季度起考核：每季度一次联席会议、一个共建活动日，季度结束后15日内报送季度报告`,
            `Assessed from Q${start}: one joint meeting and one activity day per quarter, the report within 15 days after the quarter`,
          )}
    </Typography.Paragraph>
  );
  if (start === null) return intro;

  if (mobile) {
    const order = [...quarters.filter(inScope)].sort((a, b) => Number(current(b)) - Number(current(a)) || a - b);
    return (
      <>
        {intro}
        <div className="gj-quarter-cards" aria-label={t('季度考核情况', 'Quarterly compliance')}>
          {order.map((q) => (
            <Card
              key={q}
              size="small"
              className={current(q) ? 'gj-quarter-current' : undefined}
              data-testid={`quarter-card-${q}`}
              title={
                <span>
                  {quarterName(q, lang)}
                  {current(q) && <Tag color="blue" style={{ marginInlineStart: 6 }}>{t('当前', 'now')}</Tag>}
                </span>
              }
            >
              {rows.map((r) => (
                <div key={r.key} className="gj-quarter-line">
                  <span className="gj-quarter-label">{r.label}</span>
                  <span>{cell[r.key](q)}</span>
                </div>
              ))}
            </Card>
          ))}
        </div>
      </>
    );
  }

  const tableRows: Row[] = rows.map((r) => ({ key: r.key, label: r.label, cells: quarters.map((q) => (inScope(q) ? cell[r.key](q) : na)) }));
  return (
    <>
      {intro}
      <Table<Row>
        className="gj-matrix"
        size="small"
        bordered
        pagination={false}
        rowKey="key"
        dataSource={tableRows}
        aria-label={t('季度考核情况', 'Quarterly compliance')}
        columns={[
          { title: t('考核项', 'Requirement'), dataIndex: 'label', width: 104 },
          ...quarters.map((q) => ({
            title: (
              <span>
                {quarterName(q, lang)}
                {current(q) ? <Tag color="blue" style={{ marginInlineStart: 4 }}>{t('当前', 'now')}</Tag> : null}
              </span>
            ),
            key: `q${q}`,
            onCell: () => ({ className: current(q) ? 'gj-quarter-current' : undefined }),
            render: (_: unknown, r: Row) => r.cells[q - 1],
          })),
        ]}
      />
    </>
  );
}
