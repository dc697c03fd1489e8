import { Workbook } from 'exceljs';
import { quartersText, RANKING_BRANCH_HEADERS, RANKING_PAIRING_HEADERS, rankingWorkbook } from './ranking-workbook';

describe(quartersText.name, () => {
  it('spells out the quarters assessed and how many', () => {
    expect(quartersText([1, 2, 3, 4])).toBe('第1–4季度（4个）');
    expect(quartersText([3, 4])).toBe('第3–4季度（2个）');
    expect(quartersText([4])).toBe('第4季度（1个）');
    expect(quartersText([1, 3, 4])).toBe('第1、3、4季度（3个）');
    expect(quartersText([])).toBe('—');
  });
});

describe(rankingWorkbook.name, () => {
  it('writes one sheet of pairings and one of branches, each under a dated title', async () => {
    const buffer = await rankingWorkbook(
      {
        year: 2025,
        generatedAt: '2026-12-01T07:11:00.000Z',
        pairings: [
          {
            rank: 1,
            pairingId: 1,
            code: 'GJ-2025-001',
            title: '项目一',
            leadBranchId: 4,
            leadBranchName: '立案庭党支部',
            finalScore: 90.65,
            startQuarter: 1,
            quartersAssessed: [1, 2, 3, 4],
          },
        ],
        branches: [{ rank: 1, branchId: 4, name: '立案庭党支部', count: 1, quartersAssessed: 4, meanScore: 90.65 }],
      },
      '2026-12-01 15:11 (UTC+8)',
    );
    const workbook = new Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const [pairings, branches] = workbook.worksheets;
    expect(pairings.name).toBe('项目排名');
    expect(pairings.getCell(1, 1).value).toBe('2025年度结对共建项目排名（生成于 2026-12-01 15:11 (UTC+8)）');
    expect((pairings.getRow(2).values as unknown[]).slice(1)).toEqual(RANKING_PAIRING_HEADERS);
    expect((pairings.getRow(3).values as unknown[]).slice(1)).toEqual([
      1,
      'GJ-2025-001',
      '项目一',
      '立案庭党支部',
      '第1–4季度（4个）',
      90.65,
    ]);
    expect(branches.name).toBe('支部排名');
    expect((branches.getRow(2).values as unknown[]).slice(1)).toEqual(RANKING_BRANCH_HEADERS);
    expect((branches.getRow(3).values as unknown[]).slice(1)).toEqual([1, '立案庭党支部', 1, 4, 90.65]);
  });
});
