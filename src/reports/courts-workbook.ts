import { Workbook } from 'exceljs';
import type { CourtNamed, CourtRow, CourtsReport } from './courts-report';
import type { RankedBranch, RankedPairing } from './ranking';
import { Column, quartersText, writeSheet } from './ranking-workbook';

const percent = (rate: number | null) => (rate === null ? null : rate);

const COURT_COLUMNS: Column<CourtRow>[] = [
  { header: '法院', width: 24, value: (c) => c.name },
  { header: '代码', width: 8, value: (c) => c.code },
  { header: '项目数', width: 10, value: (c) => c.pairings, numFmt: '0' },
  { header: '应达标季度', width: 12, value: (c) => c.compliance.due, numFmt: '0' },
  { header: '达标季度', width: 10, value: (c) => c.compliance.met, numFmt: '0' },
  { header: '季度达标率', width: 12, value: (c) => percent(c.compliance.rate), numFmt: '0.0%' },
  { header: '逾期季度', width: 10, value: (c) => c.overdueQuarters, numFmt: '0' },
  { header: '已评分项目', width: 12, value: (c) => c.scored, numFmt: '0' },
  { header: '平均总分', width: 10, value: (c) => c.meanFinalScore, numFmt: '0.00' },
];

const PAIRING_COLUMNS: Column<RankedPairing & CourtNamed>[] = [
  { header: '名次', width: 8, value: (p) => p.rank, numFmt: '0' },
  { header: '法院', width: 22, value: (p) => p.courtName },
  { header: '项目编号', width: 14, value: (p) => p.code },
  { header: '项目名称', width: 40, value: (p) => p.title },
  { header: '牵头支部', width: 22, value: (p) => p.leadBranchName },
  { header: '考核季度', width: 20, value: (p) => quartersText(p.quartersAssessed) },
  { header: '总分', width: 10, value: (p) => p.finalScore, numFmt: '0.00' },
];

const BRANCH_COLUMNS: Column<RankedBranch & CourtNamed>[] = [
  { header: '名次', width: 8, value: (b) => b.rank, numFmt: '0' },
  { header: '法院', width: 22, value: (b) => b.courtName },
  { header: '党支部', width: 26, value: (b) => b.name },
  { header: '已评分项目数', width: 14, value: (b) => b.count, numFmt: '0' },
  { header: '平均分', width: 10, value: (b) => b.meanScore, numFmt: '0.00' },
];

export const COURT_HEADERS = COURT_COLUMNS.map((c) => c.header);
export const courtsFilename = (year: number, quarter: number | null) =>
  `${year}年度${quarter ? `第${quarter}季度` : ''}各院结对共建对比.xlsx`;

/** The cross-court comparison as a supervising court circulates it: courts, then the rankings across them. */
export async function courtsWorkbook(report: CourtsReport, generatedLocal: string): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'Gongjian 共建';
  workbook.created = new Date(report.generatedAt);
  const span = `${report.year}年度${report.quarter ? `第${report.quarter}季度` : ''}`;
  writeSheet(
    workbook,
    '各院对比',
    `${span}各院结对共建对比（截至 ${report.asOf}，生成于 ${generatedLocal}）`,
    COURT_COLUMNS,
    report.courts,
  );
  writeSheet(workbook, '项目排名', `${report.year}年度各院项目排名（生成于 ${generatedLocal}）`, PAIRING_COLUMNS, report.ranking.pairings);
  writeSheet(workbook, '支部排名', `${report.year}年度各院党支部排名（生成于 ${generatedLocal}）`, BRANCH_COLUMNS, report.ranking.branches);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
