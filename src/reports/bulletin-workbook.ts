import { Workbook, Worksheet } from 'exceljs';
import { ACTIVITY_KIND_LABELS, ACTIVITY_KINDS, labelOf, REPORT_STATUS_LABELS, STATE_LABELS } from '../../workflows';
import type { BulletinRow, BulletinTotals } from './bulletin';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface BulletinSheetData {
  year: number;
  quarter: number;
  asOf: string;
  generatedAt: string;
  rows: BulletinRow[];
  totals: BulletinTotals;
}

type Cell = string | number | null;

interface Column {
  header: string;
  width: number;
  value: (row: BulletinRow) => Cell;
  total: (totals: BulletinTotals) => Cell;
  numFmt?: string;
  /** Shown as 是/否 and highlighted when it is the bad answer. */
  flag?: 'goodWhenYes' | 'badWhenYes';
}

const yesNo = (value: boolean) => (value ? '是' : '否');

const COLUMNS: Column[] = [
  { header: '项目编号', width: 14, value: (r) => r.code, total: () => '合计' },
  { header: '项目名称', width: 32, value: (r) => r.title, total: (t) => `${t.pairings}个项目` },
  { header: '牵头支部', width: 22, value: (r) => r.leadBranchName, total: () => null },
  { header: '联合支部', width: 22, value: (r) => r.coBranchNames.join('、'), total: () => null },
  { header: '结对单位', width: 34, value: (r) => r.partnerNames.join('、'), total: () => null },
  {
    header: '状态',
    width: 18,
    value: (r) => labelOf(STATE_LABELS, r.state),
    total: (t) => (t.terminated ? `已终止${t.terminated}个` : null),
  },
  { header: '联席会议', width: 10, value: (r) => yesNo(r.jointMeetingHeld), total: (t) => t.jointMeetingHeld, flag: 'goodWhenYes' },
  { header: '共建活动日', width: 11, value: (r) => yesNo(r.activityDayHeld), total: (t) => t.activityDayHeld, flag: 'goodWhenYes' },
  { header: '活动总数', width: 10, value: (r) => r.activityCount, total: (t) => t.activityCount, numFmt: '0' },
  { header: '双方确认', width: 10, value: (r) => r.confirmedActivities, total: (t) => t.confirmedActivities, numFmt: '0' },
  ...ACTIVITY_KINDS.map((kind): Column => ({
    header: `${ACTIVITY_KIND_LABELS[kind].zh}（次）`,
    width: Math.max(10, ACTIVITY_KIND_LABELS[kind].zh.length * 2 + 6),
    value: (r) => r.activities[kind],
    total: (t) => t.activities[kind],
    numFmt: '0',
  })),
  { header: '季度报告', width: 16, value: (r) => REPORT_STATUS_LABELS[r.reportStatus].zh, total: (t) => t.reportsSubmitted },
  { header: '达标', width: 8, value: (r) => yesNo(r.requirementsMet), total: (t) => t.requirementsMet, flag: 'goodWhenYes' },
  { header: '季度得分', width: 10, value: (r) => r.score, total: (t) => t.averageScore, numFmt: '0.0' },
  { header: '逾期', width: 8, value: (r) => yesNo(r.overdue), total: (t) => t.overdue, flag: 'badWhenYes' },
];

export const BULLETIN_HEADERS = COLUMNS.map((c) => c.header);

export const bulletinSheetName = (year: number, quarter: number) => `${year}年第${quarter}季度通报`;
export const bulletinFilename = (year: number, quarter: number) => `${year}年第${quarter}季度结对共建通报.xlsx`;

const THIN = { style: 'thin' as const, color: { argb: 'FFBFBFBF' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const RED = { argb: 'FFC00000' };

/**
 * The bulletin as the committee circulates it: a title row, one header row (frozen), one row per
 * pairing and a 合计 row. Totals of 是/否 columns count the 是; the totals row's 季度得分 is the mean.
 */
export async function bulletinWorkbook(data: BulletinSheetData): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'Gongjian 共建';
  workbook.created = new Date(data.generatedAt);
  const sheet = workbook.addWorksheet(bulletinSheetName(data.year, data.quarter), {
    views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  });
  sheet.columns = COLUMNS.map((c) => ({ width: c.width }));

  writeTitle(sheet, data);
  const header = sheet.getRow(2);
  header.values = BULLETIN_HEADERS;
  header.height = 30;
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = BORDER;
  });

  for (const row of data.rows) {
    const added = sheet.addRow(COLUMNS.map((c) => c.value(row)));
    styleRow(added, (column, value) => column.flag !== undefined && isBad(column, value));
    if (row.terminated) added.getCell(6).font = { color: RED };
  }
  const totals = sheet.addRow(COLUMNS.map((c) => c.total(data.totals)));
  styleRow(totals, () => false);
  totals.font = { bold: true };
  totals.getCell(COLUMNS.findIndex((c) => c.header === '季度得分') + 1).numFmt = '0.00';

  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: COLUMNS.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function writeTitle(sheet: Worksheet, data: BulletinSheetData) {
  sheet.mergeCells(1, 1, 1, COLUMNS.length);
  const title = sheet.getCell(1, 1);
  title.value = `${data.year}年第${data.quarter}季度党建业务融合伙伴工程通报（截至${data.asOf}）`;
  title.font = { bold: true, size: 14 };
  title.alignment = { vertical: 'middle', horizontal: 'center' };
  sheet.getRow(1).height = 28;
}

function isBad(column: Column, value: Cell): boolean {
  return column.flag === 'goodWhenYes' ? value === '否' : value === '是';
}

function styleRow(row: ReturnType<Worksheet['addRow']>, bad: (column: Column, value: Cell) => boolean) {
  COLUMNS.forEach((column, index) => {
    const cell = row.getCell(index + 1);
    cell.border = BORDER;
    const numeric = column.numFmt !== undefined || column.flag !== undefined;
    cell.alignment = { vertical: 'middle', horizontal: numeric ? 'center' : 'left', wrapText: !numeric };
    if (column.numFmt) cell.numFmt = column.numFmt;
    if (bad(column, cell.value as Cell)) cell.font = { color: RED, bold: true };
  });
}
