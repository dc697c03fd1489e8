import { useState, type ReactNode } from 'react';
import { Card, Segmented, Table } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useLang } from '../i18n';
import type { ChartSpec } from './charts';

// Only what the dashboard draws, with the SVG renderer: sharp when printed, small in the bundle.
echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/**
 * One chart and the numbers behind it: 图表 draws it, 数据 shows the same figures as a table. When printed,
 * both are shown, so the paper carries the numbers too.
 */
export function ChartCard({ title, spec, height = 280, extra, testId }: { title: ReactNode; spec: ChartSpec; height?: number; extra?: ReactNode; testId?: string }) {
  const { t } = useLang();
  const [view, setView] = useState<'chart' | 'data'>('chart');
  const empty = !spec.table.rows.length;
  return (
    <Card
      title={title}
      size="small"
      className="gj-chart-card"
      data-testid={testId}
      extra={
        <>
          {extra}
          <Segmented
            size="small"
            className="gj-no-print"
            value={view}
            onChange={(v) => setView(v as 'chart' | 'data')}
            options={[
              { label: t('图表', 'Chart'), value: 'chart' },
              { label: t('数据', 'Data'), value: 'data' },
            ]}
            aria-label={t('图表或数据', 'Chart or data')}
          />
        </>
      }
    >
      <div className={view === 'chart' ? 'gj-chart' : 'gj-chart gj-print-only'} aria-hidden={view !== 'chart'}>
        {empty ? (
          <div className="gj-chart-empty" style={{ height }}>
            {t('暂无数据', 'No data yet')}
          </div>
        ) : (
          <ReactEChartsCore echarts={echarts} option={spec.option} notMerge style={{ height, width: '100%' }} opts={{ renderer: 'svg' }} />
        )}
      </div>
      <div className={view === 'data' ? 'gj-chart-data' : 'gj-chart-data gj-print-only'}>
        <Table
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          // A chart's rows carry no id of their own; their place is theirs (antd no longer passes rowKey the index).
          rowKey="row"
          dataSource={spec.table.rows.map((r, row) => ({ ...r, row }))}
          columns={spec.table.columns.map((c) => ({ key: c.key, dataIndex: c.key, title: c.title }))}
        />
      </div>
    </Card>
  );
}
