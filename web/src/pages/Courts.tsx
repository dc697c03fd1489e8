import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Col, Row, Select, Space, Table, Tag } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { download, get, qs } from '../api/client';
import { keys } from '../api/queries';
import type { CourtsReport, CourtsReportRow } from '../api/types';
import { ErrorAlert, PageTitle, StateTag, fmtScore } from '../components/common';
import { currentYear } from '../dates';
import { useNotifyError } from '../hooks';
import { quarterName, useLang, type Lang } from '../i18n';
import { ChartCard } from '../overview/ChartCard';
import { CHART_FONT, percent, type ChartSpec } from '../overview/charts';

const tr = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

/** 嘉兴市中级人民法院 → 嘉兴市中级 / 人民法院: where a reader would break a court's name, if it must break. */
const courtNameParts = (name: string) => name.match(/^(.+?)((?:人民)?法院)$/)?.slice(1) ?? [name];

/** A court's name on the chart's axis, wrapped where a reader would break it, not mid-word. */
export const courtAxisLabel = (name: string) => courtNameParts(name).join('\n');

/** A court's name in a table cell: on one line up to 9 characters (嘉兴市中级人民法院), a longer one broken like the axis label. */
function CourtName({ name }: { name: string }) {
  const [head, tail] = courtNameParts(name);
  return (
    <span className="gj-court-name">
      {head}
      {tail && <wbr />}
      {tail}
    </span>
  );
}

/** Room under the chart for its one-line legend. */
export const LEGEND_HEIGHT = 32;

/** 各院对比: each court's quarter compliance rate and mean final score side by side, the table one click away. */
export function courtsChart(report: CourtsReport, lang: Lang): ChartSpec {
  const names = report.courts.map((c) => c.name);
  const rates = report.courts.map((c) => (c.compliance.rate === null ? null : Math.round(c.compliance.rate * 1000) / 10));
  const scores = report.courts.map((c) => c.meanFinalScore);
  const option: EChartsOption = {
    textStyle: { fontFamily: CHART_FONT },
    tooltip: { trigger: 'axis', confine: true },
    // The legend sits below the courts' names, clear of the axes' names (%, 分) and of the bars' labels above.
    legend: { bottom: 0, itemGap: 16 },
    grid: { left: 8, right: 16, top: 32, bottom: LEGEND_HEIGHT, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    animation: false,
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, formatter: courtAxisLabel, width: 96, overflow: 'break', lineHeight: 14 } },
    yAxis: [
      { type: 'value', name: '%', min: 0, max: 100 },
      { type: 'value', name: tr(lang, '分', 'pts'), min: 0, max: 100 },
    ],
    series: [
      { type: 'bar', name: tr(lang, '季度达标率', 'Quarter compliance'), data: rates, yAxisIndex: 0, label: { show: true, formatter: '{c}%' } },
      { type: 'bar', name: tr(lang, '平均总分', 'Mean final score'), data: scores, yAxisIndex: 1, label: { show: true } },
    ],
  };
  return {
    option,
    table: {
      columns: [
        { key: 'court', title: tr(lang, '法院', 'Court') },
        { key: 'rate', title: tr(lang, '季度达标率', 'Quarter compliance') },
        { key: 'score', title: tr(lang, '平均总分', 'Mean final score') },
      ],
      rows: report.courts.map((c) => ({
        court: c.name,
        rate: percent(c.compliance.rate),
        score: c.meanFinalScore === null ? '—' : fmtScore(c.meanFinalScore, 2),
      })),
    },
  };
}

const years = () => Array.from({ length: 6 }, (_, i) => currentYear() - i);

