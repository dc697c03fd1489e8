import { Workbook } from 'exceljs';
import type { Response } from 'superagent';
import { Clock } from '../src/common/clock';
import { engines, startTestApp, TestApp } from './support/test-app';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Demo users (SPEC §2 seed): 立案庭 (branch 4) has `secretary` and liaison `member`; 民一庭 (branch 7) has `secretary2`. */
const BRANCH = { lian: 4, minyi: 7 } as const;
const LIAISON: Record<string, number> = { secretary: 7, secretary2: 3 };

const binary = (res: Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

type Cell = string | number | null | undefined;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API bodies are read loosely

describe.each(engines())('Reports on %s', (engine) => {
  let t: TestApp;
  // Three years back: every date lies in the past, and no demo data shares the year.
  const year = new Date().getFullYear() - 3;
  const ids: Record<string, number> = {};
  const codes: Record<string, string> = {};

  const token = (user: string) => t.token(user);

  async function send(user: string, id: number, event: Json): Promise<Json> {
    const res = await t
      .http()
      .post(`/api/pairings/${id}/events`)
      .set(auth(await token(user)))
      .send(event);
    if (res.status !== 200) throw new Error(`${event.type} by ${user} on ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** A small local language for this file: create, move through the lifecycle, run quarters. */
  const flow = {
    async create(name: string, secretary: 'secretary' | 'secretary2', extra: Json = {}) {
      const res = await t
        .http()
        .post('/api/pairings')
        .set(auth(await token(secretary)))
        .send({
          year,
          title: `报表测试项目${name}`,
          theme: '诉源治理',
          problem: '矛盾纠纷化解前端力量不足',
          partnerIds: [1],
          categories: ['organization'],
          liaisonUserId: LIAISON[secretary],
          ...extra,
        });
      if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${JSON.stringify(res.body)}`);
      ids[name] = res.body.id;
      codes[name] = res.body.code;
      return res.body.id as number;
    },
    async approve(id: number, secretary: string) {
      await send(secretary, id, { type: 'SUBMIT' });
      await send('committee', id, { type: 'APPROVE' });
    },
    async activate(id: number, secretary: string, startQuarter: number) {
      await flow.approve(id, secretary);
      await send(secretary, id, {
        type: 'SIGN_AGREEMENT',
        signedOn: `${year}-01-10`,
        validFrom: `${year}-01-01`,
        validTo: `${year}-12-31`,
        goals: '共建目标',
        content: '共建内容',
        requirements: '共建要求',
      });
      await send(secretary, id, {
        type: 'FILE_PLAN',
        startQuarter,
        items: [{ title: '共建任务', quarter: startQuarter, dueDate: `${year}-12-20`, owner: '书记' }],
      });
      await send('committee', id, { type: 'ACCEPT_PLAN' });
    },
    async quarter(id: number, secretary: string, quarter: number, kinds: string[], score: number) {
      for (const [index, kind] of kinds.entries()) {
        await send(secretary, id, {
          type: 'RECORD_ACTIVITY',
          kind,
          heldOn: `${year}-${String((quarter - 1) * 3 + 2).padStart(2, '0')}-${String(10 + index).padStart(2, '0')}`,
          title: `${kind} 第${quarter}季度`,
          participants: 12,
          partnerParticipants: 5,
          summary: '活动记录',
        });
      }
      const complete = kinds.includes('joint_meeting') && kinds.includes('activity_day');
      await send(secretary, id, {
        type: 'SUBMIT_QUARTER_REPORT',
        summary: `第${quarter}季度情况`,
        ...(complete ? {} : { shortfallReason: '合作单位换届，活动顺延' }),
      });
      await send('committee', id, { type: 'SCORE_QUARTER', score });
    },
    async finish(id: number, secretary: string, reviewScore: number) {
      await send(secretary, id, {
        type: 'SUBMIT_REVIEW',
        summary: '年终述职',
        problemSolved: true,
        problemResolution: '诉前化解率提升',
        outcomes: [{ indicator: '诉前化解率', value: 59.3, unit: '%' }],
      });
      return send('committee', id, { type: 'APPROVE_REVIEW', score: reviewScore });
    },
  };

  async function get(user: string, url: string) {
    return t
      .http()
      .get(url)
      .set(auth(await token(user)));
  }

  beforeAll(async () => {
    t = await startTestApp(engine);
    const FULL = ['joint_meeting', 'activity_day'];

    // A (立案庭): Q3 90, Q4 86 → mean 88, final 0.6 × 88 + 0.4 × 90 = 88.8
    const a = await flow.create('A', 'secretary');
    await flow.activate(a, 'secretary', 3);
    await flow.quarter(a, 'secretary', 3, [...FULL, 'lecture'], 90);
    await flow.quarter(a, 'secretary', 4, FULL, 86);
    expect((await flow.finish(a, 'secretary', 90)).finalScore).toBe(88.8);

    // B (民一庭): Q3 short of an activity day (shortfall report), 86; Q4 90 → also 88.8: a tie with A.
    const b = await flow.create('B', 'secretary2');
    await flow.activate(b, 'secretary2', 3);
    await flow.quarter(b, 'secretary2', 3, ['joint_meeting'], 86);
    await flow.quarter(b, 'secretary2', 4, FULL, 90);
    expect((await flow.finish(b, 'secretary2', 90)).finalScore).toBe(88.8);

    // C (立案庭, joined by 民一庭): only Q4, 95, review 80 → 89
    const c = await flow.create('C', 'secretary', { coBranchIds: [BRANCH.minyi] });
    await flow.activate(c, 'secretary', 4);
    await flow.quarter(c, 'secretary', 4, FULL, 95);
    expect((await flow.finish(c, 'secretary', 80)).finalScore).toBe(89);

    // D (民一庭): only Q4, 70, review 70 → 70
    const d = await flow.create('D', 'secretary2');
    await flow.activate(d, 'secretary2', 4);
    await flow.quarter(d, 'secretary2', 4, FULL, 70);
    expect((await flow.finish(d, 'secretary2', 70)).finalScore).toBe(70);

    // E: approved, nothing more. F: terminated after approval. Neither counts in the ranking.
    await flow.approve(await flow.create('E', 'secretary'), 'secretary');
    const f = await flow.create('F', 'secretary');
    await flow.approve(f, 'secretary');
    await send('committee', f, { type: 'TERMINATE', comment: '合作单位撤并' });

    // Never approved: a draft, a rejected proposal and one terminated while proposed stay out of the bulletin.
    await flow.create('G', 'secretary');
    const h = await flow.create('H', 'secretary');
    await send('secretary', h, { type: 'SUBMIT' });
    await send('committee', h, { type: 'REJECT', comment: '与年度重点不符' });
    const i = await flow.create('I', 'secretary');
    await send('secretary', i, { type: 'SUBMIT' });
    await send('committee', i, { type: 'TERMINATE', comment: '重复申报' });

    // J: plan accepted early in the year (the clock is moved back for that event), then nothing reported: overdue.
    const j = await flow.create('J', 'secretary');
    const now = jest.spyOn(Clock.prototype, 'now').mockReturnValue(new Date(`${year}-01-20T02:00:00.000Z`));
    try {
      await flow.activate(j, 'secretary', 1);
    } finally {
      now.mockRestore();
    }
  }, 120_000);
  afterAll(() => t.close());

  const mine = (rows: Json[]) => rows.filter((r) => Object.values(ids).includes(r.pairingId));

  describe('GET /api/reports/bulletin', () => {
    it('lists the approved pairings of the year with the quarter’s activities, report, score and overdue', async () => {
      const res = await get('committee', `/api/reports/bulletin?year=${year}&quarter=3`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        year,
        quarter: 3,
        asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        generatedAt: expect.any(String),
      });
      const rows: Json[] = mine(res.body.rows);
      const byName: Json = Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, rows.find((r) => r.pairingId === id)]));
      expect(rows.map((r) => r.code)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'J'].map((n) => codes[n]));
      expect(byName.G).toBeUndefined();
      expect(byName.H).toBeUndefined();
      expect(byName.I).toBeUndefined();

      expect(byName.A).toMatchObject({
        title: '报表测试项目A',
        leadBranchId: BRANCH.lian,
        leadBranchName: '立案庭党支部',
        coBranchNames: [],
        partnerNames: ['平湖市教育局机关党支部'],
        state: 'scored',
        terminated: false,
        activityCount: 3,
        jointMeetingHeld: true,
        activityDayHeld: true,
        reportStatus: 'scored',
        reportSubmitted: true,
        requirementsMet: true,
        score: 90,
        reportDueDate: `${year}-10-15`,
        overdue: false,
      });
      expect(byName.A.activities).toMatchObject({ joint_meeting: 1, activity_day: 1, lecture: 1, party_lesson: 0 });
      expect(byName.B).toMatchObject({
        leadBranchName: '民一庭党支部',
        activityCount: 1,
        jointMeetingHeld: true,
        activityDayHeld: false,
        reportSubmitted: true,
        requirementsMet: false,
        score: 86,
        overdue: false,
      });
      // C's plan starts in Q4: nothing owed for Q3.
      expect(byName.C).toMatchObject({
        coBranchNames: ['民一庭党支部'],
        activityCount: 0,
        reportStatus: 'not_in_plan',
        score: null,
        overdue: false,
      });
      expect(byName.E).toMatchObject({ state: 'approved', activityCount: 0, reportSubmitted: false, overdue: false });
      expect(byName.F).toMatchObject({ state: 'terminated', terminated: true, overdue: false });
      expect(byName.J).toMatchObject({ state: 'active.collecting', reportStatus: 'none', reportSubmitted: false, overdue: true });

      const totals = res.body.totals;
      const all: Json[] = res.body.rows;
      expect(totals).toMatchObject({
        pairings: all.length,
        terminated: all.filter((r) => r.terminated).length,
        activityCount: all.reduce((sum, r) => sum + r.activityCount, 0),
        reportsSubmitted: all.filter((r) => r.reportSubmitted).length,
        overdue: all.filter((r) => r.overdue).length,
      });
      if (all.length === rows.length) {
        expect(totals).toMatchObject({
          pairings: 7,
          terminated: 1,
          activityCount: 4,
          jointMeetingHeld: 2,
          reportsSubmitted: 2,
          scored: 2,
          averageScore: 88,
          overdue: 1,
        });
        expect(totals.activities).toMatchObject({ joint_meeting: 2, activity_day: 1, lecture: 1 });
      }
    });

    it('counts Q4 for the pairings that ran it', async () => {
      const res = await get('leader', `/api/reports/bulletin?year=${year}&quarter=4`);
      expect(res.status).toBe(200);
      const rows = mine(res.body.rows);
      expect(rows.find((r) => r.pairingId === ids.C)).toMatchObject({ activityCount: 2, score: 95, requirementsMet: true });
      expect(rows.find((r) => r.pairingId === ids.D)).toMatchObject({ score: 70, reportStatus: 'scored' });
    });

    it('gives a secretary only the rows of pairings their branch leads or joins, with totals over those', async () => {
      const lian = await get('secretary', `/api/reports/bulletin?year=${year}&quarter=3`);
      expect(lian.status).toBe(200);
      expect(lian.body.rows.map((r: Json) => r.code)).toEqual(['A', 'C', 'E', 'F', 'J'].map((n) => codes[n]));
      expect(lian.body.totals.pairings).toBe(5);
      const minyi = await get('secretary2', `/api/reports/bulletin?year=${year}&quarter=3`);
      expect(minyi.body.rows.map((r: Json) => r.code)).toEqual(['B', 'C', 'D'].map((n) => codes[n]));
      expect(minyi.body.totals).toMatchObject({ pairings: 3, activityCount: 1, requirementsMet: 0 });
    });

    it('is an empty list for a year without pairings', async () => {
      const res = await get('auditor', `/api/reports/bulletin?year=2001&quarter=1`);
      expect(res.status).toBe(200);
      expect(res.body.rows).toEqual([]);
      expect(res.body.totals).toMatchObject({ pairings: 0, averageScore: null });
    });

    it('downloads the bulletin as an xlsx workbook that opens back with the same rows and a 合计 row', async () => {
      const json = (await get('committee', `/api/reports/bulletin?year=${year}&quarter=3`)).body;
      const res = await t
        .http()
        .get(`/api/reports/bulletin?year=${year}&quarter=3&format=xlsx`)
        .set(auth(await token('committee')))
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="bulletin-${year}-Q3.xlsx"; filename*=UTF-8''${encodeURIComponent(`${year}年第3季度结对共建通报.xlsx`)}`,
      );

      const workbook = new Workbook();
      await workbook.xlsx.load(res.body);
      const sheet = workbook.getWorksheet(`${year}年第3季度通报`)!;
      expect(sheet).toBeDefined();
      expect(String(sheet.getCell('A1').value)).toContain(`${year}年第3季度`);
      const headers = (sheet.getRow(2).values as unknown[]).slice(1) as string[];
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
      expect(headers).toEqual(expect.arrayContaining(['联席会议（次）', '讲堂/讲座（次）', '季度报告', '达标', '季度得分', '逾期']));
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      const col = (header: string) => headers.indexOf(header) + 1;

      expect(sheet.rowCount).toBe(2 + json.rows.length + 1);
      json.rows.forEach((row: Json, index: number) => {
        const cells = sheet.getRow(3 + index);
        expect(cells.getCell(col('项目编号')).value).toBe(row.code);
        expect(cells.getCell(col('活动总数')).value).toBe(row.activityCount);
        expect(cells.getCell(col('逾期')).value).toBe(row.overdue ? '是' : '否');
      });
      const a = sheet.getRow(3 + json.rows.findIndex((r: Json) => r.pairingId === ids.A));
      expect(a.getCell(col('牵头支部')).value).toBe('立案庭党支部');
      expect(a.getCell(col('状态')).value).toBe('已评分');
      expect(a.getCell(col('讲堂/讲座（次）')).value).toBe(1);
      expect(a.getCell(col('季度报告')).value).toBe('已评分');
      expect(a.getCell(col('达标')).value).toBe('是');
      expect(a.getCell(col('季度得分')).value).toBe(90);
      const f = sheet.getRow(3 + json.rows.findIndex((r: Json) => r.pairingId === ids.F));
      expect(f.getCell(col('状态')).value).toBe('已终止');

      const totals = sheet.getRow(sheet.rowCount);
      expect(totals.getCell(1).value).toBe('合计');
      expect(totals.getCell(col('活动总数')).value).toBe(json.totals.activityCount);
      expect(totals.getCell(col('逾期')).value).toBe(json.totals.overdue);
      expect(totals.getCell(col('季度得分')).value).toBe(json.totals.averageScore);
    });

    it.each([
      ['no quarter', `year=2025`],
      ['no year', `quarter=1`],
      ['a year that is not a number', `year=abc&quarter=1`],
      ['a fractional year', `year=2025.5&quarter=1`],
      ['a hexadecimal year', `year=0x7E9&quarter=1`],
      ['a year out of range', `year=1999&quarter=1`],
      ['quarter 0', `year=2025&quarter=0`],
      ['quarter 5', `year=2025&quarter=5`],
      ['an unknown format', `year=2025&quarter=1&format=csv`],
      ['a repeated year', `year=2025&year=2026&quarter=1`],
      ['an unknown parameter', `year=2025&quarter=1&branch=4`],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_, query) => {
      const res = await get('committee', `/api/reports/bulletin?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('serves JSON for format=json', async () => {
      const res = await get('committee', `/api/reports/bulletin?year=${year}&quarter=1&format=json`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
    });
  });

  describe('GET /api/reports/ranking', () => {
    it('ranks scored pairings by final score with shared ranks for ties, and branches by their mean', async () => {
      const res = await get('leader', `/api/reports/ranking?year=${year}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ year, generatedAt: expect.any(String) });
      const pairings: Json[] = res.body.pairings;
      expect(pairings.every((p) => [ids.A, ids.B, ids.C, ids.D].includes(p.pairingId))).toBe(true);
      expect(pairings.map((p) => [p.rank, p.code, p.finalScore])).toEqual([
        [1, codes.C, 89],
        [2, codes.A, 88.8],
        [2, codes.B, 88.8],
        [4, codes.D, 70],
      ]);
      expect(pairings[0]).toMatchObject({
        pairingId: ids.C,
        title: '报表测试项目C',
        leadBranchId: BRANCH.lian,
        leadBranchName: '立案庭党支部',
      });
      // C ranks first on one quarter: the ranking says how much each pairing was assessed on.
      expect(pairings.map((p) => [p.code, p.startQuarter, p.quartersAssessed])).toEqual([
        [codes.C, 4, [4]],
        [codes.A, 3, [3, 4]],
        [codes.B, 3, [3, 4]],
        [codes.D, 4, [4]],
      ]);
      // 立案庭: (88.8 + 89) / 2 = 88.9; 民一庭: (88.8 + 70) / 2 = 79.4. A co-branch (民一庭 on C) does not count.
      expect(res.body.branches).toEqual([
        { rank: 1, branchId: BRANCH.lian, name: '立案庭党支部', count: 2, quartersAssessed: 3, meanScore: 88.9 },
        { rank: 2, branchId: BRANCH.minyi, name: '民一庭党支部', count: 2, quartersAssessed: 3, meanScore: 79.4 },
      ]);
    });

    it('comes as a workbook with the quarters assessed, named for the year', async () => {
      const res = await t
        .http()
        .get(`/api/reports/ranking?year=${year}&format=xlsx`)
        .set(auth(await token('leader')))
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(decodeURIComponent(res.headers['content-disposition'])).toContain(`${year}年度结对共建评比.xlsx`);
      const workbook = new Workbook();
      await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('项目排名')!;
      expect(String(sheet.getCell(1, 1).value)).toMatch(
        new RegExp(`^${year}年度结对共建项目排名（生成于 \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} \\(UTC\\+8\\)）$`),
      );
      expect((sheet.getRow(2).values as Cell[]).slice(1)).toEqual(['名次', '项目编号', '项目名称', '牵头支部', '考核季度', '总分']);
      const rows = [3, 4, 5, 6].map((r) => (sheet.getRow(r).values as Cell[]).slice(1));
      const mineOnly = rows.filter((r) => Object.values(codes).includes(String(r[1])));
      expect(mineOnly.map((r) => [r[0], r[1], r[4], r[5]])).toEqual([
        [1, codes.C, '第4季度（1个）', 89],
        [2, codes.A, '第3–4季度（2个）', 88.8],
        [2, codes.B, '第3–4季度（2个）', 88.8],
        [4, codes.D, '第4季度（1个）', 70],
      ]);
      const branches = workbook.getWorksheet('支部排名')!;
      expect((branches.getRow(3).values as Cell[]).slice(1)).toEqual([1, '立案庭党支部', 2, 3, 88.9]);
    });

    it('is empty for a year without scored pairings', async () => {
      const res = await get('auditor', `/api/reports/ranking?year=${year + 1}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ year: year + 1, pairings: [], branches: [] });
    });

    it.each([['year=abc'], ['year='], [''], ['year=20250'], ['year=2101']])('refuses ?%s with 400', async (query) => {
      const res = await get('committee', `/api/reports/ranking?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('who may read reports', () => {
    it.each([
      ['committee', 200, 200],
      ['leader', 200, 200],
      ['auditor', 200, 200],
      ['secretary', 200, 403],
      ['member', 403, 403],
      ['admin', 403, 403],
    ])('%s: bulletin %i, ranking %i', async (user, bulletin, ranking) => {
      const b = await get(user, `/api/reports/bulletin?year=${year}&quarter=3`);
      expect(b.status).toBe(bulletin);
      const r = await get(user, `/api/reports/ranking?year=${year}`);
      expect(r.status).toBe(ranking);
      if (ranking === 403) expect(r.body.code).toBe('FORBIDDEN');
      const x = await t
        .http()
        .get(`/api/reports/bulletin?year=${year}&quarter=3&format=xlsx`)
        .set(auth(await token(user)))
        .buffer(true)
        .parse(binary);
      expect(x.status).toBe(bulletin);
      const rx = await t
        .http()
        .get(`/api/reports/ranking?year=${year}&format=xlsx`)
        .set(auth(await token(user)))
        .buffer(true)
        .parse(binary);
      expect(rx.status).toBe(ranking);
    });

    it('answers 401 without a token', async () => {
      await t.http().get(`/api/reports/bulletin?year=${year}&quarter=3`).expect(401);
      await t.http().get(`/api/reports/ranking?year=${year}`).expect(401);
    });
  });

  // Last: K joins the year's pairings only here.
  describe('one overdue rule, everywhere', () => {
    it('the bulletin, the pairing’s quarter table and the workbench agree on whether a quarter report is overdue', async () => {
      // J: plan accepted in January, Q1 never reported — overdue. K: plan from Q1 accepted today, long after Q1
      // ended — its Q1 report is owed, but never overdue (SPEC §5).
      const k = await flow.create('K', 'secretary');
      await flow.activate(k, 'secretary', 1);
      const bulletin = mine((await get('committee', `/api/reports/bulletin?year=${year}&quarter=1`)).body.rows);
      const tasks: Json[] = (await get('secretary', '/api/tasks')).body;
      for (const [name, overdue] of [
        ['J', true],
        ['K', false],
      ] as const) {
        const view = (await get('secretary', `/api/pairings/${ids[name]}`)).body;
        const task = tasks.find((x) => x.pairingId === ids[name]);
        expect({
          name,
          bulletin: bulletin.find((r) => r.pairingId === ids[name])?.overdue,
          compliance: view.compliance.find((c: Json) => c.quarter === 1).overdue,
          task: task?.overdue,
        }).toEqual({ name, bulletin: overdue, compliance: overdue, task: overdue });
        expect(task).toMatchObject({ kind: 'SUBMIT_QUARTER_REPORT', dueAt: `${year}-04-15T16:00:00.000Z` });
      }
    });
  });
});
