import { PairingsService } from '../src/pairings/pairings.service';
import { activity, auth, Court, DRIVABLE_STATES, DrivableState, expectWellFormedHistory, PairingView } from './support/pairing-flow';
import { engines, startTestApp, TestApp } from './support/test-app';

const FINAL: DrivableState[] = ['scored', 'withdrawn', 'rejected', 'terminated'];

/**
 * SPEC §5 and §12: a new machine version never breaks pairings already running. Version 1 pairings are rows
 * that say `workflowVersion: 1` from their creation on, as every pairing made before version 2 does; each test
 * drives them through the API after version 2 exists.
 */
describe.each(engines())('Workflow versions on %s', (engine) => {
  let t: TestApp;
  let court: Court;

  beforeAll(async () => {
    t = await startTestApp(engine);
    court = await Court.open(t);
    for (const user of ['secretary', 'committee', 'auditor', 'member', 'partner']) await court.token(user);
  });
  afterAll(() => t.close());

  describe('GET /api/workflows/pairing', () => {
    it('serves the newest version without ?version, and each version with its own events and diagram', async () => {
      const token = await court.token('secretary');
      const newest = await t.http().get('/api/workflows/pairing').set(auth(token)).expect(200);
      const v3 = await t.http().get('/api/workflows/pairing?version=3').set(auth(token)).expect(200);
      const v2 = await t.http().get('/api/workflows/pairing?version=2').set(auth(token)).expect(200);
      const v1 = await t.http().get('/api/workflows/pairing?version=1').set(auth(token)).expect(200);
      expect(newest.body).toEqual(v3.body);
      expect(v3.body).toMatchObject({ version: 3, newest: 3, versions: [1, 2, 3], migratesTo: null });
      expect(v2.body).toMatchObject({ version: 2, newest: 3, migratesTo: 3 });
      expect(v1.body).toMatchObject({ version: 1, newest: 3, migratesTo: 2 });
      for (const partnerSide of [v2, v3])
        expect(partnerSide.body.events).toEqual(
          expect.arrayContaining(['COUNTERSIGN_AGREEMENT', 'CONFIRM_ACTIVITY', 'EVALUATE_PARTNERSHIP']),
        );
      expect(v3.body.events).not.toContain('MIGRATE_WORKFLOW');
      expect(v2.body.events).toContain('MIGRATE_WORKFLOW');
      expect(v1.body.events).toContain('MIGRATE_WORKFLOW');
      expect(v1.body.events).not.toContain('COUNTERSIGN_AGREEMENT');
      expect(v2.body.mermaid).toContain('agreementSigned --> agreementSigned : COUNTERSIGN_AGREEMENT');
      expect(v1.body.mermaid).not.toContain('COUNTERSIGN_AGREEMENT');
      expect(v1.body.mermaid).toContain('MIGRATE_WORKFLOW');
      for (const bad of ['4', '0', 'two']) {
        const res = await t.http().get(`/api/workflows/pairing?version=${bad}`).set(auth(token)).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  it('starts new pairings on version 3', async () => {
    expect((await court.create('secretary')).workflowVersion).toBe(3);
  });

  describe.each(DRIVABLE_STATES)('a version 1 pairing in %s', (state) => {
    it('is restored under version 1, refuses the partner side, and (unless final) moves to version 2 with MIGRATE_WORKFLOW', async () => {
      const driven = await court.driveTo(state, { workflowVersion: 1 });
      const id: number = driven.id;
      const restored = await court.view('committee', id);
      expect(restored).toMatchObject({ state, workflowVersion: 1 });
      const final = FINAL.includes(state);
      expect(restored.availableEvents.includes('MIGRATE_WORKFLOW')).toBe(!final);
      expect((await court.view('secretary', id)).availableEvents).not.toContain('COUNTERSIGN_AGREEMENT');

      // Version 1 has no partner side: the right sender is told the state does not take it.
      const paper = { type: 'COUNTERSIGN_AGREEMENT', partnerId: 4, attachmentIds: [1] };
      await court.refuse('secretary', id, paper, 409, 'INVALID_TRANSITION');
      if (!['draft', 'proposed', 'returned', 'withdrawn', 'rejected'].includes(state)) {
        await court.refuse('partner', id, { type: 'CONFIRM_ACTIVITY', activityId: 1 }, 409, 'INVALID_TRANSITION');
      }

      const migrate = { type: 'MIGRATE_WORKFLOW', toVersion: 2, comment: '启用共建单位会签' };
      if (final) {
        await court.refuse('committee', id, migrate, 409, 'INVALID_TRANSITION');
        return;
      }
      await court.refuse('secretary', id, migrate, 403, 'FORBIDDEN');
      await court.refuse('committee', id, { type: 'MIGRATE_WORKFLOW', toVersion: 2 }, 400, 'VALIDATION_FAILED');
      const wrong = await court.refuse('committee', id, { ...migrate, toVersion: 3 }, 422, 'MIGRATION_TARGET_INVALID');
      expect(wrong.body.details).toEqual({ toVersion: 2 });

      const moved = await court.do('committee', id, migrate);
      expect(moved).toMatchObject({ state, workflowVersion: 2, version: restored.version + 1 });
      expect(moved.compliance).toEqual(restored.compliance);
      expect(moved.quarterScores).toEqual(restored.quarterScores);
      const history = await court.history(id);
      expectWellFormedHistory(history, moved.version);
      expect(history.at(-1)).toMatchObject({
        type: 'MIGRATE_WORKFLOW',
        fromState: state,
        toState: state,
        actorId: String(court.id('committee')),
        payload: { fromVersion: 1, toVersion: 2 },
        comment: '启用共建单位会签',
      });
      // Read back from the database by a fresh restore (not from the cache), it runs on version 2 now.
      const [row] = await t.dataSource.query('SELECT `workflow_version` AS v FROM `pairing` WHERE `id` = ?', [id]);
      expect(Number(row.v)).toBe(2);
      // Once on version 2, it moves on only to version 3.
      const again = await court.refuse('committee', id, migrate, 422, 'MIGRATION_TARGET_INVALID');
      expect(again.body.details).toEqual({ toVersion: 3 });
      const secretaryView = await court.view('secretary', id);
      const partnerSide = ['agreementSigned', 'planFiled', 'active.collecting', 'active.reportSubmitted', 'yearEndReview', 'underReview'];
      expect(secretaryView.availableEvents.includes('COUNTERSIGN_AGREEMENT')).toBe(partnerSide.includes(state));
    });
  });

  it('runs every event of version 1 on version 1 pairings after version 2 exists', async () => {
    // driveTo above sent SUBMIT, APPROVE, RETURN, REJECT, WITHDRAW, SIGN_AGREEMENT, FILE_PLAN, ACCEPT_PLAN,
    // RECORD_ACTIVITY, SUBMIT_QUARTER_REPORT, SCORE_QUARTER, SUBMIT_REVIEW, APPROVE_REVIEW and TERMINATE; here the rest.
    const proposed = await court.driveTo('proposed', { workflowVersion: 1 });
    expect((await court.do('secretary', proposed.id, { type: 'URGE' })).workflowVersion).toBe(1);
    await court.refuse('secretary', proposed.id, { type: 'URGE' }, 429, 'URGED_RECENTLY');
    const liaisons = { type: 'UPDATE_LIAISONS', partnerLiaisons: [{ partnerId: 4, name: '钱联络', phone: '0573-85001234' }] };
    expect((await court.do('secretary', proposed.id, liaisons)).partnerLiaisons).toEqual(liaisons.partnerLiaisons);
    expect((await court.do('secretary', proposed.id, { type: 'RECALL' })).state).toBe('draft');

    const active = await court.driveTo('active.collecting', { workflowVersion: 1 });
    const recorded = await court.do('secretary', active.id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'lecture') });
    const activityId = recorded.activities.at(-1).id;
    const voided = await court.do('secretary', active.id, { type: 'VOID_ACTIVITY', activityId, comment: '重复登记' });
    expect(voided.activities.at(-1)).toMatchObject({ id: activityId, voided: true });
    expect(voided.workflowVersion).toBe(1);
    // The system's event, judged by version 1's rule: the plan was accepted after Q4 of last year ended.
    const system = t.app.get(PairingsService);
    await expect(system.sendAsSystem(active.id, 'QUARTER_OVERDUE', { quarter: 4 })).rejects.toMatchObject({
      code: 'QUARTER_NOT_OVERDUABLE',
    });
    expect((await court.view('committee', active.id)).workflowVersion).toBe(1);
    expectWellFormedHistory(await court.history(active.id), (await court.view('committee', active.id)).version);
  });

  describe('URGE (SPEC §10)', () => {
    const blockedUrge = (view: PairingView): string | null =>
      (view.blockedEvents as { type: string; code: string }[]).find((blocked) => blocked.type === 'URGE')?.code ?? null;

    it('is limited once a day per waiting step on version 3: a resubmission or the plan may be urged at once', async () => {
      const proposed = await court.driveTo('proposed');
      const id: number = proposed.id;
      expect(proposed.workflowVersion).toBe(3);
      await court.do('secretary', id, { type: 'URGE' });
      await court.refuse('secretary', id, { type: 'URGE' }, 429, 'URGED_RECENTLY');
      expect(blockedUrge(await court.view('secretary', id))).toBe('URGED_RECENTLY');

      // Returned and resubmitted: a new step, offered and urged at once, then limited again.
      await court.do('committee', id, { type: 'RETURN', comment: '请补充实际问题' });
      const resubmitted = await court.do('secretary', id, { type: 'SUBMIT' });
      expect(resubmitted.availableEvents).toContain('URGE');
      expect(blockedUrge(resubmitted)).toBeNull();
      await court.do('secretary', id, { type: 'URGE', comment: '已按意见修改，请审核' });
      const urged = await court.refuse('secretary', id, { type: 'URGE' }, 429, 'URGED_RECENTLY');
      expect(urged.body.message).toMatch(/24 hours/);

      // Approved, agreement signed, plan filed: the plan's step is new too.
      await court.do('committee', id, { type: 'APPROVE' });
      const agreement = await court.driveTo('planFiled');
      await court.do('secretary', agreement.id, { type: 'URGE' });
      await court.refuse('secretary', agreement.id, { type: 'URGE' }, 429, 'URGED_RECENTLY');
      const history = await court.history(id);
      expect(history.filter((event: { type: string }) => event.type === 'URGE')).toHaveLength(2);
    });

    it('stays once a day per pairing on version 2 until the committee moves the pairing to version 3', async () => {
      const proposed = await court.driveTo('proposed', { workflowVersion: 2 });
      const id: number = proposed.id;
      await court.do('secretary', id, { type: 'URGE' });
      await court.do('committee', id, { type: 'RETURN', comment: '请补充实际问题' });
      const resubmitted = await court.do('secretary', id, { type: 'SUBMIT' });
      expect(resubmitted.workflowVersion).toBe(2);
      expect(blockedUrge(resubmitted)).toBe('URGED_RECENTLY');
      await court.refuse('secretary', id, { type: 'URGE' }, 429, 'URGED_RECENTLY');

      const moved = await court.do('committee', id, { type: 'MIGRATE_WORKFLOW', toVersion: 3, comment: '催办按环节计算' });
      expect(moved).toMatchObject({ state: 'proposed', workflowVersion: 3, version: resubmitted.version + 1 });
      expect((await court.history(id)).at(-1)).toMatchObject({
        type: 'MIGRATE_WORKFLOW',
        payload: { fromVersion: 2, toVersion: 3 },
      });
      // The step began with the resubmission, after the urge: on version 3 it may be urged now.
      expect(blockedUrge(await court.view('secretary', id))).toBeNull();
      await court.do('secretary', id, { type: 'URGE' });
      await court.refuse('secretary', id, { type: 'URGE' }, 429, 'URGED_RECENTLY');
      await court.refuse('committee', id, { type: 'MIGRATE_WORKFLOW', toVersion: 4, comment: '无' }, 409, 'INVALID_TRANSITION');
    });
  });

  it('lets the secretary record a paper countersignature once a pairing has moved to version 2', async () => {
    const signed = await court.driveTo('agreementSigned', { workflowVersion: 1 });
    await court.do('committee', signed.id, { type: 'MIGRATE_WORKFLOW', toVersion: 2, comment: '启用会签' });
    const scan = await t
      .http()
      .post('/api/attachments')
      .set(auth(await court.token('secretary')))
      .attach('file', Buffer.from('%PDF-1.4 countersigned'), { filename: '会签页.pdf', contentType: 'application/pdf' })
      .expect(201);
    const view = await court.do('secretary', signed.id, { type: 'COUNTERSIGN_AGREEMENT', partnerId: 4, attachmentIds: [scan.body.id] });
    expect(view.agreement.countersignatures).toEqual([
      expect.objectContaining({ partnerId: 4, paper: true, attachmentIds: [scan.body.id], countersignedBy: court.id('secretary') }),
    ]);
  });
});
