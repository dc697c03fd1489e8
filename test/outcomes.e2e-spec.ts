import { activity, agreement, auth, Court, EventBody, plan, quarterReport, review } from './support/pairing-flow';
import { Clock } from '../src/common/clock';
import { engines, startTestApp, TestApp } from './support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API bodies are read loosely

/** The article's figures (嘉兴平湖): what 立案庭's pairing set out to move, and where the year took it. */
const FAMILY = { name: '家事纠纷诉前化解率', unit: '%', baseline: 48.1, target: 58, higherIsBetter: true };
const DAYS = { name: '平均审理天数', unit: '天', baseline: 85.66, target: 60, higherIsBetter: false };
const CONTRACT = { name: '合同纠纷诉前化解率', unit: '%', baseline: 38.2, higherIsBetter: true };

describe.each(engines())('Outcome indicators and the dashboard on %s', (engine) => {
  let t: TestApp;
  let court: Court;
  // Two years back: every quarter has ended, and the demo pairings (last year, this year) are elsewhere.
  const year = new Date().getFullYear() - 2;

  beforeAll(async () => {
    t = await startTestApp(engine);
    court = await Court.open(t);
  });
  afterAll(() => t.close());

  const get = async (as: string | null, path: string, query: Record<string, unknown> = {}) => {
    const req = t.http().get(path).query(query);
    return as === null ? req : req.set(auth(await court.token(as)));
  };

  /** A pairing of `year` taken to the plan, filed with these extra fields. */
  async function toPlanFiled(secretary: 'secretary' | 'secretary2', startQuarter: number, planExtra: Json = {}) {
    const liaison = secretary === 'secretary' ? court.id('member') : court.id('secretary2');
    const created = await court.create(secretary, { year, liaisonUserId: liaison });
    const id: number = created.id;
    await court.do(secretary, id, { type: 'SUBMIT' });
    await court.do('committee', id, { type: 'APPROVE' });
    await court.do(secretary, id, { type: 'SIGN_AGREEMENT', ...agreement(year) });
    await court.do(secretary, id, { type: 'FILE_PLAN', ...plan(year, startQuarter), ...planExtra });
    return id;
  }

  async function quarterWithBoth(secretary: string, id: number, quarter: number, report: Json = {}, score = 90) {
    await court.do(secretary, id, { type: 'RECORD_ACTIVITY', ...activity(year, quarter, 'joint_meeting') });
    await court.do(secretary, id, { type: 'RECORD_ACTIVITY', ...activity(year, quarter, 'activity_day', 20) });
    await court.do(secretary, id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport(report) });
    return court.do('committee', id, { type: 'SCORE_QUARTER', score });
  }

  const fieldsOf = (res: { body: Json }) => (res.body.details as { field: string }[]).map((d) => d.field);

  describe('FILE_PLAN declares indicators', () => {
    let id: number;
    beforeAll(async () => {
      const created = await court.create('secretary', { year });
      id = created.id;
      await court.do('secretary', id, { type: 'SUBMIT' });
      await court.do('committee', id, { type: 'APPROVE' });
      await court.do('secretary', id, { type: 'SIGN_AGREEMENT', ...agreement(year) });
    });

    it.each([
      ['a blank name', [{ ...FAMILY, name: '  ' }], 'indicators.0.name'],
      ['no unit', [{ ...FAMILY, unit: undefined }], 'indicators.0.unit'],
      ['a blank unit', [{ ...FAMILY, unit: ' ' }], 'indicators.0.unit'],
      ['a baseline that is text', [{ ...FAMILY, baseline: '48.1' }], 'indicators.0.baseline'],
      ['no baseline', [{ ...FAMILY, baseline: null }], 'indicators.0.baseline'],
      ['a target that is text', [DAYS, { ...FAMILY, target: '58%' }], 'indicators.1.target'],
      ['a direction that is not true or false', [{ ...FAMILY, higherIsBetter: 'yes' }], 'indicators.0.higherIsBetter'],
      ['a name used twice', [FAMILY, DAYS, { ...CONTRACT, name: FAMILY.name }], 'indicators.2.name'],
      ['an indicator that is not an object', ['家事纠纷诉前化解率'], 'indicators.0'],
      ['indicators that are not a list', { ...FAMILY }, 'indicators'],
      ['an unknown field', [{ ...FAMILY, weight: 2 }], 'indicators.0.weight'],
    ])('refuses %s with 400 naming the field, and changes nothing', async (_what, indicators, field) => {
      const res = await court.refuse(
        'secretary',
        id,
        { type: 'FILE_PLAN', ...plan(year, 3), indicators } as EventBody,
        400,
        'VALIDATION_FAILED',
      );
      expect(fieldsOf(res)).toContain(field);
    });

    it('keeps the indicators on the plan and in the audit trail', async () => {
      const view = await court.do('secretary', id, { type: 'FILE_PLAN', ...plan(year, 3), indicators: [FAMILY, DAYS] });
      expect(view.plan.indicators).toEqual([FAMILY, DAYS]);
      const history = await court.history(id);
      expect(history[history.length - 1]).toMatchObject({ type: 'FILE_PLAN', payload: { indicators: [FAMILY, DAYS] } });
      // A plan without indicators stays as it was: the list is empty, nothing else is required.
      const other = await toPlanFiled('secretary', 4);
      expect((await court.view('secretary', other)).plan.indicators).toEqual([]);
    });
  });

  describe('quarter reports and the year-end review name the accepted plan’s indicators', () => {
    let id: number;
    let bare: number;
    beforeAll(async () => {
      id = await toPlanFiled('secretary', 3, { indicators: [FAMILY, DAYS, CONTRACT] });
      await court.do('committee', id, { type: 'ACCEPT_PLAN' });
      bare = await toPlanFiled('secretary', 4);
      await court.do('committee', bare, { type: 'ACCEPT_PLAN' });
      for (const pid of [id, bare]) {
        const quarter = pid === id ? 3 : 4;
        await court.do('secretary', pid, { type: 'RECORD_ACTIVITY', ...activity(year, quarter, 'joint_meeting') });
        await court.do('secretary', pid, { type: 'RECORD_ACTIVITY', ...activity(year, quarter, 'activity_day', 20) });
      }
    });

    it.each([
      [
        'a name the plan did not declare',
        [
          { name: FAMILY.name, value: 52 },
          { name: '调解成功率', value: 80 },
        ],
        'indicatorValues.1.name',
      ],
      [
        'a name given twice',
        [
          { name: DAYS.name, value: 70 },
          { name: DAYS.name, value: 71 },
        ],
        'indicatorValues.1.name',
      ],
      ['a value that is text', [{ name: FAMILY.name, value: '52%' }], 'indicatorValues.0.value'],
      ['no value', [{ name: FAMILY.name }], 'indicatorValues.0.value'],
      ['a blank name', [{ name: '', value: 52 }], 'indicatorValues.0.name'],
      ['values that are not a list', { name: FAMILY.name, value: 52 }, 'indicatorValues'],
    ])('SUBMIT_QUARTER_REPORT with %s is 400 naming the field', async (_what, indicatorValues, field) => {
      const res = await court.refuse(
        'secretary',
        id,
        { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport(), indicatorValues } as EventBody,
        400,
        'VALIDATION_FAILED',
      );
      expect(fieldsOf(res)).toEqual([field]);
    });

    it('a plan that declared no indicators takes no values', async () => {
      const res = await court.refuse(
        'secretary',
        bare,
        { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport(), indicatorValues: [{ name: FAMILY.name, value: 52 }] },
        400,
        'VALIDATION_FAILED',
      );
      expect(res.body.details).toEqual([
        { field: 'indicatorValues.0.name', messages: [expect.stringContaining('declares no indicators')] },
      ]);
    });

    it('keeps the values on the report, then judges the review’s outcomes against the plan', async () => {
      const values = [
        { name: FAMILY.name, value: 52.4 },
        { name: DAYS.name, value: 70.1 },
        { name: CONTRACT.name, value: 41 },
      ];
      const view = await court.do('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport(), indicatorValues: values });
      expect(view.reports[0].indicatorValues).toEqual(values);
      const history = await court.history(id);
      expect(history[history.length - 1].payload.indicatorValues).toEqual(values);
      await court.do('committee', id, { type: 'SCORE_QUARTER', score: 91 });
      await quarterWithBoth('secretary', id, 4, { indicatorValues: [{ name: CONTRACT.name, value: 47.04 }] }, 93);

      const outcome = (o: Json) => ({ type: 'SUBMIT_REVIEW', ...review(), outcomes: [o] });
      for (const [body, field] of [
        [outcome({ indicator: '调解成功率', value: 80, unit: '%' }), 'outcomes.0.indicator'],
        [outcome({ indicator: DAYS.name, value: 55.96, unit: '日' }), 'outcomes.0.unit'],
        [outcome({ indicator: DAYS.name, value: '55.96', unit: '天' }), 'outcomes.0.value'],
        [
          {
            type: 'SUBMIT_REVIEW',
            ...review(),
            outcomes: [
              { indicator: FAMILY.name, value: 59.26, unit: '%' },
              { indicator: FAMILY.name, value: 59.3, unit: '%' },
            ],
          },
          'outcomes.1.indicator',
        ],
      ] as [EventBody, string][]) {
        const res = await court.refuse('secretary', id, body, 400, 'VALIDATION_FAILED');
        expect(fieldsOf(res)).toEqual([field]);
      }
      await court.do('secretary', id, {
        type: 'SUBMIT_REVIEW',
        ...review(),
        outcomes: [
          { indicator: FAMILY.name, value: 59.26, unit: '%', baseline: 48.1 },
          { indicator: DAYS.name, value: 55.96, unit: '天' },
        ],
      });
      await court.do('committee', id, { type: 'APPROVE_REVIEW', score: 92 });
    });

    it('GET /api/reports/outcomes: baseline, target, quarterly values, final value, change, improved and target met', async () => {
      // A second pairing of another branch that moved the family rate the wrong way.
      const other = await toPlanFiled('secretary2', 4, { indicators: [{ ...FAMILY, target: undefined }] });
      await court.do('committee', other, { type: 'ACCEPT_PLAN' });
      await quarterWithBoth('secretary2', other, 4, { indicatorValues: [{ name: FAMILY.name, value: 45 }] });

      const res = await get('leader', '/api/reports/outcomes', { year });
      expect(res.status).toBe(200);
      const mine = res.body.pairings.find((p: Json) => p.id === id);
      expect(mine).toMatchObject({ code: expect.any(String), title: expect.any(String), state: 'scored', leadBranchName: '立案庭党支部' });
      expect(mine.indicators).toEqual([
        {
          ...FAMILY,
          quarterly: [{ quarter: 3, value: 52.4 }],
          final: 59.26,
          finalFrom: 'review',
          change: 11.16,
          improved: true,
          targetMet: true,
        },
        {
          ...DAYS,
          quarterly: [{ quarter: 3, value: 70.1 }],
          final: 55.96,
          finalFrom: 'review',
          change: -29.7,
          improved: true,
          targetMet: true,
        },
        {
          ...CONTRACT,
          target: null,
          quarterly: [
            { quarter: 3, value: 41 },
            { quarter: 4, value: 47.04 },
          ],
          final: 47.04,
          finalFrom: 'quarter',
          change: 8.84,
          improved: true,
          targetMet: null,
        },
      ]);
      // The plan without indicators has nothing to show.
      expect(res.body.pairings.some((p: Json) => p.id === bare)).toBe(false);
      const theirs = res.body.pairings.find((p: Json) => p.id === other);
      expect(theirs.indicators[0]).toMatchObject({ final: 45, change: -3.1, improved: false, targetMet: null, target: null });

      const family = res.body.indicators.find((i: Json) => i.name === FAMILY.name);
      expect(family).toEqual({
        name: FAMILY.name,
        unit: '%',
        higherIsBetter: true,
        pairings: 2,
        reported: 2,
        improved: 1,
        worsened: 1,
        unchanged: 0,
        withTarget: 1,
        targetMet: 1,
        meanChange: 4.03,
      });

      // A secretary sees the rows of their own branch only.
      const mineOnly = await get('secretary2', '/api/reports/outcomes', { year });
      expect(mineOnly.status).toBe(200);
      expect(mineOnly.body.pairings.map((p: Json) => p.id)).toEqual([other]);
      expect(mineOnly.body.indicators).toEqual([expect.objectContaining({ name: FAMILY.name, pairings: 1, worsened: 1 })]);
    });

    it('the dashboard: states, compliance per quarter, activities per month, scores, indicator changes, overdue work', async () => {
      // One more, its plan accepted in June (the clock is moved back for that event), that never reported:
      // its quarters are overdue.
      const late = await toPlanFiled('secretary', 3);
      const now = jest.spyOn(Clock.prototype, 'now').mockReturnValue(new Date(`${year}-06-20T02:00:00.000Z`));
      try {
        await court.do('committee', late, { type: 'ACCEPT_PLAN' });
      } finally {
        now.mockRestore();
      }

      // And a proposal waiting for the committee: counted among the pairings, not among those under way.
      const proposal = await court.create('secretary', { year, liaisonUserId: court.id('member') });
      await court.do('secretary', proposal.id, { type: 'SUBMIT' });

      const res = await get('committee', '/api/reports/dashboard', { year });
      expect(res.status).toBe(200);
      const d = res.body;
      expect(d).toMatchObject({ year, asOf: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), generatedAt: expect.any(String) });
      const states = Object.fromEntries(d.byState.map((s: Json) => [s.state, s.count]));
      expect(states.scored).toBe(1);
      expect(d.totals.scored).toBe(1);
      expect(d.totals.pairings).toBe(d.byState.reduce((sum: number, s: Json) => sum + s.count, 0));
      expect(states.proposed).toBeGreaterThanOrEqual(1);
      const underWay = ['agreementSigned', 'planFiled', 'active.collecting', 'active.reportSubmitted', 'yearEndReview', 'underReview'];
      const running = d.byState.filter((s: Json) => underWay.includes(s.state)).reduce((sum: number, s: Json) => sum + s.count, 0);
      expect(running).toBeGreaterThanOrEqual(1);
      expect(d.totals.running).toBe(running);

      // Q3: `id` (met) and `late` (nothing held). Q4: `id` and `other` met, `bare` met, `late` not.
      const q = Object.fromEntries(d.compliance.quarters.map((c: Json) => [c.quarter, c]));
      expect(q[1]).toEqual({ quarter: 1, due: 0, met: 0, rate: null });
      expect(q[3]).toEqual({ quarter: 3, due: 2, met: 1, rate: 0.5 });
      expect(q[4]).toMatchObject({ quarter: 4, due: expect.any(Number) });
      expect(q[4].met).toBe(q[4].due - 1);
      expect(d.compliance.year).toMatchObject({ due: q[3].due + q[4].due, met: q[3].met + q[4].met });

      // Activities are held on the 15th and 20th of the middle month of a quarter: August and November.
      const month = (n: number) => d.activitiesByMonth.find((m: Json) => m.month === n);
      expect(month(8).byKind.joint_meeting).toBeGreaterThanOrEqual(1);
      expect(month(8).byKind.activity_day).toBe(month(8).byKind.joint_meeting);
      expect(month(1).total).toBe(0);
      expect(d.totals.activities).toBe(d.activitiesByMonth.reduce((sum: number, m: Json) => sum + m.total, 0));

      // Final score: 0.6 × mean(91, 93) + 0.4 × 92 = 92.
      expect(d.scores.final.find((b: Json) => b.from === 90).count).toBe(1);
      expect(d.scores.quarter.reduce((sum: number, b: Json) => sum + b.count, 0)).toBeGreaterThanOrEqual(3);

      expect(d.indicators.summary.find((i: Json) => i.name === DAYS.name)).toMatchObject({ improved: 1, meanChange: -29.7 });
      expect(d.indicators.changes).toEqual(
        expect.arrayContaining([expect.objectContaining({ pairingId: id, name: FAMILY.name, change: 11.16, improved: true })]),
      );

      expect(d.overdue.quarters.filter((o: Json) => o.pairingId === late).map((o: Json) => o.quarter)).toEqual([3, 4]);
      expect(d.overdue.byQuarter.find((b: Json) => b.quarter === 3).count).toBeGreaterThanOrEqual(1);
      expect(d.overdue.tasks).toEqual(
        expect.arrayContaining([expect.objectContaining({ pairingId: late, kind: 'SUBMIT_QUARTER_REPORT' })]),
      );

      // Leaders see the same.
      const leader = await get('leader', '/api/reports/dashboard', { year });
      expect(leader.status).toBe(200);
      expect(leader.body.totals).toEqual(d.totals);
    });
  });

  describe('who may read, and what a bad query gets', () => {
    it.each([
      ['/api/reports/outcomes', ['member', 'admin'], ['committee', 'leader', 'auditor', 'secretary']],
      ['/api/reports/dashboard', ['secretary', 'member', 'auditor', 'admin'], ['committee', 'leader']],
    ])('%s: roles are checked', async (path, refused, allowed) => {
      expect((await get(null, path, { year })).status).toBe(401);
      for (const user of refused) {
        const res = await get(user, path, { year });
        expect({ user, status: res.status, code: res.body.code }).toEqual({ user, status: 403, code: 'FORBIDDEN' });
      }
      for (const user of allowed) expect({ user, status: (await get(user, path, { year })).status }).toEqual({ user, status: 200 });
    });

    it.each([{}, { year: 'abc' }, { year: '1999' }, { year: '2026.5' }, { year, extra: 1 }])(
      'a bad query %j is 400 VALIDATION_FAILED',
      async (query) => {
        for (const path of ['/api/reports/outcomes', '/api/reports/dashboard']) {
          const res = await get('committee', path, query);
          expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
        }
      },
    );
  });
});
