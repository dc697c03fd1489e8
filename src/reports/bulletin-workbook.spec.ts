import { Workbook } from 'exceljs';
import { buildBulletin, BulletinPairing } from './bulletin';
import { BULLETIN_HEADERS, bulletinSheetName, bulletinWorkbook } from './bulletin-workbook';

const pairing = (id: number, over: Partial<BulletinPairing> = {}): BulletinPairing => ({
  id,
  year: 2026,
  code: `GJ-2026-00${id}`,
  title: `结对项目${id}`,
  state: 'active.collecting',
  leadBranchId: 4,
  coBranchIds: [],
  partnerIds: [1],
  quarterScores: [],
  startQuarter: 1,
  planAcceptedOn: '2026-01-10',
  overdueQuarters: [],
  ...over,
});

async function sheetOf(rowsFor: Parameters<typeof buildBulletin>[0]) {
  const { rows, totals } = buildBulletin(rowsFor);
  const buffer = await bulletinWorkbook({
    year: 2026,
    quarter: 2,
    asOf: rowsFor.today,
    generatedAt: '2026-07-20T01:00:00.000Z',
    rows,
    totals,
  });
  const workbook = new Workbook();
  await workbook.xlsx.load(buffer as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook.getWorksheet(bulletinSheetName(2026, 2))!;
}

describe(bulletinWorkbook.name, () => {
  it('writes a title, the Chinese headers, one row per pairing and a 合计 row', async () => {
    const sheet = await sheetOf({
      year: 2026,
      quarter: 2,
      today: '2026-07-20',
      pairings: [
        pairing(1, { coBranchIds: [7], partnerIds: [1, 2], quarterScores: [{ quarter: 2, score: 90.5 }] }),
        pairing(2, { state: 'terminated' }),
      ],
      activities: [
        { pairingId: 1, kind: 'joint_meeting' },
        { pairingId: 1, kind: 'activity_day' },
        { pairingId: 1, kind: 'volunteer_service' },
      ],
      reports: [{ id: 1, pairingId: 1, status: 'scored', requirementsMet: true, submittedAt: '2026-07-02T00:00:00.000Z' }],
      branchNames: new Map([
        [4, '立案庭党支部'],
        [7, '民一庭党支部'],
      ]),
      partnerNames: new Map([
        [1, '平湖仲裁委'],
        [2, '新埭镇司法所'],
      ]),
    });
    expect(sheet.name).toBe('2026年第2季度通报');
    expect(String(sheet.getCell('A1').value)).toContain('2026年第2季度');
    const headers = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(headers).toEqual(BULLETIN_HEADERS);
    expect(headers.slice(0, 9)).toEqual([
      '项目编号',
      '项目名称',
      '牵头支部',
      '联合支部',
      '结对单位',
      '状态',
      '联席会议',
      '共建活动日',
      '活动总数',
    ]);
    expect(headers.slice(-4)).toEqual(['季度报告', '达标', '季度得分', '逾期']);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });

    const col = (header: string) => BULLETIN_HEADERS.indexOf(header) + 1;
    const first = sheet.getRow(3);
    expect(first.getCell(col('项目编号')).value).toBe('GJ-2026-001');
    expect(first.getCell(col('联合支部')).value).toBe('民一庭党支部');
    expect(first.getCell(col('结对单位')).value).toBe('平湖仲裁委、新埭镇司法所');
    expect(first.getCell(col('状态')).value).toBe('季度活动中');
    expect(first.getCell(col('联席会议')).value).toBe('是');
    expect(first.getCell(col('活动总数')).value).toBe(3);
    expect(first.getCell(col('志愿服务（次）')).value).toBe(1);
    expect(first.getCell(col('季度报告')).value).toBe('已评分');
    expect(first.getCell(col('季度得分')).value).toBe(90.5);
    expect(first.getCell(col('逾期')).value).toBe('否');

    const second = sheet.getRow(4);
    expect(second.getCell(col('状态')).value).toBe('已终止');
    expect(second.getCell(col('联席会议')).value).toBe('否');
    expect(second.getCell(col('季度得分')).value).toBeNull();

    const totals = sheet.getRow(5);
    expect(totals.getCell(1).value).toBe('合计');
    expect(totals.getCell(col('项目名称')).value).toBe('2个项目');
    expect(totals.getCell(col('联席会议')).value).toBe(1);
    expect(totals.getCell(col('活动总数')).value).toBe(3);
    expect(totals.getCell(col('季度报告')).value).toBe(1);
    expect(totals.getCell(col('季度得分')).value).toBe(90.5);
    expect(sheet.rowCount).toBe(5);
  });

  it('writes the header and a zero 合计 row for an empty quarter', async () => {
    const sheet = await sheetOf({
      year: 2026,
      quarter: 2,
      today: '2026-04-01',
      pairings: [],
      activities: [],
      reports: [],
      branchNames: new Map(),
      partnerNames: new Map(),
    });
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(3).getCell(1).value).toBe('合计');
    expect(sheet.getRow(3).getCell(BULLETIN_HEADERS.indexOf('活动总数') + 1).value).toBe(0);
  });
});
