import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Col, Row, Select, Space, Statistic, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../api/client';
import { keys } from '../api/queries';
import type { Court, DashboardData } from '../api/types';
import { useAuth } from '../auth';
import { ALL_COURTS, courtSelection } from '../court';
import { ErrorAlert, PageTitle, fmtScore, fmtTime } from '../components/common';
import { currentYear } from '../dates';
import { useLang } from '../i18n';
import { ChartCard } from '../overview/ChartCard';
import { activitiesChart, complianceChart, indicatorsChart, overdueChart, percent, scoresChart, stateChart } from '../overview/charts';

/**
 * 总览: the year at a glance for leaders, the committee and supervisors — charts, each with its numbers a click
 * away. A supervisor's covers the courts chosen in the header (all of theirs, or one of them), and says which.
 */
export default function Overview() {
  const { t, lang } = useLang();
  const { user, hasRole } = useAuth();
  const supervisor = hasRole('supervisor');
  const courts = useQuery({ queryKey: ['courts'], queryFn: () => get<Court[]>('/api/courts'), enabled: supervisor, staleTime: 5 * 60_000 });
  const chosen = courtSelection();
  const scope = !supervisor
    ? null
    : chosen === ALL_COURTS
      ? t(`${user?.court?.name ?? ''}及下级法院（全部）`, `${user?.court?.name ?? 'Your court'} and all courts below`)
      : chosen
        ? (courts.data?.find((c) => String(c.id) === chosen)?.name ?? '')
        : t(`${user?.court?.name ?? ''}（本院）`, `${user?.court?.name ?? ''} (own court)`);
  const [year, setYear] = useState(currentYear());
  const query = useQuery({
    queryKey: [...keys.reports, 'dashboard', year],
    queryFn: () => get<DashboardData>(`/api/reports/dashboard${qs({ year })}`),
  });
  const d = query.data;
  const years = Array.from({ length: 6 }, (_, i) => currentYear() + 1 - i);

  return (
    <div className="gj-overview">
      <PageTitle
        title={t('总览', 'Overview')}
        extra={
          <Space wrap>
            <Select
              value={year}
              onChange={setYear}
              options={years.map((y) => ({ value: y, label: t(`${y}年度`, String(y)) }))}
              aria-label={t('年度', 'Year')}
              style={{ width: 120 }}
            />
            <Button icon={<PrinterOutlined />} className="gj-no-print" onClick={() => window.print()}>
              {t('打印', 'Print')}
            </Button>
          </Space>
        }
      />
      {query.error ? <ErrorAlert error={query.error} onRetry={() => query.refetch()} /> : null}
      {d && (
        <>
          <Typography.Paragraph type="secondary" className="gj-overview-asof">
            {t(`${d.year}年度结对共建情况，截至${d.asOf}（生成于${fmtTime(d.generatedAt)}）`, `${d.year}, as of ${d.asOf} (generated ${fmtTime(d.generatedAt)})`)}
          </Typography.Paragraph>
          {scope !== null && (
            <Typography.Paragraph data-testid="overview-scope">
              {t(`范围：${scope}。在页眉切换法院可看单个法院；`, `Courts: ${scope}. Choose one court in the header to see it alone; `)}
              <Link to="/courts">{t('各院对比', 'compare the courts')}</Link>
              {t('列出各院的达标率、逾期与平均分。', ' side by side (compliance, overdue, mean score).')}
            </Typography.Paragraph>
          )}
          <Row gutter={[12, 12]} className="gj-kpis" data-testid="overview-kpis">
            {[
              [t('结对项目', 'Pairings'), d.totals.pairings],
              [t('进行中', 'Running'), d.totals.running],
              [t('已评分', 'Scored'), d.totals.scored],
              [t('全年活动', 'Activities'), d.totals.activities],
              [t('平均总分', 'Mean final score'), d.totals.meanFinalScore === null ? '—' : fmtScore(d.totals.meanFinalScore, 2)],
              [t('季度达标率', 'Quarter compliance'), percent(d.totals.complianceRate)],
              [t('逾期事项', 'Overdue'), d.totals.overdue],
            ].map(([title, value]) => (
              <Col key={String(title)} xs={12} sm={8} lg={6} xl={3}>
                <Card size="small">
                  <Statistic title={title} value={value as string | number} />
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col xs={24} lg={12}>
              <ChartCard testId="chart-states" title={t('项目状态分布', 'Pairings by state')} spec={stateChart(d, lang)} />
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard
                testId="chart-compliance"
                title={t('季度达标率（联席会议+共建活动日）', 'Quarter compliance (joint meeting + activity day)')}
                spec={complianceChart(d, lang)}
              />
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard testId="chart-activities" title={t('每月活动（按类型）', 'Activities per month by kind')} spec={activitiesChart(d, lang)} />
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard testId="chart-scores" title={t('得分分布', 'Score distribution')} spec={scoresChart(d, lang)} />
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard
                testId="chart-indicators"
                title={t('成效指标变化（较上年基数）', 'Outcome indicators against their baselines')}
                spec={indicatorsChart(d, lang)}
                height={Math.max(200, 60 + d.indicators.summary.length * 48)}
              />
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard testId="chart-overdue" title={t('逾期事项', 'Overdue work')} spec={overdueChart(d, lang)} />
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