export default function Courts() {
  const { t, lang } = useLang();
  const notifyError = useNotifyError();
  const [year, setYear] = useState(currentYear);
  const [quarter, setQuarter] = useState<number | undefined>(undefined);
  const data = useQuery({
    queryKey: [...keys.reports, 'courts', year, quarter ?? 0],
    queryFn: () => get<CourtsReport>(`/api/reports/courts${qs({ year, quarter })}`),
  });
  const report = data.data;

  return (
    <>
      <PageTitle
        title={t('各院对比', 'Courts compared')}
        extra={
          <Space wrap className="gj-no-print">
            <Select aria-label={t('年度', 'Year')} value={year} onChange={setYear} style={{ width: 110 }} options={years().map((y) => ({ value: y, label: t(`${y}年`, String(y)) }))} />
            <Select
              aria-label={t('季度', 'Quarter')}
              value={quarter ?? 0}
              onChange={(q: number) => setQuarter(q || undefined)}
              style={{ width: 120 }}
              options={[{ value: 0, label: t('全年', 'Whole year') }, ...[1, 2, 3, 4].map((q) => ({ value: q, label: quarterName(q, lang) }))]}
            />
            <Button
              icon={<DownloadOutlined />}
              onClick={() => download(`/api/reports/courts${qs({ year, quarter, format: 'xlsx' })}`, `courts-${year}.xlsx`).catch(notifyError)}
            >
              {t('下载Excel', 'Download Excel')}
            </Button>
          </Space>
        }
      />
      <ErrorAlert error={data.error} onRetry={() => void data.refetch()} />
      {report && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={10}>
            <ChartCard title={t('季度达标率与平均总分', 'Compliance and mean score')} spec={courtsChart(report, lang)} testId="courts-chart" />
          </Col>
          <Col xs={24} xl={14}>
            <Card size="small" title={t('各院情况', 'Each court')} data-testid="courts-table">
              <Table<CourtsReportRow>
                size="small"
                rowKey={(c) => String(c.courtId)}
                dataSource={report.courts}
                pagination={false}
                className="gj-courts-table"
                // Fits its half of a 1280 px screen: the states wrap in their column, a rate's (met/due) goes under it
                // when room is short, a court's name stays whole. On a phone it scrolls, the court's name staying.
                tableLayout="auto"
                scroll={{ x: 520 }}
                columns={[
                  { title: t('法院', 'Court'), key: 'name', fixed: 'left', render: (_, c) => <CourtName name={c.name} /> },
                  { title: t('项目数', 'Pairings'), dataIndex: 'pairings', align: 'right' },
                  {
                    title: t('项目状态', 'States'),
                    key: 'states',
                    render: (_, c) => (
                      <Space size={[4, 4]} wrap className="gj-court-states">
                        {c.byState.map((s) => (
                          <span key={s.state} className="gj-nowrap">
                            <StateTag state={s.state} /> {s.count}
                          </span>
                        ))}
                      </Space>
                    ),
                  },
                  {
                    // 季度 over 达标率 and 逾期: two narrow headings instead of 季度达标率 and 逾期季度 side by side.
                    title: t('季度', 'Quarters'),
                    children: [
                      {
                        title: t('达标率', 'Compliance'),
                        key: 'rate',
                        render: (_, c) => (
                          <span>
                            {percent(c.compliance.rate)}
                            <wbr />（{c.compliance.met}/{c.compliance.due}）
                          </span>
                        ),
                      },
                      {
                        title: t('逾期', 'Late'),
                        key: 'overdue',
                        render: (_, c) => (c.overdueQuarters ? <Tag color="error">{c.overdueQuarters}</Tag> : 0),
                      },
                    ],
                  },
                  { title: t('平均总分', 'Mean score'), key: 'score', render: (_, c) => (c.meanFinalScore === null ? '—' : fmtScore(c.meanFinalScore, 2)) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={13}>
            <Card size="small" title={t('项目排名（跨院）', 'Pairings ranked across courts')}>
              <Table
                size="small"
                rowKey={(r) => String(r.pairingId)}
                dataSource={report.ranking.pairings}
                pagination={false}
                scroll={{ x: 520 }}
                locale={{ emptyText: t('本年度尚无已评分项目', 'No scored pairings this year') }}
                columns={[
                  { title: t('名次', 'Rank'), dataIndex: 'rank', width: 56 },
                  { title: t('法院', 'Court'), dataIndex: 'courtName' },
                  { title: t('项目', 'Pairing'), key: 'p', render: (_, r) => <Link to={`/pairings/${r.pairingId}`}>{`${r.code} ${r.title}`}</Link> },
                  { title: t('总分', 'Final score'), key: 's', render: (_, r) => fmtScore(r.finalScore, 2) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={11}>
            <Card size="small" title={t('党支部排名（跨院）', 'Branches ranked across courts')}>
              <Table
                size="small"
                rowKey={(r) => String(r.branchId)}
                dataSource={report.ranking.branches}
                pagination={false}
                columns={[
                  { title: t('名次', 'Rank'), dataIndex: 'rank', width: 56 },
                  { title: t('法院', 'Court'), dataIndex: 'courtName' },
                  { title: t('党支部', 'Branch'), dataIndex: 'name' },
                  { title: t('平均分', 'Mean'), key: 'm', render: (_, r) => fmtScore(r.meanScore, 2) },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
