import { Workbook, Worksheet } from 'exceljs';
import type { RankedBranch, RankedPairing } from './ranking';

export interface RankingSheetData {
  year: number;
  generatedAt: string;
  pairings: RankedPairing[];
  branches: RankedBranch[];
}

type Cell = string | number | null;

export interface Column<R> {
  header: string;
  width: number;
  value: (row: R) => Cell;
  numFmt?: string;
}

/** `[3, 4]` → `第3–4季度（2个）`; gaps are spelled out (`第1、3、4季度（3个）`). */
export function quartersText(quarters: readonly number[]): string {
  if (!quarters.length) return '—';
  const contiguous = quarters.every((q, i) => i === 0 || q === quarters[i - 1] + 1);
  const span = quarters.length === 1 ? `${quarters[0]}` : contiguous ? `${quarters[0]}–${quarters.at(-1)}` : quarters.join('、');
  return `第${span}季度（${quarters.length}个）`;
}

const PAIRING_COLUMNS: Column<RankedPairing>[] = [
  { header: '名次', width: 8, value: (p) => p.rank, numFmt: '0' },
  { header: '项目编号', width: 14, value: (p) => p.code },
  { header: '项目名称', width: 40, value: (p) => p.title },
  { header: '牵头支部', width: 22, value: (p) => p.leadBranchName },
  { header: '考核季度', width: 20, value: (p) => quartersText(p.quartersAssessed) },
  { header: '总分', width: 10, value: (p) => p.finalScore, numFmt: '0.00' },
];

const BRANCH_COLUMNS: Column<RankedBranch>[] = [
  { header: '名次', width: 8, value: (b) => b.rank, numFmt: '0' },
  { header: '党支部', width: 26, value: (b) => b.name },
  { header: '已评分项目数', width: 14, value: (b) => b.count, numFmt: '0' },
  { header: '考核季度数', width: 12, value: (b) => b.quartersAssessed, numFmt: '0' },
  { header: '平均分', width: 10, value: (b) => b.meanScore, numFmt: '0.00' },
];

export const RANKING_PAIRING_HEADERS = PAIRING_COLUMNS.map((c) => c.header);
export const RANKING_BRANCH_HEADERS = BRANCH_COLUMNS.map((c) => c.header);
export const rankingFilename = (year: number) => `${year}年度结对共建评比.xlsx`;

const THIN = { style: 'thin' as const, color: { argb: 'FFBFBFBF' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * 每年一评比 as the committee circulates it: one sheet of pairings, one of branches, each with a title row
 * saying when it was made (local time, with its offset) and a frozen header row.
 */
export async function rankingWorkbook(data: RankingSheetData, generatedLocal: string): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'Gongjian 共建';
  workbook.created = new Date(data.generatedAt);
  writeSheet(workbook, '项目排名', `${data.year}年度结对共建项目排名（生成于 ${generatedLocal}）`, PAIRING_COLUMNS, data.pairings);
  writeSheet(
    workbook,
    '支部排名',
    `${data.year}年度党支部排名（按已评分项目平均分，生成于 ${generatedLocal}）`,
    BRANCH_COLUMNS,
    data.branches,
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function writeSheet<R>(workbook: Workbook, name: string, title: string, columns: Column<R>[], rows: R[]) {
  const sheet: Worksheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 2 }],
    pageSetup: { orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  });
  sheet.columns = columns.map((c) => ({ width: c.width }));
  sheet.mergeCells(1, 1, 1, columns.length);
  const titleCell = sheet.getCell(1, 1);
  titleCell.value = title;
  titleCell.font = { bold: true, size: 14 };
  titleCell.alignment = { vertical: 'middle', horizontal: 'center' };
  sheet.getRow(1).height = 28;
  const header = sheet.getRow(2);
  header.values = columns.map((c) => c.header);
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = BORDER;
  });
  for (const row of rows) {
    const added = sheet.addRow(columns.map((c) => c.value(row)));
    columns.forEach((column, index) => {
      const cell = added.getCell(index + 1);
      cell.border = BORDER;
      cell.alignment = { vertical: 'middle', horizontal: column.numFmt ? 'center' : 'left', wrapText: !column.numFmt };
      if (column.numFmt) cell.numFmt = column.numFmt;
    });
  }
}
