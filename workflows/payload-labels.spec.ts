import { describePayload, describeValue, FIELD_LABELS, payloadText } from './payload-labels';

const known: Record<string, string> = {
  'partner:4': '当湖街道党工委',
  'user:7': '周联络',
  'branch:1': '立案庭党支部',
  'attachment:9': '纪要.pdf',
};
const names = (kind: string, id: number | string) => known[`${kind}:${id}`];

describe(describePayload.name, () => {
  it('labels every field of a proposal, with names for ids and labels for codes', () => {
    const lines = describePayload(
      {
        revision: 2,
        proposal: {
          title: '诉源治理',
          leadBranchId: 1,
          partnerIds: [4, 5],
          categories: ['organization', 'project'],
          liaisonUserId: 7,
          mode: 'voluntary',
        },
      },
      names,
    );
    expect(payloadText(lines)).toBe(
      '提交次数：2；申报内容：（名称：诉源治理；结对方式：自愿结对；牵头党支部：立案庭党支部；共建单位：当湖街道党工委、#5；结对类别：组织结对、项目结对；本支部联络员：周联络）',
    );
    expect(payloadText(describePayload({ kind: 'joint_meeting', quarter: 2, problemSolved: false }, names, 'en'), 'en')).toBe(
      'Quarter: Q2; Kind: Joint meeting; Problem solved: No',
    );
  });

  it('shows an edit as old → new per field, and lists of objects as rows', () => {
    const lines = describePayload(
      { changes: { liaisonUserId: { from: null, to: 7 } }, items: [{ title: '调研', quarter: 3, dueDate: '2026-09-30', owner: '李立案' }] },
      names,
    );
    expect(lines[0]).toEqual({
      field: 'changes',
      label: '修改内容',
      children: [{ field: 'liaisonUserId', label: '本支部联络员', text: '（空） → 周联络' }],
    });
    expect(lines[1].rows).toEqual([
      [
        { field: 'title', label: '名称', text: '调研' },
        { field: 'quarter', label: '季度', text: '第3季度' },
        { field: 'dueDate', label: '完成时限', text: '2026-09-30' },
        { field: 'owner', label: '责任人', text: '李立案' },
      ],
    ]);
  });

  it('shows the files the chain names instead of bare attachment ids, and ids it cannot name as #id', () => {
    const text = payloadText(describePayload({ attachmentIds: [9], attachments: [{ id: 9, filename: '纪要.pdf', sha256: 'ab' }] }, names));
    expect(text).toBe('附件：（编号：9；文件名：纪要.pdf；SHA-256：ab）');
    expect(describeValue('attachmentIds', [9, 10], names)).toBe('纪要.pdf、#10');
    expect(payloadText(describePayload({ unknownField: 'x' }, names))).toBe('unknownField：x');
  });

  it('leaves out empty fields and bookkeeping when asked for a brief view', () => {
    const lines = describePayload(
      { title: '诉源治理', goals: null, coBranchIds: [], id: 5, createdAt: '2026-01-01T00:00:00.000Z', problemSolved: false },
      names,
      'zh',
      {
        brief: true,
      },
    );
    expect(lines.map((line) => line.field)).toEqual(['title', 'problemSolved']);
    expect(describePayload({ goals: null }, names)).toEqual([{ field: 'goals', label: '共建目标', text: '（空）' }]);
  });

  it('labels the fields of a plan’s indicators, a quarter’s values, a paper countersignature, a rating and a migration', () => {
    const payloads = [
      { startQuarter: 1, indicators: [{ name: '诉前化解率', unit: '%', baseline: 47, target: 60, higherIsBetter: true }] },
      { summary: '按期完成', indicatorValues: [{ name: '诉前化解率', value: 52 }] },
      { partnerId: 4, paper: true, attachmentIds: [9] },
      { rating: 5, partnerId: 4 },
      { fromVersion: 1, toVersion: 2 },
      { practiceId: 3, pairingId: 1, code: 'PH-2025-001', title: '诉源治理' },
    ];
    const fields = (lines: ReturnType<typeof describePayload>): string[] =>
      lines.flatMap((line) => [line.label, ...fields(line.children ?? []), ...(line.rows ?? []).flatMap(fields)]);
    for (const payload of payloads) {
      const labels = fields(describePayload(payload, names));
      // A label that is the API's own field name is a raw code on a Chinese screen.
      expect(labels.filter((label) => /^[A-Za-z]+$/.test(label))).toEqual([]);
    }
    expect(payloadText(describePayload({ rating: 5, partnerId: 4 }, names))).toBe('共建单位：当湖街道党工委；评价等级（1–5）：5');
  });

  it('has a Chinese and an English label for every field', () => {
    for (const label of Object.values(FIELD_LABELS)) expect(label.zh && label.en).toBeTruthy();
  });
});
