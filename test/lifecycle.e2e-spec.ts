import {
  DRIVABLE_STATES,
  activity,
  agreement,
  Court,
  expectedFinalScore,
  expectWellFormedHistory,
  naiveFinalScore,
  plan,
  quarterReport,
  review,
  steps,
} from './support/pairing-flow';
import { Clock } from '../src/common/clock';
import { engines, startTestApp, TestApp } from './support/test-app';

const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(engines())('Pairing lifecycle on %s', (engine) => {
  let t: TestApp;
  let court: Court;

  beforeAll(async () => {
    t = await startTestApp(engine);
    court = await Court.open(t);
    for (const user of ['secretary', 'secretary2', 'committee', 'leader', 'auditor', 'member', 'admin']) await court.token(user);
  });
  afterAll(() => t.close());

  /** The open tasks of this pairing for each user, by kind. */
  async function taskKinds(id: number) {
    const [committee, secretary, secretary2] = await Promise.all(
      ['committee', 'secretary', 'secretary2'].map(async (user) => (await court.tasks(user, id)).map((task) => task.kind)),
    );
    return { committee, secretary, secretary2 };
  }

  describe('the full path from draft to scored', () => {
    it.each([
      // Σ = 355.5 tenths-exact, mean 88.875: 0.6 × 88.875 + 0.4 × 81.8 = 86.045, which binary floating point rounds down.
      { startQuarter: 1, quarterScores: [85.8, 86.7, 86.3, 96.7], reviewScore: 81.8, floatWouldMiss: true },
      // Only Q3 and Q4 count: a mean over four quarters, or over Q1–Q4 with gaps, would give something else.
      { startQuarter: 3, quarterScores: [88.4, 91.7], reviewScore: 93.5, floatWouldMiss: false },
    ])(
      'from quarter $startQuarter: agreement, plan, activities, reports, review, tasks and history line up, and finalScore is exact',
      async ({ startQuarter, quarterScores, reviewScore, floatWouldMiss }) => {
        const year = court.year;
        const expected = expectedFinalScore(quarterScores, reviewScore);
        expect(naiveFinalScore(quarterScores, reviewScore) !== expected).toBe(floatWouldMiss);

        const created = await court.create('secretary');
        const id: number = created.id;
        expect(created).toMatchObject({
          state: 'draft',
          version: 1,
          mode: 'voluntary',
          form: 'one_to_one',
          year,
          leadBranchId: court.leadBranch,
          code: expect.stringMatching(new RegExp(`^GJ-${year}-\\d+$`)),
          quarter: null,
          finalScore: null,
        });
        expect(new Set(created.availableEvents)).toEqual(new Set(['SUBMIT', 'WITHDRAW']));
        expect(await taskKinds(id)).toEqual({ committee: [], secretary: ['SUBMIT_PROPOSAL'], secretary2: [] });

        let view = await court.do('secretary', id, { type: 'SUBMIT' });
        expect(view).toMatchObject({ state: 'proposed', version: 2 });
        expect(await taskKinds(id)).toEqual({ committee: ['REVIEW_PROPOSAL'], secretary: [], secretary2: [] });
        const [review1] = await court.tasks('committee', id);
        expect(review1).toMatchObject({ pairingId: id, state: 'proposed', since: expect.any(String) });
        expect(Date.parse(review1.dueAt!) - Date.parse(review1.since)).toBe(7 * DAY_MS);

        view = await court.do('committee', id, { type: 'APPROVE', comment: '同意结对' });
        expect(view.state).toBe('approved');
        expect(await taskKinds(id)).toEqual({ committee: [], secretary: ['SIGN_AGREEMENT'], secretary2: [] });

        view = await court.do('secretary', id, { type: 'SIGN_AGREEMENT', ...agreement(year) });
        expect(view.state).toBe('agreementSigned');
        expect(view.agreement).toMatchObject(agreement(year));
        expect(await taskKinds(id)).toEqual({ committee: [], secretary: ['FILE_PLAN'], secretary2: [] });

        view = await court.do('secretary', id, { type: 'FILE_PLAN', ...plan(year, startQuarter) });
        expect(view).toMatchObject({ state: 'planFiled', plan: { ...plan(year, startQuarter), status: 'filed' } });
        expect(await taskKinds(id)).toEqual({ committee: ['REVIEW_PLAN'], secretary: [], secretary2: [] });

        view = await court.do('committee', id, { type: 'ACCEPT_PLAN' });
        expect(view).toMatchObject({ state: 'active.collecting', quarter: startQuarter, plan: { status: 'accepted' } });
        const counted = [1, 2, 3, 4].filter((q) => q >= startQuarter);
        expect(view.compliance.map((c: { quarter: number }) => c.quarter)).toEqual(counted);
        expect(view.compliance[0]).toMatchObject({
          jointMeetings: 0,
          activityDays: 0,
          reportSubmitted: false,
          missing: ['joint_meeting', 'activity_day', 'report', 'score'],
        });
        // Every quarter of last year ended before the plan was accepted today: none of them is overdue (SPEC §5 QUARTER_OVERDUE).
        expect(view.compliance.map((c: { overdue: boolean }) => c.overdue)).toEqual(counted.map(() => false));

        for (const [index, quarter] of counted.entries()) {
          const score = quarterScores[index];
          // The liaison records the joint meeting, the secretary the activity day.
          await court.do('member', id, { type: 'RECORD_ACTIVITY', ...activity(year, quarter, 'joint_meeting') });
          view = await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(year, quarter, 'activity_day', 20) });
          expect(view.compliance.find((c: { quarter: number }) => c.quarter === quarter)).toMatchObject({
            jointMeetings: 1,
            activityDays: 1,
            activities: 2,
            missing: ['report', 'score'],
          });
          const recorded = view.activities.filter((a: { quarter: number }) => a.quarter === quarter);
          expect(recorded.map((a: { kind: string; recordedBy: number }) => [a.kind, a.recordedBy])).toEqual([
            ['joint_meeting', court.id('member')],
            ['activity_day', court.id('secretary')],
          ]);
          const [collecting] = await court.tasks('secretary', id);
          // Due at the end of the 15th day after the quarter ends, in Asia/Shanghai (UTC+8).
          const reportDue = [`${year}-04-15`, `${year}-07-15`, `${year}-10-15`, `${year + 1}-01-15`][quarter - 1];
          expect(collecting).toMatchObject({
            kind: 'SUBMIT_QUARTER_REPORT',
            state: 'active.collecting',
            dueAt: `${reportDue}T16:00:00.000Z`,
          });

          view = await court.do('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport({ planProgress: '按计划推进' }) });
          expect(view).toMatchObject({ state: 'active.reportSubmitted', quarter });
          expect(view.reports.at(-1)).toMatchObject({ quarter, status: 'submitted', requirementsMet: true, planProgress: '按计划推进' });
          expect(await taskKinds(id)).toEqual({ committee: ['SCORE_QUARTER'], secretary: [], secretary2: [] });

          view = await court.do('committee', id, { type: 'SCORE_QUARTER', score, comment: '完成良好' });
          expect(view.reports.at(-1)).toMatchObject({ quarter, status: 'scored', score });
          expect(view.quarterScores).toContainEqual({ quarter, score });
          expect(view).toMatchObject(
            quarter < 4 ? { state: 'active.collecting', quarter: quarter + 1 } : { state: 'yearEndReview', quarter: null },
          );
        }
        expect(view.quarterScores).toEqual(counted.map((quarter, i) => ({ quarter, score: quarterScores[i] })));
        expect(view.compliance.every((c: { missing: string[] }) => c.missing.length === 0)).toBe(true);
        expect(await taskKinds(id)).toEqual({ committee: [], secretary: ['SUBMIT_REVIEW'], secretary2: [] });
        expect((await court.tasks('secretary', id))[0].dueAt).toBe(`${year + 1}-01-15T16:00:00.000Z`);

        view = await court.do('secretary', id, { type: 'SUBMIT_REVIEW', ...review() });
        expect(view).toMatchObject({ state: 'underReview', review: { ...review(), status: 'submitted' } });
        expect(await taskKinds(id)).toEqual({ committee: ['APPROVE_REVIEW'], secretary: [], secretary2: [] });

        view = await court.do('committee', id, { type: 'APPROVE_REVIEW', score: reviewScore });
        expect(view).toMatchObject({ state: 'scored', final: true, reviewScore, finalScore: expected, availableEvents: [] });
        expect(view.review).toMatchObject({ status: 'approved', score: reviewScore });
        expect((await court.view('secretary', id)).availableEvents).toEqual([]);
        expect(await taskKinds(id)).toEqual({ committee: [], secretary: [], secretary2: [] });

        const res = await court.get('leader', id);
        expect(res.headers.etag).toBe(`"${res.body.version}"`);
        const workflow = await t
          .http()
          .get('/api/workflows/pairing')
          .set({ Authorization: `Bearer ${await court.token('leader')}` });
        expect(res.body.workflowVersion).toBe(workflow.body.version);
        const history = await court.history(id);
        expectWellFormedHistory(history, res.body.version);
        const quarterSteps = counted.flatMap((quarter) => [
          ['RECORD_ACTIVITY', 'active.collecting', 'active.collecting'],
          ['RECORD_ACTIVITY', 'active.collecting', 'active.collecting'],
          ['SUBMIT_QUARTER_REPORT', 'active.collecting', 'active.reportSubmitted'],
          ['SCORE_QUARTER', 'active.reportSubmitted', quarter < 4 ? 'active.collecting' : 'yearEndReview'],
        ]);
        expect(steps(history)).toEqual([
          ['CREATE', null, 'draft'],
          ['SUBMIT', 'draft', 'proposed'],
          ['APPROVE', 'proposed', 'approved'],
          ['SIGN_AGREEMENT', 'approved', 'agreementSigned'],
          ['FILE_PLAN', 'agreementSigned', 'planFiled'],
          ['ACCEPT_PLAN', 'planFiled', 'active.collecting'],
          ...quarterSteps,
          ['SUBMIT_REVIEW', 'yearEndReview', 'underReview'],
          ['APPROVE_REVIEW', 'underReview', 'scored'],
        ]);
        expect(history.find((e) => e.type === 'APPROVE')).toMatchObject({ actorId: String(court.id('committee')), comment: '同意结对' });
        expect(history.filter((e) => e.type === 'RECORD_ACTIVITY')[0].actorId).toBe(String(court.id('member')));
        expect(history.at(-1)!.payload).toMatchObject({ score: reviewScore, finalScore: expected });
      },
    );
  });

  describe('creating', () => {
    it('drafts from a year and a title alone, the rest left for later (SPEC §10)', async () => {
      const res = await t
        .http()
        .post('/api/pairings')
        .set({ Authorization: `Bearer ${await court.token('secretary')}` })
        .send({ year: court.year, title: '只有标题的草稿' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        state: 'draft',
        title: '只有标题的草稿',
        mode: 'voluntary',
        leadBranchId: court.leadBranch,
        partnerIds: [],
        categories: [],
        liaisonUserId: null,
      });
      const refused = await court.refuse('secretary', res.body.id, { type: 'SUBMIT' }, 422, 'PROPOSAL_INCOMPLETE');
      expect(refused.body.details).toEqual({ missing: ['theme', 'problem', 'partnerIds', 'categories', 'liaisonUserId'] });
    });

    it('gives a draft with no partner yet no form (neither 一对一 nor 一对多), and one as soon as it has a partner', async () => {
      for (const coBranchIds of [[], [court.otherBranch]]) {
        const draft = await court.create('secretary', { partnerIds: [], partnerLiaisons: [], coBranchIds });
        expect({ coBranchIds, form: draft.form }).toEqual({ coBranchIds, form: null });
        expect((await court.view('secretary', draft.id)).form).toBeNull();
        const listed = (await court.list('secretary', { q: draft.code })).body.items;
        expect(listed.map((p: { form: unknown }) => p.form)).toEqual([null]);
        const paired = await court.patch('secretary', draft.id, { partnerIds: [4] });
        expect(paired.body.form).toBe(coBranchIds.length ? 'one_to_many' : 'one_to_one');
      }
    });

    it('drafts a voluntary pairing of the secretary’s own branch, with a CREATE event', async () => {
      const view = await court.create('secretary', { coBranchIds: [court.otherBranch] });
      expect(view).toMatchObject({
        mode: 'voluntary',
        leadBranchId: court.leadBranch,
        coBranchIds: [court.otherBranch],
        form: 'one_to_many',
      });
      const [created] = await court.history(view.id);
      expect(created).toMatchObject({ type: 'CREATE', seq: 1, actorId: String(court.id('secretary')), payload: { title: view.title } });
    });

    it('lets every secretary of the lead branch edit a draft, and nobody else (SPEC §3, §6 PATCH)', async () => {
      await court.user('deputy-editor', ['secretary'], court.leadBranch);
      const { id, version } = await court.create('secretary', { coBranchIds: [court.otherBranch] });
      for (const user of ['committee', 'leader', 'auditor', 'admin', 'member', 'secretary2']) {
        const res = await court.expectRefused(id, () => court.patch(user, id, { goals: `${user} 改的目标` }), 403, 'FORBIDDEN');
        expect({ user, code: res.body.code }).toEqual({ user, code: 'FORBIDDEN' });
      }
      const res = await court.patch('deputy-editor', id, { goals: '副书记补充的目标' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ goals: '副书记补充的目标', version: version + 1 });
      expect((await court.history(id)).at(-1)).toMatchObject({ type: 'EDIT', actorId: String(court.id('deputy-editor')) });
    });

    /** Changes to a complete proposal, some named rather than given (ids and years differ per app). */
    type Twist = Record<string, unknown> & { years?: number; liaison?: string; leadOther?: boolean };
    it.each<[string, string, Twist, number]>([
      ['another branch as lead, by a secretary', 'secretary', { leadOther: true }, 403],
      ['a directed pairing without a lead branch', 'committee', {}, 400],
      ['a year six years back', 'secretary', { years: -5 }, 400],
      ['a year two years ahead', 'secretary', { years: 3 }, 400],
      ['a liaison from another branch', 'secretary', { liaison: 'secretary2' }, 400],
      [
        'a partner liaison for a partner not in the pairing',
        'secretary',
        { partnerLiaisons: [{ partnerId: 9, name: '张', phone: '1' }] },
        400,
      ],
      ['an unknown partner', 'secretary', { partnerIds: [99999], partnerLiaisons: [] }, 400],
      [
        'two liaisons for one partner (each side names one)',
        'secretary',
        {
          partnerLiaisons: [
            { partnerId: 4, name: '张联络', phone: '0573-85000000' },
            { partnerId: 4, name: '李联络', phone: '0573-85000001' },
          ],
        },
        400,
      ],
      ['an unknown field', 'secretary', { state: 'active.collecting' }, 400],
      ['no title', 'secretary', { title: undefined }, 400],
      ['a blank title', 'secretary', { title: '   ' }, 400],
      ['no year', 'secretary', { year: undefined }, 400],
      ['a member', 'member', {}, 403],
      ['an auditor', 'auditor', {}, 403],
      ['a leader', 'leader', {}, 403],
      ['an admin', 'admin', {}, 403],
    ])('refuses %s', async (_, as, { years, liaison, leadOther, ...changes }, status) => {
      const body = court.proposal({
        ...changes,
        ...(years !== undefined ? { year: court.year + years } : {}),
        ...(liaison !== undefined ? { liaisonUserId: court.id(liaison) } : {}),
        ...(leadOther ? { leadBranchId: court.otherBranch } : {}),
      });
      const before = (await court.list('committee', { pageSize: 1 })).body.total;
      const res = await t
        .http()
        .post('/api/pairings')
        .set({ Authorization: `Bearer ${await court.token(as)}` })
        .send(body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code: status === 400 ? 'VALIDATION_FAILED' : 'FORBIDDEN' });
      expect((await court.list('committee', { pageSize: 1 })).body.total).toBe(before);
    });
  });

  describe('odd input', () => {
    it('answers odd payloads with 400, never 500, and changes nothing', async () => {
      const year = court.year;
      const odd: [string, Record<string, unknown>][] = [
        ['approved', { type: 'SIGN_AGREEMENT', ...agreement(year), signedOn: null }],
        ['approved', { type: 'SIGN_AGREEMENT', ...agreement(year), attachmentIds: ['a'] }],
        ['approved', { type: 'SIGN_AGREEMENT', ...agreement(year), goals: { zh: '目标' } }],
        ['agreementSigned', { type: 'FILE_PLAN', startQuarter: 1, items: [null] }],
        ['agreementSigned', { type: 'FILE_PLAN', startQuarter: 1, items: 'all of them' }],
        ['agreementSigned', { type: 'FILE_PLAN', ...plan(year, 1), startQuarter: '1' }],
        ['agreementSigned', { type: 'FILE_PLAN', ...plan(year, 1), startQuarter: 1.5 }],
        ['active.collecting', { type: 'RECORD_ACTIVITY', ...activity(year, 4, 'lecture'), heldOn: 20250101 }],
        ['active.collecting', { type: 'RECORD_ACTIVITY', ...activity(year, 4, 'lecture'), participants: 2.5 }],
        ['active.collecting', { type: 'VOID_ACTIVITY', activityId: '1', comment: '作废' }],
        ['active.collecting', { type: 'SUBMIT_QUARTER_REPORT', summary: ['a'] }],
        ['yearEndReview', { type: 'SUBMIT_REVIEW', ...review(), outcomes: [null] }],
        ['yearEndReview', { type: 'SUBMIT_REVIEW', ...review(), problemSolved: 'yes' }],
        ['yearEndReview', { type: 'SUBMIT_REVIEW', ...review(), outcomes: [{ indicator: '率', value: '59%', unit: '%' }] }],
      ];
      const pairings = new Map<string, number>();
      for (const [state, body] of odd) {
        if (!pairings.has(state)) pairings.set(state, (await court.driveTo(state as 'approved')).id);
        const id = pairings.get(state)!;
        await court.refuse('secretary', id, body as { type: string }, 400, 'VALIDATION_FAILED');
      }
      const id = pairings.get('approved')!;
      const token = await court.token('secretary');
      for (const raw of ['[]', '"SUBMIT"', '{"type":"SUBMIT"', '{"type":"SIGN_AGREEMENT","signedOn":1e400}']) {
        const res = await t
          .http()
          .post(`/api/pairings/${id}/events`)
          .set({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' })
          .send(raw);
        expect({ raw, status: res.status }).toEqual({ raw, status: 400 });
      }
      const badId = await t
        .http()
        .post('/api/pairings/abc/events')
        .set({ Authorization: `Bearer ${token}` })
        .send({ type: 'SUBMIT' });
      expect(badId.status).toBe(400);
      const longKey = await court.send('secretary', id, { type: 'URGE' }, { 'Idempotency-Key': 'k'.repeat(200) });
      expect(longKey.status).toBe(400);
    });
    it('refuses half of a character (an unpaired surrogate) in any text with 400 naming the field, so the chain keeps verifying', async () => {
      const draft = await court.create('secretary');
      const patched = await court.expectRefused(
        draft.id,
        () => court.patch('secretary', draft.id, { title: '标题\ud800' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(patched.body.details).toEqual([{ field: 'title', messages: [expect.stringContaining('broken character')] }]);
      const proposed = await court.driveTo('proposed');
      const returned = await court.refuse('committee', proposed.id, { type: 'RETURN', comment: '请补充\udc00' }, 400, 'VALIDATION_FAILED');
      expect(returned.body.details.map((d: { field: string }) => d.field)).toEqual(['comment']);
      const approved = await court.driveTo('approved');
      const signed = await court.refuse(
        'secretary',
        approved.id,
        { type: 'SIGN_AGREEMENT', ...agreement(court.year), goals: '\ud83d目标', comment: '签订\ud83d' },
        400,
        'VALIDATION_FAILED',
      );
      expect(signed.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['comment', 'goals']);
      // A whole character beyond the BMP is kept exactly, and the chain that holds it verifies.
      const view = await court.do('secretary', approved.id, { type: 'SIGN_AGREEMENT', ...agreement(court.year), comment: '签订😀𠀀' });
      expect(view.state).toBe('agreementSigned');
      const auditor = await court.token('auditor');
      const verify = await t
        .http()
        .get(`/api/audit/verify?pairingId=${approved.id}`)
        .set({ Authorization: `Bearer ${auditor}` });
      expect(verify.body).toMatchObject({ ok: true, failures: [] });
      const history = await t
        .http()
        .get(`/api/pairings/${approved.id}/history`)
        .set({ Authorization: `Bearer ${auditor}` });
      expect(history.body.at(-1).comment).toBe('签订😀𠀀');
    });

    it('answers null for a proposal field a PATCH may only leave out with 400 naming it, never 500, and changes nothing', async () => {
      const { id } = await court.create('secretary');
      for (const field of ['title', 'theme', 'problem', 'partnerIds', 'categories', 'coBranchIds', 'partnerLiaisons']) {
        const res = await court.expectRefused(id, () => court.patch('secretary', id, { [field]: null }), 400, 'VALIDATION_FAILED');
        expect({ field, refused: res.body.details.map((d: { field: string }) => d.field) }).toEqual({ field, refused: [field] });
      }
      // The liaison and the goals are optional on the row, so null clears them.
      const cleared = await court.patch('secretary', id, { liaisonUserId: null, goals: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ liaisonUserId: null, goals: null });

      const running = await court.driveTo('active.collecting');
      const res = await court.refuse('secretary', running.id, { type: 'UPDATE_LIAISONS', partnerLiaisons: null }, 400, 'VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['partnerLiaisons']);
    });
  });

  describe('editing (PATCH)', () => {
    it('answers a PATCH of a pairing nobody may see with 404 before asking whether the role may edit (SPEC §5: 404 → 403)', async () => {
      const { id } = await court.create('secretary');
      for (const user of ['committee', 'auditor', 'secretary2']) {
        const res = await court.patch(user, 99_999_999, { theme: 'x' });
        expect({ user, status: res.status, code: res.body.code }).toEqual({ user, status: 404, code: 'NOT_FOUND' });
      }
      // A pairing they may see: the role decides.
      for (const user of ['committee', 'auditor'])
        await court.expectRefused(id, () => court.patch(user, id, { theme: 'x' }), 403, 'FORBIDDEN');
    });

    it('answers a PATCH that gives no field with 400 saying nothing was given, and changes nothing', async () => {
      const { id } = await court.create('secretary');
      for (const body of [{}, undefined]) {
        const res = await court.expectRefused(
          id,
          () => court.patch('secretary', id, body as unknown as Record<string, unknown>),
          400,
          'VALIDATION_FAILED',
        );
        expect(res.body.details).toEqual([{ field: 'body', messages: [expect.stringContaining('no field to change')] }]);
      }
    });

    it('answers a PATCH whose fields all equal the current ones with the pairing as it is: no EDIT, the same version', async () => {
      const created = await court.create('secretary', { coBranchIds: [court.otherBranch] });
      const { id, version } = created;
      const same = {
        title: `  ${created.title} `,
        theme: created.theme,
        problem: created.problem,
        goals: created.goals,
        partnerIds: created.partnerIds,
        coBranchIds: created.coBranchIds,
        categories: created.categories,
        liaisonUserId: created.liaisonUserId,
        partnerLiaisons: created.partnerLiaisons,
      };
      const before = await court.footprint(id);
      for (const body of [same, { title: created.title }, { partnerIds: created.partnerIds, goals: created.goals }]) {
        const res = await court.patch('secretary', id, body);
        expect({ status: res.status, version: res.body.version, etag: res.headers.etag }).toEqual({
          status: 200,
          version,
          etag: `"${version}"`,
        });
      }
      expect(await court.footprint(id)).toEqual(before);
      // What does change is recorded, and only that.
      const changed = await court.patch('secretary', id, { ...same, theme: '矛盾纠纷源头化解' });
      expect(changed.body.version).toBe(version + 1);
      const edit = (await court.history(id)).at(-1)!;
      expect(edit).toMatchObject({ type: 'EDIT', seq: version + 1 });
      expect(Object.keys(edit.payload.changes)).toEqual(['theme']);
    });

    it('refuses to blank the title, as creation does, naming the field; the fields a draft may lack may be cleared', async () => {
      const { id } = await court.create('secretary');
      for (const title of ['', '   ']) {
        const res = await court.expectRefused(id, () => court.patch('secretary', id, { title }), 400, 'VALIDATION_FAILED');
        expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['title']);
      }
      // theme, problem and goals are not needed for a draft (SPEC §10): blank is "none yet", checked at SUBMIT.
      const cleared = await court.patch('secretary', id, { theme: '  ', problem: '', goals: ' ' });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ theme: '', problem: '', goals: '' });
      const refused = await court.refuse('secretary', id, { type: 'SUBMIT' }, 422, 'PROPOSAL_INCOMPLETE');
      expect(refused.body.details).toEqual({ missing: ['theme', 'problem'] });
    });
  });

  describe('return and resubmit', () => {
    it('requires a non-blank comment to return, and keeps each submitted revision of the proposal in the history', async () => {
      const { id, theme: firstTheme } = await court.driveTo('proposed');
      const missing = await court.refuse('committee', id, { type: 'RETURN' }, 400, 'VALIDATION_FAILED');
      // Left out, the comment is said to be required: not that it must be a string, nor that it must not be blank.
      expect(missing.body.details).toEqual([{ field: 'comment', messages: ['comment is required'] }]);
      const blank = await court.refuse('committee', id, { type: 'RETURN', comment: '   ' }, 400, 'VALIDATION_FAILED');
      expect(blank.body.details).toEqual([{ field: 'comment', messages: ['comment must not be blank'] }]);

      let view = await court.do('committee', id, { type: 'RETURN', comment: '请补充结对主题与实际问题的对应关系' });
      expect(view.state).toBe('returned');
      expect((await court.tasks('secretary', id)).map((task) => task.kind)).toEqual(['REVISE_PROPOSAL']);
      expect(await court.tasks('committee', id)).toEqual([]);

      await court.expectRefused(id, () => court.patch('committee', id, { theme: 'x' }), 403, 'FORBIDDEN');
      await court.expectRefused(id, () => court.patch('secretary2', id, { theme: 'x' }), 404, 'NOT_FOUND');
      const patched = await court.patch('secretary', id, { theme: '矛盾纠纷多元化解', partnerIds: [4, 6] });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ theme: '矛盾纠纷多元化解', partnerIds: [4, 6], form: 'one_to_many', version: view.version + 1 });

      view = await court.do('secretary', id, { type: 'SUBMIT' });
      expect(view.state).toBe('proposed');
      await court.expectRefused(id, () => court.patch('secretary', id, { theme: '提交后不能再改' }), 409, 'INVALID_TRANSITION');

      const history = await court.history(id);
      expectWellFormedHistory(history, view.version);
      expect(steps(history)).toEqual([
        ['CREATE', null, 'draft'],
        ['SUBMIT', 'draft', 'proposed'],
        ['RETURN', 'proposed', 'returned'],
        ['EDIT', 'returned', 'returned'],
        ['SUBMIT', 'returned', 'proposed'],
      ]);
      expect(history[2].comment).toBe('请补充结对主题与实际问题的对应关系');
      expect(history[3].payload.changes.theme).toEqual({ from: firstTheme, to: '矛盾纠纷多元化解' });
      const [first, second] = history.filter((e) => e.type === 'SUBMIT').map((e) => e.payload);
      expect(first).toMatchObject({ revision: 1, proposal: { theme: firstTheme, partnerIds: [4], title: view.title } });
      expect(second).toMatchObject({ revision: 2, proposal: { theme: '矛盾纠纷多元化解', partnerIds: [4, 6], title: view.title } });
    });

    it('lets the secretary recall a proposal before the committee decides', async () => {
      const { id } = await court.driveTo('proposed');
      await court.refuse('committee', id, { type: 'RECALL' }, 403, 'FORBIDDEN');
      const view = await court.do('secretary', id, { type: 'RECALL' });
      expect(view.state).toBe('draft');
      expect(await taskKinds(id)).toEqual({ committee: [], secretary: ['SUBMIT_PROPOSAL'], secretary2: [] });
      await court.refuse('committee', id, { type: 'APPROVE' }, 409, 'INVALID_TRANSITION');
      expect((await court.do('secretary', id, { type: 'SUBMIT' })).state).toBe('proposed');
      const submits = (await court.history(id)).filter((e) => e.type === 'SUBMIT');
      expect(submits.map((e) => e.payload.revision)).toEqual([1, 2]);
    });

    it('sends a returned plan back to agreementSigned and takes a new one, checking its items against the year and start', async () => {
      const year = court.year;
      const { id } = await court.driveTo('planFiled', { startQuarter: 2 });
      let view = await court.do('committee', id, { type: 'RETURN', comment: '计划过于笼统' });
      expect(view).toMatchObject({ state: 'agreementSigned', plan: null });
      const early = plan(year, 3);
      early.items[0].quarter = 2;
      await court.refuse('secretary', id, { type: 'FILE_PLAN', ...early }, 422, 'PLAN_ITEMS_INVALID');
      const otherYear = plan(year, 3);
      otherYear.items[0].dueDate = `${year + 1}-01-15`;
      await court.refuse('secretary', id, { type: 'FILE_PLAN', ...otherYear }, 422, 'PLAN_ITEMS_INVALID');
      await court.refuse('secretary', id, { type: 'FILE_PLAN', startQuarter: 3, items: [] }, 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', id, { type: 'FILE_PLAN', ...plan(year, 3), startQuarter: 5 }, 400, 'VALIDATION_FAILED');
      await court.do('secretary', id, { type: 'FILE_PLAN', ...plan(year, 3) });
      view = await court.do('committee', id, { type: 'ACCEPT_PLAN' });
      expect(view).toMatchObject({ state: 'active.collecting', quarter: 3, plan: { startQuarter: 3, status: 'accepted' } });
    });

    it('sends a returned year-end review back to the secretary', async () => {
      const { id } = await court.driveTo('underReview');
      await court.refuse('committee', id, { type: 'RETURN' }, 400, 'VALIDATION_FAILED');
      let view = await court.do('committee', id, { type: 'RETURN', comment: '请补充量化指标' });
      expect(view).toMatchObject({ state: 'yearEndReview', review: { status: 'returned', comment: '请补充量化指标' } });
      expect((await court.tasks('secretary', id)).map((task) => task.kind)).toEqual(['SUBMIT_REVIEW']);
      view = await court.do('secretary', id, { type: 'SUBMIT_REVIEW', ...review() });
      expect(view).toMatchObject({ state: 'underReview', review: { status: 'submitted' } });
    });

    it('checks the agreement dates', async () => {
      const year = court.year;
      const { id } = await court.driveTo('approved');
      const sign = (changes: Record<string, string>) => ({ type: 'SIGN_AGREEMENT', ...agreement(year), ...changes });
      await court.refuse('secretary', id, sign({ validFrom: `${year}-12-31`, validTo: `${year}-01-01` }), 422, 'AGREEMENT_DATES_INVALID');
      await court.refuse('secretary', id, sign({ signedOn: `${year + 2}-01-01` }), 422, 'DATE_IN_FUTURE');
      await court.refuse('secretary', id, sign({ signedOn: `${year}-02-30` }), 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', id, { type: 'SIGN_AGREEMENT', signedOn: `${year}-01-10` }, 400, 'VALIDATION_FAILED');
      expect((await court.do('secretary', id, sign({}))).state).toBe('agreementSigned');
    });
  });

  describe('withdraw, reject, terminate', () => {
    it('lets the secretary withdraw a voluntary draft or returned pairing, but not the committee', async () => {
      const draft = await court.driveTo('draft');
      await court.refuse('committee', draft.id, { type: 'WITHDRAW' }, 403, 'FORBIDDEN');
      const view = await court.do('secretary', draft.id, { type: 'WITHDRAW', comment: '共建单位调整' });
      expect(view).toMatchObject({ state: 'withdrawn', final: true, availableEvents: [] });
      expect(await taskKinds(draft.id)).toEqual({ committee: [], secretary: [], secretary2: [] });
      await court.refuse('secretary', draft.id, { type: 'SUBMIT' }, 409, 'INVALID_TRANSITION');

      const returned = await court.driveTo('returned');
      expect((await court.do('secretary', returned.id, { type: 'WITHDRAW' })).state).toBe('withdrawn');

      const proposed = await court.driveTo('proposed');
      await court.refuse('secretary', proposed.id, { type: 'WITHDRAW' }, 409, 'INVALID_TRANSITION');
    });

    it('lets only the committee withdraw a directed pairing, which the lead secretary still submits', async () => {
      const created = await court.create('committee', { leadBranchId: court.leadBranch });
      expect(created).toMatchObject({ mode: 'directed', leadBranchId: court.leadBranch, state: 'draft' });
      expect(new Set((await court.view('secretary', created.id)).availableEvents)).toEqual(new Set(['SUBMIT']));
      expect((await court.view('committee', created.id)).availableEvents).toEqual(['WITHDRAW']);
      await court.refuse('secretary', created.id, { type: 'WITHDRAW' }, 403, 'FORBIDDEN');
      const view = await court.do('committee', created.id, { type: 'WITHDRAW', comment: '年度安排调整' });
      expect(view.state).toBe('withdrawn');
      expect((await court.history(created.id)).at(-1)).toMatchObject({
        type: 'WITHDRAW',
        fromState: 'draft',
        toState: 'withdrawn',
        comment: '年度安排调整',
        actorId: String(court.id('committee')),
      });
    });

    it('rejects a proposal only with a comment, and nothing follows a rejection', async () => {
      const { id } = await court.driveTo('proposed');
      await court.refuse('committee', id, { type: 'REJECT' }, 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', id, { type: 'REJECT', comment: '自己驳回' }, 403, 'FORBIDDEN');
      const view = await court.do('committee', id, { type: 'REJECT', comment: '与年度重点工作不符' });
      expect(view).toMatchObject({ state: 'rejected', final: true, availableEvents: [] });
      await court.refuse('committee', id, { type: 'REJECT', comment: '再驳回一次' }, 409, 'INVALID_TRANSITION');
      await court.refuse('committee', id, { type: 'TERMINATE', comment: '终止' }, 409, 'INVALID_TRANSITION');
      expect(await taskKinds(id)).toEqual({ committee: [], secretary: [], secretary2: [] });
    });

    it('terminates a running pairing with a comment, closing its tasks; a draft cannot be terminated', async () => {
      const { id } = await court.driveTo('active.collecting');
      await court.refuse('committee', id, { type: 'TERMINATE' }, 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', id, { type: 'TERMINATE', comment: '主动终止' }, 403, 'FORBIDDEN');
      const view = await court.do('committee', id, { type: 'TERMINATE', comment: '共建单位撤并' });
      expect(view).toMatchObject({ state: 'terminated', final: true, availableEvents: [] });
      expect(await taskKinds(id)).toEqual({ committee: [], secretary: [], secretary2: [] });
      await court.refuse('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'lecture') }, 409, 'INVALID_TRANSITION');

      const draft = await court.driveTo('draft');
      await court.refuse('committee', draft.id, { type: 'TERMINATE', comment: '终止' }, 409, 'INVALID_TRANSITION');
    });
  });

  describe('quarters', () => {
    it('needs a shortfall reason for a quarter without an activity day, marks the report, and reopens the quarter on RETURN', async () => {
      const year = court.year;
      const { id } = await court.driveTo('active.collecting', { startQuarter: 4 });
      await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(year, 4, 'joint_meeting') });
      await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(year, 4, 'party_lesson') });
      await court.refuse('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() }, 422, 'QUARTER_REQUIREMENTS_NOT_MET');
      await court.refuse(
        'secretary',
        id,
        { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport({ shortfallReason: '   ' }) },
        422,
        'QUARTER_REQUIREMENTS_NOT_MET',
      );
      await court.refuse('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', summary: ' ' }, 400, 'VALIDATION_FAILED');

      let view = await court.do('secretary', id, {
        type: 'SUBMIT_QUARTER_REPORT',
        ...quarterReport({ shortfallReason: '共建单位年底集中整训，活动日顺延' }),
      });
      expect(view.state).toBe('active.reportSubmitted');
      expect(view.reports.at(-1)).toMatchObject({
        quarter: 4,
        status: 'submitted',
        requirementsMet: false,
        shortfallReason: '共建单位年底集中整训，活动日顺延',
      });
      expect(view.compliance.at(-1)).toMatchObject({ quarter: 4, reportSubmitted: true, requirementsMet: false });
      expect((await court.history(id)).at(-1)!.payload).toMatchObject({ quarter: 4, requirementsMet: false, activityDays: 0 });
      // The quarter is reported: it takes no more activities until the report comes back.
      await court.refuse('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(year, 4, 'activity_day') }, 422, 'ACTIVITY_DATE_INVALID');

      await court.refuse('committee', id, { type: 'RETURN' }, 400, 'VALIDATION_FAILED');
      view = await court.do('committee', id, { type: 'RETURN', comment: '请先补开共建活动日' });
      expect(view).toMatchObject({ state: 'active.collecting', quarter: 4 });
      expect(view.reports.at(-1)).toMatchObject({ quarter: 4, status: 'returned' });
      expect(view.compliance.at(-1)).toMatchObject({ reportSubmitted: false, requirementsMet: null });
      expect((await court.tasks('secretary', id)).map((task) => task.kind)).toEqual(['SUBMIT_QUARTER_REPORT']);

      await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(year, 4, 'activity_day', 20) });
      view = await court.do('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() });
      expect(
        view.reports.map((r: { quarter: number; status: string; requirementsMet: boolean }) => [r.quarter, r.status, r.requirementsMet]),
      ).toEqual([
        [4, 'returned', false],
        [4, 'submitted', true],
      ]);
      view = await court.do('committee', id, { type: 'SCORE_QUARTER', score: 88.5 });
      expect(view).toMatchObject({ state: 'yearEndReview', quarterScores: [{ quarter: 4, score: 88.5 }] });
    });

    it('takes activities only in open quarters of the plan, dated in the year and not in the future', async () => {
      const year = court.year;
      const { id } = await court.driveTo('active.collecting', { startQuarter: 3 });
      const record = (quarter: number, kind = 'lecture', extra: Record<string, unknown> = {}) => ({
        type: 'RECORD_ACTIVITY',
        ...activity(year, quarter, kind),
        ...extra,
      });
      await court.refuse('secretary', id, record(2), 422, 'ACTIVITY_DATE_INVALID');
      await court.refuse('secretary', id, record(3, 'lecture', { heldOn: `${year - 1}-08-15` }), 422, 'ACTIVITY_DATE_INVALID');
      await court.refuse('secretary', id, record(3, 'lecture', { heldOn: `${year + 2}-08-15` }), 422, 'DATE_IN_FUTURE');
      await court.refuse('secretary', id, record(3, 'banquet'), 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', id, record(3, 'lecture', { participants: 0 }), 400, 'VALIDATION_FAILED');
      // A later quarter of the plan is open too; the activity counts there.
      const view = await court.do('member', id, record(4, 'activity_day'));
      expect(view.quarter).toBe(3);
      expect(view.compliance).toEqual([
        expect.objectContaining({ quarter: 3, activities: 0 }),
        expect.objectContaining({ quarter: 4, activities: 1, activityDays: 1 }),
      ]);
    });

    it('judges “not in the future” by today in APP_TIMEZONE, not in UTC (SPEC §5, dates and times)', async () => {
      const year = court.year;
      const clock = t.app.get(Clock);
      const at = async <T>(instant: string, work: () => Promise<T>): Promise<T> => {
        const spy = jest.spyOn(clock, 'now').mockImplementation(() => new Date(instant));
        try {
          return await work();
        } finally {
          spy.mockRestore();
        }
      };
      const { id } = await court.driveTo('active.collecting', { startQuarter: 4 });
      const record = { type: 'RECORD_ACTIVITY', ...activity(year, 4, 'lecture'), heldOn: `${year}-12-02` };
      // 23:59 on 1 December in Shanghai (UTC+8): 2 December is tomorrow there.
      await at(`${year}-12-01T15:59:00.000Z`, () => court.refuse('secretary', id, record, 422, 'DATE_IN_FUTURE'));
      // 00:30 on 2 December in Shanghai, still 1 December in UTC: it is today.
      const view = await at(`${year}-12-01T16:30:00.000Z`, () => court.do('secretary', id, record));
      expect(view.activities.at(-1)).toMatchObject({ heldOn: `${year}-12-02`, quarter: 4 });

      const approved = await court.driveTo('approved');
      const sign = { type: 'SIGN_AGREEMENT', ...agreement(year), signedOn: `${year}-01-10` };
      await at(`${year}-01-09T15:59:59.999Z`, () => court.refuse('secretary', approved.id, sign, 422, 'DATE_IN_FUTURE'));
      const signed = await at(`${year}-01-09T16:00:00.000Z`, () => court.do('secretary', approved.id, sign));
      expect(signed).toMatchObject({ state: 'agreementSigned', agreement: { signedOn: `${year}-01-10` } });
    });

    it('voids an activity with a comment: it stays on record, marked void, and no longer counts', async () => {
      const year = court.year;
      const { id } = await court.driveTo('active.collecting', { startQuarter: 3 });
      let view = await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(year, 3, 'joint_meeting') });
      view = await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(year, 3, 'activity_day') });
      const [meeting, day] = view.activities;
      const history = await court.history(id);
      expect(history.at(-2)!.payload).toMatchObject({ activityId: meeting.id, quarter: 3, kind: 'joint_meeting' });

      await court.refuse('secretary', id, { type: 'VOID_ACTIVITY', activityId: meeting.id }, 400, 'VALIDATION_FAILED');
      await court.refuse('member', id, { type: 'VOID_ACTIVITY', activityId: meeting.id, comment: '重复登记' }, 403, 'FORBIDDEN');
      await court.refuse('secretary', id, { type: 'VOID_ACTIVITY', activityId: 999999, comment: '不存在' }, 422, 'ACTIVITY_NOT_VOIDABLE');
      // Another pairing's activity cannot be voided through this one.
      const other = await court.driveTo('active.collecting', { startQuarter: 3 });
      await court.refuse(
        'secretary',
        other.id,
        { type: 'VOID_ACTIVITY', activityId: meeting.id, comment: '串号' },
        422,
        'ACTIVITY_NOT_VOIDABLE',
      );

      view = await court.do('secretary', id, { type: 'VOID_ACTIVITY', activityId: meeting.id, comment: '重复登记' });
      expect(view.state).toBe('active.collecting');
      expect(view.activities).toContainEqual(expect.objectContaining({ id: meeting.id, voided: true, voidComment: '重复登记' }));
      expect(view.compliance[0]).toMatchObject({ quarter: 3, activities: 1, jointMeetings: 0, activityDays: 1 });
      await court.refuse(
        'secretary',
        id,
        { type: 'VOID_ACTIVITY', activityId: meeting.id, comment: '再作废' },
        422,
        'ACTIVITY_NOT_VOIDABLE',
      );
      await court.refuse('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() }, 422, 'QUARTER_REQUIREMENTS_NOT_MET');

      await court.do('member', id, { type: 'RECORD_ACTIVITY', ...activity(year, 3, 'joint_meeting', 25) });
      view = await court.do('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() });
      expect(view.reports.at(-1)).toMatchObject({ quarter: 3, requirementsMet: true });
      await court.refuse('secretary', id, { type: 'VOID_ACTIVITY', activityId: day.id, comment: '已报告' }, 422, 'ACTIVITY_NOT_VOIDABLE');
    });
  });

  describe('scores', () => {
    it.each([
      ['two decimals', 85.25],
      ['above 100', 100.5],
      ['below 0', -1],
      ['a string', '85'],
    ])('refuses a quarter score with %s (400)', async (_, score) => {
      const { id } = await court.driveTo('active.reportSubmitted');
      await court.refuse('committee', id, { type: 'SCORE_QUARTER', score }, 400, 'VALIDATION_FAILED');
      await court.refuse('committee', id, { type: 'SCORE_QUARTER' }, 400, 'VALIDATION_FAILED');
    });

    it('takes the bounds 0 and 100', async () => {
      const { id } = await court.driveTo('active.reportSubmitted');
      await court.do('committee', id, { type: 'SCORE_QUARTER', score: 100 });
      await court.do('secretary', id, { type: 'SUBMIT_REVIEW', ...review() });
      await court.refuse('committee', id, { type: 'APPROVE_REVIEW', score: 99.99 }, 400, 'VALIDATION_FAILED');
      const view = await court.do('committee', id, { type: 'APPROVE_REVIEW', score: 0 });
      expect(view).toMatchObject({ reviewScore: 0, finalScore: 60 });
    });
  });

  describe('deadlines in the compliance view', () => {
    it('marks a quarter overdue once its report is late, except quarters that ended before the plan was accepted', async () => {
      const year = court.year;
      const { id } = await court.driveTo('agreementSigned');
      await court.do('secretary', id, { type: 'FILE_PLAN', ...plan(year, 1) });
      // The committee accepted the plan on 1 May: Q1 had already ended, Q2–Q4 had not.
      const clock = t.app.get(Clock);
      const spy = jest.spyOn(clock, 'now').mockImplementation(() => new Date(`${year}-05-01T02:00:00.000Z`));
      try {
        await court.do('committee', id, { type: 'ACCEPT_PLAN' });
      } finally {
        spy.mockRestore();
      }
      const view = await court.view('secretary', id);
      expect(view.compliance.map((c: { quarter: number; overdue: boolean }) => [c.quarter, c.overdue])).toEqual([
        [1, false],
        [2, true],
        [3, true],
        [4, true],
      ]);
      expect(view.compliance[1]).toMatchObject({ dueDate: `${year}-07-15`, reportSubmitted: false });
      // A terminated pairing owes no more reports.
      const terminated = await court.do('committee', id, { type: 'TERMINATE', comment: '共建单位撤并' });
      expect(terminated.compliance.map((c: { overdue: boolean }) => c.overdue)).toEqual([false, false, false, false]);
    });
  });

  describe('UPDATE_LIAISONS', () => {
    it('replaces the liaison and the partner liaisons mid-year, and the new liaison may record activities', async () => {
      const newLiaison = await court.user('liaison-new', ['member'], court.leadBranch);
      const outsider = await court.user('liaison-outsider', ['member'], court.otherBranch);
      const { id } = await court.driveTo('active.collecting');
      await court.refuse('secretary', id, { type: 'UPDATE_LIAISONS', liaisonUserId: outsider }, 422, 'LIAISON_NOT_IN_BRANCH');
      await court.refuse(
        'secretary',
        id,
        { type: 'UPDATE_LIAISONS', partnerLiaisons: [{ partnerId: 9, name: '王联络', phone: '0573-1' }] },
        422,
        'PARTNER_NOT_IN_PAIRING',
      );
      const twice = await court.refuse(
        'secretary',
        id,
        {
          type: 'UPDATE_LIAISONS',
          partnerLiaisons: [
            { partnerId: 4, name: '钱联络', phone: '0573-85111111' },
            { partnerId: 4, name: '孙联络', phone: '0573-85111112' },
          ],
        },
        400,
        'VALIDATION_FAILED',
      );
      expect(twice.body.details.map((d: { field: string }) => d.field)).toEqual(['partnerLiaisons']);
      await court.refuse('member', id, { type: 'UPDATE_LIAISONS', liaisonUserId: newLiaison }, 403, 'FORBIDDEN');
      const view = await court.do('secretary', id, {
        type: 'UPDATE_LIAISONS',
        liaisonUserId: newLiaison,
        partnerLiaisons: [{ partnerId: 4, name: '钱联络', phone: '0573-85111111' }],
      });
      expect(view).toMatchObject({
        state: 'active.collecting',
        liaisonUserId: newLiaison,
        partnerLiaisons: [{ partnerId: 4, name: '钱联络', phone: '0573-85111111' }],
      });
      await court.refuse('member', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'lecture') }, 403, 'FORBIDDEN');
      await court.do('liaison-new', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'lecture') });
      expect((await court.history(id)).at(-2)).toMatchObject({
        type: 'UPDATE_LIAISONS',
        fromState: 'active.collecting',
        toState: 'active.collecting',
      });
    });

    it('refuses one that names no liaison or gives a key that is no field, and records none that changes nothing', async () => {
      const newLiaison = await court.user('liaison-new', ['member'], court.leadBranch);
      const { id } = await court.driveTo('approved');
      for (const body of [{ type: 'UPDATE_LIAISONS' }, { type: 'UPDATE_LIAISONS', comment: '核对联络员' }]) {
        const res = await court.refuse('secretary', id, body, 400, 'VALIDATION_FAILED');
        expect(res.body.details).toEqual([{ field: 'body', messages: [expect.stringContaining('liaisonUserId, partnerLiaisons')] }]);
      }
      // Keys that name an object's machinery are unknown fields like `foo`, beside a real field or alone: none reaches anything.
      for (const key of ['__proto__', 'constructor', 'prototype', 'foo']) {
        for (const beside of ['', `"liaisonUserId":${newLiaison},`]) {
          const body = JSON.parse(`{"type":"UPDATE_LIAISONS",${beside}"${key}":{"liaisonUserId":${newLiaison},"prototype":{"x":1}}}`);
          expect(Object.keys(body)).toContain(key);
          const res = await court.refuse('secretary', id, body, 400, 'VALIDATION_FAILED');
          expect(res.body.details).toEqual([{ field: key, messages: [`property ${key} should not exist`] }]);
        }
      }
      // Nested in a list's item, as much: named by its path, on an event as on the proposal itself.
      const pairings = await court.list('committee', { pageSize: 1 });
      for (const key of ['__proto__', 'constructor']) {
        const item = `{"partnerId":4,"name":"王联络","phone":"0573-85000001","${key}":{"name":"x"}}`;
        const event = JSON.parse(`{"type":"UPDATE_LIAISONS","partnerLiaisons":[${item}]}`);
        const refused = await court.refuse('secretary', id, event, 400, 'VALIDATION_FAILED');
        expect(refused.body.details).toEqual([{ field: `partnerLiaisons.0.${key}`, messages: [`property ${key} should not exist`] }]);
        const proposal = { ...court.proposal(), partnerLiaisons: [JSON.parse(item)] };
        const created = await t
          .http()
          .post('/api/pairings')
          .set({ Authorization: `Bearer ${await court.token('secretary')}` })
          .send(proposal);
        expect({ status: created.status, details: created.body.details }).toEqual({
          status: 400,
          details: [{ field: `partnerLiaisons.0.${key}`, messages: [`property ${key} should not exist`] }],
        });
      }
      expect((await court.list('committee', { pageSize: 1 })).body.total).toBe(pairings.body.total);
      expect((await court.view('secretary', id)).partnerLiaisons).toEqual([expect.objectContaining({ name: '张联络' })]);
      expect((await court.view('secretary', id)).liaisonUserId).toBe(court.id('member'));

      // What the pairing holds already (its partner liaisons with their keys in another order): 200 with the
      // pairing as it is, as a PATCH that changes nothing — no event, the same version and ETag.
      const before = await court.get('secretary', id);
      const footprint = await court.footprint(id);
      const same = await court.send('secretary', id, {
        type: 'UPDATE_LIAISONS',
        liaisonUserId: before.body.liaisonUserId,
        partnerLiaisons: before.body.partnerLiaisons.map(({ partnerId, name, phone }: Record<string, unknown>) => ({
          phone,
          name,
          partnerId,
        })),
        comment: '核对联络员',
      });
      expect(same.status).toBe(200);
      expect({ version: same.body.version, etag: same.headers.etag }).toEqual({ version: before.body.version, etag: before.headers.etag });
      expect(await court.footprint(id)).toEqual(footprint);
      const alone = await court.send('secretary', id, { type: 'UPDATE_LIAISONS', liaisonUserId: before.body.liaisonUserId });
      expect({ status: alone.status, version: alone.body.version }).toEqual({ status: 200, version: before.body.version });
      expect((await court.history(id)).length).toBe(footprint.events);

      // One field new, the other as it was: recorded, once.
      const changed = await court.do('secretary', id, {
        type: 'UPDATE_LIAISONS',
        liaisonUserId: newLiaison,
        partnerLiaisons: before.body.partnerLiaisons,
      });
      expect(changed).toMatchObject({ liaisonUserId: newLiaison, version: before.body.version + 1 });
      expect((await court.history(id)).at(-1)).toMatchObject({ type: 'UPDATE_LIAISONS', seq: before.body.version + 1 });
    });
  });

  describe('URGE', () => {
    it('is refused unless the pairing waits on the committee', async () => {
      for (const state of ['draft', 'approved', 'active.collecting', 'yearEndReview'] as const) {
        const { id } = await court.driveTo(state);
        const res = await court.refuse('secretary', id, { type: 'URGE' }, 409, 'INVALID_TRANSITION');
        expect(res.body.details).toMatchObject({ state });
      }
    });

    it('works once per 24 hours, bumps the version, and is then listed as blocked with URGED_RECENTLY', async () => {
      const { id, version } = await court.driveTo('proposed');
      await court.refuse('committee', id, { type: 'URGE' }, 403, 'FORBIDDEN');
      let view = await court.do('secretary', id, { type: 'URGE', comment: '请尽快审核' });
      expect(view).toMatchObject({ state: 'proposed', version: version + 1 });
      expect((await court.history(id)).at(-1)).toMatchObject({
        type: 'URGE',
        fromState: 'proposed',
        toState: 'proposed',
        seq: version + 1,
        comment: '请尽快审核',
      });

      const res = await court.refuse('secretary', id, { type: 'URGE' }, 429, 'URGED_RECENTLY');
      expect(res.body.statusCode).toBe(429);
      view = await court.view('secretary', id);
      expect(view.blockedEvents).toEqual([{ type: 'URGE', code: 'URGED_RECENTLY' }]);
      expect(view.availableEvents).not.toContain('URGE');
      expect(view.availableEvents).toContain('RECALL');

      const clock = t.app.get(Clock);
      const later = new Date(Date.now() + DAY_MS + 60_000);
      const spy = jest.spyOn(clock, 'now').mockImplementation(() => later);
      try {
        view = await court.view('secretary', id);
        expect(view.blockedEvents).toEqual([]);
        expect(view.availableEvents).toContain('URGE');
        expect((await court.do('secretary', id, { type: 'URGE' })).version).toBe(version + 2);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('PROPOSAL_INCOMPLETE', () => {
    it.each([
      ['no partners', { partnerIds: [], partnerLiaisons: [] }, 'partnerIds'],
      ['no liaison', { liaisonUserId: null }, 'liaisonUserId'],
      ['no theme', { theme: undefined }, 'theme'],
      ['no practical problem', { problem: undefined }, 'problem'],
      ['no category', { categories: [] }, 'categories'],
    ])('blocks SUBMIT of a draft with %s (422 naming the field, listed in blockedEvents)', async (_, gap, field) => {
      const { id } = await court.create('secretary', gap);
      const view = await court.view('secretary', id);
      expect(view.blockedEvents).toEqual([{ type: 'SUBMIT', code: 'PROPOSAL_INCOMPLETE', missing: [field] }]);
      expect(view.availableEvents).toEqual(['WITHDRAW']);
      const refused = await court.refuse('secretary', id, { type: 'SUBMIT' }, 422, 'PROPOSAL_INCOMPLETE');
      expect(refused.body.details).toEqual({ missing: [field] });
    });

    it('names every field a bare draft still lacks, by its API name (SPEC §10)', async () => {
      const res = await court.send(
        'secretary',
        (
          await court.create('secretary', {
            theme: undefined,
            problem: undefined,
            partnerIds: [],
            partnerLiaisons: [],
            categories: [],
            liaisonUserId: null,
          })
        ).id,
        { type: 'SUBMIT' },
      );
      expect(res.status).toBe(422);
      expect(res.body.details).toEqual({ missing: ['theme', 'problem', 'partnerIds', 'categories', 'liaisonUserId'] });
    });

    it('never finds the title missing: a PATCH may not blank it, as creation may not (SPEC §10)', async () => {
      const { id } = await court.create('secretary', { theme: '' });
      const blanked = await court.expectRefused(id, () => court.patch('secretary', id, { title: '   ' }), 400, 'VALIDATION_FAILED');
      expect(blanked.body.details.map((d: { field: string }) => d.field)).toEqual(['title']);
      expect((await court.view('secretary', id)).blockedEvents).toEqual([
        { type: 'SUBMIT', code: 'PROPOSAL_INCOMPLETE', missing: ['theme'] },
      ]);
      const refused = await court.refuse('secretary', id, { type: 'SUBMIT' }, 422, 'PROPOSAL_INCOMPLETE');
      expect(refused.body.details).toEqual({ missing: ['theme'] });
    });

    it('lets a draft whose liaison was deactivated be edited; SUBMIT waits for a new liaison, and only an active one may be named', async () => {
      const liaison = await court.user('gone-liaison', ['member'], court.branch('立案庭党支部'));
      const { id } = await court.create('secretary', { liaisonUserId: liaison });
      await court.setActive('gone-liaison', false);
      const renamed = await court.patch('secretary', id, { title: '改过名的结对项目' });
      expect({ status: renamed.status, title: renamed.body.title, liaisonUserId: renamed.body.liaisonUserId }).toEqual({
        status: 200,
        title: '改过名的结对项目',
        liaisonUserId: liaison,
      });
      expect((await court.view('secretary', id)).blockedEvents).toEqual([
        { type: 'SUBMIT', code: 'PROPOSAL_INCOMPLETE', missing: ['liaisonUserId'] },
      ]);
      // Naming a deactivated user is still refused, on a draft as on a new proposal.
      const other = await court.user('gone-liaison-2', ['member'], court.branch('立案庭党支部'));
      await court.setActive('gone-liaison-2', false);
      const refused = await court.patch('secretary', id, { liaisonUserId: other });
      expect({ status: refused.status, field: refused.body.details?.[0]?.field }).toEqual({ status: 400, field: 'liaisonUserId' });
      await court.patch('secretary', id, { liaisonUserId: court.id('member') }).then((res) => expect(res.status).toBe(200));
      expect((await court.view('secretary', id)).blockedEvents).toEqual([]);
    });

    it('unblocks SUBMIT once the draft is completed', async () => {
      const { id } = await court.create('secretary', { partnerIds: [], partnerLiaisons: [], liaisonUserId: null });
      await court.patch('secretary', id, { partnerIds: [4] }).then((res) => expect(res.status).toBe(200));
      expect((await court.view('secretary', id)).blockedEvents).toEqual([
        { type: 'SUBMIT', code: 'PROPOSAL_INCOMPLETE', missing: ['liaisonUserId'] },
      ]);
      await court.patch('secretary', id, { liaisonUserId: court.id('member') }).then((res) => expect(res.status).toBe(200));
      const view = await court.view('secretary', id);
      expect(view.blockedEvents).toEqual([]);
      expect(view.availableEvents).toContain('SUBMIT');
      expect((await court.do('secretary', id, { type: 'SUBMIT' })).state).toBe('proposed');
    });

    it('no longer counts a liaison who was deactivated', async () => {
      const liaisonId = await court.user('liaison-leaving', ['member'], court.leadBranch);
      const { id } = await court.create('secretary', { liaisonUserId: liaisonId });
      expect((await court.view('secretary', id)).availableEvents).toContain('SUBMIT');
      await court.setActive('liaison-leaving', false);
      try {
        expect((await court.view('secretary', id)).blockedEvents).toEqual([
          { type: 'SUBMIT', code: 'PROPOSAL_INCOMPLETE', missing: ['liaisonUserId'] },
        ]);
        await court.refuse('secretary', id, { type: 'SUBMIT' }, 422, 'PROPOSAL_INCOMPLETE');
      } finally {
        await court.setActive('liaison-leaving', true);
      }
      expect((await court.do('secretary', id, { type: 'SUBMIT' })).state).toBe('proposed');
    });
  });

  describe('listing', () => {
    it('filters by state, year, branch and text, pages, and shows secretaries only their branches’ pairings', async () => {
      const marker = `清单${Math.random().toString(36).slice(2, 8)}`;
      const title = (n: number) => `${marker} 第${n}号`;
      const lead = court.leadBranch;
      const other = court.otherBranch;
      const ownA = await court.create('secretary', { title: title(1) });
      const ownB = await court.create('secretary', { title: title(2), year: court.year - 1 });
      const proposed = await court.create('secretary', { title: title(3) });
      await court.do('secretary', proposed.id, { type: 'SUBMIT' });
      const otherOnly = await court.create('secretary2', { title: title(4), liaisonUserId: null, partnerIds: [6], partnerLiaisons: [] });
      const joint = await court.create('committee', { title: title(5), leadBranchId: other, coBranchIds: [lead], liaisonUserId: null });
      const all = [ownA, ownB, proposed, otherOnly, joint].map((p) => p.id);

      const ids = async (as: string, query: Record<string, string | number>) => {
        const res = await court.list(as, { q: marker, ...query });
        expect(res.status).toBe(200);
        return res.body.items.map((p: { id: number }) => p.id).sort((a: number, b: number) => a - b);
      };
      const sorted = (list: number[]) => [...list].sort((a, b) => a - b);

      expect(await ids('committee', {})).toEqual(sorted(all));
      expect(await ids('leader', {})).toEqual(sorted(all));
      expect(await ids('committee', { state: 'proposed' })).toEqual([proposed.id]);
      expect(await ids('committee', { state: 'draft' })).toEqual(sorted([ownA.id, ownB.id, otherOnly.id, joint.id]));
      expect(await ids('committee', { year: court.year - 1 })).toEqual([ownB.id]);
      expect(await ids('committee', { branchId: other })).toEqual(sorted([otherOnly.id, joint.id]));
      expect(await ids('committee', { branchId: lead })).toEqual(sorted([ownA.id, ownB.id, proposed.id, joint.id]));
      expect(await ids('committee', { q: title(4) })).toEqual([otherOnly.id]);
      expect(await ids('committee', { q: ownA.code })).toEqual([ownA.id]);

      // A secretary (and a member) sees the pairings their branch leads or joins.
      expect(await ids('secretary', {})).toEqual(sorted([ownA.id, ownB.id, proposed.id, joint.id]));
      expect(await ids('member', {})).toEqual(sorted([ownA.id, ownB.id, proposed.id, joint.id]));
      expect(await ids('secretary2', {})).toEqual(sorted([otherOnly.id, joint.id]));
      expect(await ids('secretary', { branchId: other })).toEqual([joint.id]);
      expect((await court.get('secretary', otherOnly.id)).status).toBe(404);
      expect((await court.get('secretary', joint.id)).status).toBe(200);
      expect((await court.get('secretary2', ownA.id)).status).toBe(404);
      const hidden = await t
        .http()
        .get(`/api/pairings/${ownA.id}/history`)
        .set({ Authorization: `Bearer ${await court.token('secretary2')}` });
      expect(hidden.status).toBe(404);

      const pages = [];
      for (const page of [1, 2, 3]) {
        const res = await court.list('committee', { q: marker, page, pageSize: 2 });
        expect(res.body).toMatchObject({ total: 5, page, pageSize: 2 });
        pages.push(res.body.items.map((p: { id: number }) => p.id));
      }
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(sorted(pages.flat())).toEqual(sorted(all));
      const first = (await court.list('committee', { q: marker, pageSize: 2 })).body.items[0];
      expect(first).toMatchObject({ code: expect.any(String), state: expect.any(String), availableEvents: expect.any(Array) });

      const running = await court.driveTo('active.reportSubmitted', { create: { title: `${marker} 运行中` } });
      expect(await ids('committee', { state: 'active' })).toEqual([running.id]);
      expect(await ids('committee', { state: 'active.reportSubmitted' })).toEqual([running.id]);
      expect(await ids('committee', { state: 'active.collecting' })).toEqual([]);

      expect((await court.list('committee', { pageSize: 101 })).status).toBe(400);
      // A page far past any list's end is refused by name, not passed on as an offset the database cannot take.
      const farPage = await court.list('committee', { page: '99999999999999999999999' });
      expect(farPage.status).toBe(400);
      expect(farPage.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'page' }] });
      expect((await court.list('committee', { q: marker, page: 1_000_000 })).body).toMatchObject({ items: [], total: 6, page: 1_000_000 });
      expect((await court.list('committee', { state: 'nonsense' })).status).toBe(400);
    });

    it('searches for % and _ literally', async () => {
      const marker = Math.random().toString(36).slice(2, 8);
      const percent = await court.create('secretary', { title: `化解率提升100%_!${marker}` });
      const plain = await court.create('secretary', { title: `化解率提升1000x${marker}` });
      const found = async (q: string) =>
        (await court.list('committee', { q })).body.items
          .map((p: { id: number }) => p.id)
          .filter((id: number) => [percent.id, plain.id].includes(id));
      expect(await found(`100%_!${marker}`)).toEqual([percent.id]);
      expect(await found(`_!${marker}`)).toEqual([percent.id]);
      expect(await found(`%_!${marker}`)).toEqual([percent.id]);
      expect(await found(`100_x${marker}`)).toEqual([]);
    });

    it('serves the workflow definition with every state in its mermaid diagram', async () => {
      const res = await t
        .http()
        .get('/api/workflows/pairing')
        .set({ Authorization: `Bearer ${await court.token('member')}` })
        .expect(200);
      expect(res.body).toMatchObject({ version: expect.any(Number), mermaid: expect.stringContaining('stateDiagram') });
      expect(res.body.states).toEqual([...DRIVABLE_STATES]);
      expect(res.body.events).toEqual(expect.arrayContaining(['SUBMIT', 'APPROVE_REVIEW', 'URGE', 'QUARTER_OVERDUE']));
      for (const state of DRIVABLE_STATES) expect(res.body.mermaid).toContain(state);
    });
  });
});
