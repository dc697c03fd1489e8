import type { EChartsOption } from 'echarts';
import type { DashboardData, ScoreBand } from '../api/types';
import { quarterName, type Lang } from '../i18n';
import { BASELINE, activityKindLabel, stateLabel, taskLabel } from '../labels';

/**
 * The dashboard's charts as pure functions of the API's numbers: each gives the ECharts option it draws and
 * the table behind it (the numbers one click away), so both always say the same. No rule is judged here:
 * the server counted everything; these only lay it out.
 */

export interface ChartTable {
  columns: { key: string; title: string }[];
  rows: Record<string, string | number>[];
}

export interface ChartSpec {
  option: EChartsOption;
  table: ChartTable;
}

const tr = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

/** 0.5 → "50.0%"; null (nothing due) → "—". */
export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** A change in the indicator's unit, signed; a rate's change is in percentage points: +11.16个百分点, −29.7天. */
export function signed(change: number | null, unit: string, lang: Lang = 'zh'): string {
  if (change === null) return '—';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const inUnit = unit === '%' ? tr(lang, '个百分点', ' pp') : lang === 'en' ? ` ${unit}` : unit;
  return `${sign}${Math.abs(change)}${inUnit}`;
}

export const bandLabel = (band: ScoreBand, last: boolean) => (last ? `${band.from}–${band.to}` : `${band.from}–<${band.to}`);

const MONTHS_ZH = ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The page's font (styles.css, body), named to ECharts. It measures every label on a canvas to lay the chart out,
 * and a canvas takes no CSS keyword such as `inherit`: it would measure at its default 10px while the SVG draws
 * the label at 12px in the page's font, pushing the label's first characters off the chart's left edge.
 */
export const CHART_FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";

const BASE: EChartsOption = {
  textStyle: { fontFamily: CHART_FONT },
  tooltip: { trigger: 'axis', confine: true },
  // The axes' labels are kept inside these margins (what the deprecated `containLabel` did).
  grid: { left: 8, right: 16, top: 36, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
  animation: false,
};

/** 项目状态分布: a ring of the year's pairings by state. */
export function stateChart(d: DashboardData, lang: Lang): ChartSpec {
  const rows = d.byState.map((s) => ({ state: stateLabel(s.state, lang), count: s.count }));
  return {
    option: {
      ...BASE,
      tooltip: { trigger: 'item', confine: true },
      legend: { type: 'scroll', bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          center: ['50%', '45%'],
          label: { formatter: '{b}\n{c}' },
          data: rows.map((r) => ({ name: r.state, value: r.count })),
        },
      ],
    },
    table: {
      columns: [
        { key: 'state', title: tr(lang, '状态', 'State') },
        { key: 'count', title: tr(lang, '项目数', 'Pairings') },
      ],
      rows,
    },
  };
}

/** 季度达标率: per quarter, quarters with a joint meeting and an activity day over the quarters due. */
export function complianceChart(d: DashboardData, lang: Lang): ChartSpec {
  const quarters = d.compliance.quarters;
  return {
    option: {
      ...BASE,
      xAxis: { type: 'category', data: quarters.map((q) => quarterName(q.quarter, lang)) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'bar',
          name: tr(lang, '达标率', 'Compliance rate'),
          barMaxWidth: 48,
          data: quarters.map((q) => (q.rate === null ? null : Math.round(q.rate * 1000) / 10)),
          label: { show: true, position: 'top', formatter: (p) => (p.value === null || p.value === undefined ? '' : `${p.value}%`) },
        },
      ],
    },
    table: {
      columns: [
        { key: 'quarter', title: tr(lang, '季度', 'Quarter') },
        { key: 'due', title: tr(lang, '应达标项目数', 'Due') },
        { key: 'met', title: tr(lang, '达标项目数', 'Met') },
        { key: 'rate', title: tr(lang, '达标率', 'Rate') },
      ],
      rows: [
        ...quarters.map((q) => ({ quarter: quarterName(q.quarter, lang), due: q.due, met: q.met, rate: percent(q.rate) })),
        { quarter: tr(lang, '全年', 'Year'), due: d.compliance.year.due, met: d.compliance.year.met, rate: percent(d.compliance.year.rate) },
      ],
    },
  };
}

/** 每月活动: activities per month, stacked by kind (kinds held at least once this year). */
export function activitiesChart(d: DashboardData, lang: Lang): ChartSpec {
  const months = d.activitiesByMonth;
  const kinds = Object.keys(months[0]?.byKind ?? {}).filter((kind) => months.some((m) => (m.byKind[kind] ?? 0) > 0));
  const monthName = (m: number) => (lang === 'en' ? MONTHS_EN : MONTHS_ZH)[m - 1];
  return {
    option: {
      ...BASE,
      legend: { type: 'scroll', top: 0 },
      grid: { ...BASE.grid, top: 40 },
      xAxis: { type: 'category', data: months.map((m) => monthName(m.month)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: kinds.map((kind) => ({
        type: 'bar',
        stack: 'activities',
        name: activityKindLabel(kind, lang),
        data: months.map((m) => m.byKind[kind] ?? 0),
      })),
    },
    table: {
      columns: [
        { key: 'month', title: tr(lang, '月份', 'Month') },
        ...kinds.map((kind) => ({ key: kind, title: activityKindLabel(kind, lang) })),
        { key: 'total', title: tr(lang, '合计', 'Total') },
      ],
      rows: months.map((m) => ({ month: monthName(m.month), ...Object.fromEntries(kinds.map((k) => [k, m.byKind[k] ?? 0])), total: m.total })),
    },
  };
}

/** 得分分布: how many final scores and quarter scores fall in each band. */
export function scoresChart(d: DashboardData, lang: Lang): ChartSpec {
  const bands = d.scores.final.map((b, i) => bandLabel(b, i === d.scores.final.length - 1));
  return {
    option: {
      ...BASE,
      legend: { top: 0 },
      xAxis: { type: 'category', data: bands },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: tr(lang, '年度总分', 'Final scores'), data: d.scores.final.map((b) => b.count) },
        { type: 'bar', name: tr(lang, '季度得分', 'Quarter scores'), data: d.scores.quarter.map((b) => b.count) },
      ],
    },
    table: {
      columns: [
        { key: 'band', title: tr(lang, '分数段', 'Band') },
        { key: 'final', title: tr(lang, '年度总分（个）', 'Final scores') },
        { key: 'quarter', title: tr(lang, '季度得分（个）', 'Quarter scores') },
      ],
      rows: bands.map((band, i) => ({ band, final: d.scores.final[i].count, quarter: d.scores.quarter[i]?.count ?? 0 })),
    },
  };
}

/** 成效指标: per indicator, how many pairings moved it the right way, not at all, the wrong way, or have not reported. */
export function indicatorsChart(d: DashboardData, lang: Lang): ChartSpec {
  const summary = d.indicators.summary;
  const names = summary.map((s) => `${s.name}（${s.unit}）`);
  const stack = (name: string, color: string, pick: (s: (typeof summary)[number]) => number) => ({
    type: 'bar' as const,
    stack: 'pairings',
    name,
    itemStyle: { color },
    data: summary.map(pick),
  });
  return {
    option: {
      ...BASE,
      legend: { top: 0 },
      grid: { ...BASE.grid, top: 40 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: names, axisLabel: { width: 160, overflow: 'break' } },
      series: [
        stack(tr(lang, '向好', 'Improved'), '#52c41a', (s) => s.improved),
        stack(tr(lang, '持平', 'Unchanged'), '#bfbfbf', (s) => s.unchanged),
        stack(tr(lang, '变差', 'Worsened'), '#ff4d4f', (s) => s.worsened),
        stack(tr(lang, '尚未报送', 'Not reported'), '#e6f4ff', (s) => s.pairings - s.reported),
      ],
    },
    table: {
      columns: [
        { key: 'pairing', title: tr(lang, '项目', 'Pairing') },
        { key: 'name', title: tr(lang, '指标', 'Indicator') },
        { key: 'baseline', title: tr(lang, BASELINE.zh, BASELINE.en) },
        { key: 'target', title: tr(lang, '目标', 'Target') },
        { key: 'final', title: tr(lang, '年末值', 'Final') },
        { key: 'change', title: tr(lang, '变化', 'Change') },
        { key: 'verdict', title: tr(lang, '评价', 'Verdict') },
      ],
      rows: d.indicators.changes.map((c) => ({
        pairing: c.code,
        name: `${c.name}（${c.unit}）`,
        baseline: c.baseline,
        target: c.target ?? '—',
        final: c.final ?? '—',
        change: signed(c.change, c.unit, lang),
        verdict:
          c.change === null
            ? tr(lang, '尚未报送', 'Not reported')
            : [c.improved ? tr(lang, '向好', 'Improved') : c.change === 0 ? tr(lang, '持平', 'Unchanged') : tr(lang, '变差', 'Worsened'), c.targetMet === true ? tr(lang, '达到目标', 'target met') : c.targetMet === false ? tr(lang, '未达目标', 'target missed') : '']
                .filter(Boolean)
                .join(lang === 'en' ? ', ' : '，'),
      })),
    },
  };
}

/** 逾期事项: overdue quarter reports per quarter; the table lists every overdue report and decision. */
export function overdueChart(d: DashboardData, lang: Lang): ChartSpec {
  return {
    option: {
      ...BASE,
      xAxis: { type: 'category', data: d.overdue.byQuarter.map((q) => quarterName(q.quarter, lang)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: tr(lang, '逾期季度报告', 'Overdue quarter reports'),
          itemStyle: { color: '#fa8c16' },
          barMaxWidth: 48,
          data: d.overdue.byQuarter.map((q) => q.count),
          label: { show: true, position: 'top' },
        },
      ],
    },
    table: {
      columns: [
        { key: 'pairing', title: tr(lang, '项目', 'Pairing') },
        { key: 'branch', title: tr(lang, '牵头支部', 'Lead branch') },
        { key: 'what', title: tr(lang, '逾期事项', 'Overdue') },
      ],
      rows: [
        ...d.overdue.quarters.map((q) => ({
          pairing: `${q.code} ${q.title}`,
          branch: q.leadBranchName,
          what: tr(lang, `${quarterName(q.quarter, lang)}报告逾期`, `${quarterName(q.quarter, lang)} report overdue`),
        })),
        ...d.overdue.tasks
          .filter((task) => task.kind !== 'SUBMIT_QUARTER_REPORT')
          .map((task) => ({ pairing: `${task.code} ${task.title}`, branch: task.leadBranchName, what: taskLabel(task.kind, undefined, lang, task.quarter) })),
      ],
    },
  };
}
