import { NotificationProcessor } from '../src/jobs/notifications/notification.processor';
import { PairingEventJob } from '../src/jobs/notifications/pairing-event.job';
import { notificationRows, outboxRows } from './support/jobs';
import { settleJobs } from './support/test-app';
import { auditHash } from '../src/audit/canonical-json';
import {
  activity,
  agreement,
  auth,
  AuditEventView,
  Court,
  expectWellFormedHistory,
  plan,
  quarterReport,
  review,
} from './support/pairing-flow';
import { engines, startTestApp, TestApp } from './support/test-app';

/** SPEC §12: the partner side signs too — partner users, countersignatures, confirmations and evaluations. */
describe.each(engines())('The partner side on %s', (engine) => {
  let t: TestApp;
  let court: Court;
  // The demo partner user speaks for partner 4 (平湖市社会治理中心党支部), the partner of court.proposal().
  const OWN = 4;
  const OTHER = 5;

  beforeAll(async () => {
    t = await startTestApp(engine);
    court = await Court.open(t);
    await court.partnerUser('partner-other', OTHER);
    for (const user of ['secretary', 'committee', 'auditor', 'member', 'partner', 'partner-other', 'admin']) await court.token(user);
  });
  afterAll(() => t.close());

  /** What the pairing list offers this user on one pairing (the code is unique). */
  async function offeredInList(user: string, id: number): Promise<{ availableEvents: string[]; blockedEvents: unknown[] }> {
    const { code } = await court.view('committee', id);
    const res = await t
      .http()
      .get(`/api/pairings?q=${encodeURIComponent(code)}`)
      .set(auth(await court.token(user)))
      .expect(200);
    const [item] = res.body.items.filter((p: { id: number }) => p.id === id);
    return { availableEvents: item.availableEvents, blockedEvents: item.blockedEvents };
  }

  async function upload(user: string): Promise<number> {
    const res = await t
      .http()
      .post('/api/attachments')
      .set(auth(await court.token(user)))
      .attach('file', Buffer.from(`%PDF-1.4 ${Math.random()}`), { filename: '协议会签页.pdf', contentType: 'application/pdf' })
      .expect(201);
    return res.body.id;
  }

  describe('partner users', () => {
    it('are created by the admin, tied to one existing partner, and hold no other role or branch', async () => {
      const admin = auth(await court.token('admin'));
      const base = { displayName: '共建单位联络人', password: 'Partner@2026' };
      const made = await t
        .http()
        .post('/api/users')
        .set(admin)
        .send({ ...base, username: 'liaison-6', roles: ['partner'], partnerId: 6 })
        .expect(201);
      expect(made.body).toMatchObject({ roles: ['partner'], partnerId: 6, branchId: null });
      const refused = [
        { username: 'p-a', roles: ['partner'] },
        { username: 'p-b', roles: ['partner'], partnerId: 999 },
        { username: 'p-c', roles: ['partner', 'secretary'], partnerId: 6, branchId: court.leadBranch },
        { username: 'p-d', roles: ['member'], partnerId: 6, branchId: court.leadBranch },
      ];
      for (const body of refused) {
        const res = await t
          .http()
          .post('/api/users')
          .set(admin)
          .send({ ...base, ...body });
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      }
      const me = await t
        .http()
        .get('/api/auth/me')
        .set(auth(await court.token('partner')));
      expect(me.body).toMatchObject({ roles: ['partner'], partnerId: OWN });
      const byPartner = await t
        .http()
        .post('/api/users')
        .set(auth(await court.token('partner')))
        .send({ ...base, username: 'p-e', roles: ['partner'], partnerId: OWN });
      expect(byPartner.status).toBe(403);
    });

    it('see only their partner’s pairings, and only from approval on (404 otherwise)', async () => {
      const draft = await court.create('secretary');
      const proposed = await court.driveTo('proposed');
      const returned = await court.driveTo('returned');
      const approved = await court.driveTo('approved');
      const elsewhere = await court.driveTo('approved', { create: { partnerIds: [OTHER], partnerLiaisons: [] } });
      for (const hidden of [draft, proposed, returned, elsewhere]) {
        expect((await court.get('partner', hidden.id)).status).toBe(404);
        const history = await t
          .http()
          .get(`/api/pairings/${hidden.id}/history`)
          .set(auth(await court.token('partner')));
        expect(history.status).toBe(404);
      }
      expect((await court.view('partner', approved.id)).state).toBe('approved');
      expect((await court.get('partner-other', approved.id)).status).toBe(404);
      expect((await court.view('partner-other', elsewhere.id)).state).toBe('approved');

      const listed = await court.list('partner', { pageSize: 100 });
      const ids: number[] = listed.body.items.map((p: { id: number }) => p.id);
      expect(ids).toContain(approved.id);
      for (const hidden of [draft, proposed, returned, elsewhere]) expect(ids).not.toContain(hidden.id);
      for (const item of listed.body.items) expect(item.partnerIds).toContain(OWN);
      expect(listed.body.total).toBe(ids.length);
    });
  });

  it('never see a pairing that ended before approval, on any route, as one that does not exist; one terminated after approval they read', async () => {
    const asProposal = await court.driveTo('proposed');
    await court.do('committee', asProposal.id, { type: 'TERMINATE', comment: '共建单位撤并' });
    const asReturned = await court.driveTo('returned');
    await court.do('committee', asReturned.id, { type: 'TERMINATE', comment: '共建单位撤并' });
    const withdrawn = await court.driveTo('withdrawn');
    const rejected = await court.driveTo('rejected');
    const afterApproval = await court.driveTo('terminated');
    const hidden = [asProposal.id, asReturned.id, withdrawn.id, rejected.id];
    // No event before approval takes evidence; one linked anyway must stay as hidden as its pairing.
    const evidence = new Map<number, number>();
    for (const id of [...hidden, afterApproval.id]) {
      const upload = await t
        .http()
        .post('/api/attachments')
        .set(auth(await court.token('secretary')))
        .attach('file', Buffer.from(`%PDF-1.4 ${id}`), { filename: '会议纪要.pdf', contentType: 'application/pdf' })
        .expect(201);
      await t.dataSource.query('UPDATE `attachment` SET `pairing_id` = ? WHERE `id` = ?', [id, upload.body.id]);
      evidence.set(id, upload.body.id);
    }
    const partner = auth(await court.token('partner'));
    const answer = async (path: string) => {
      const res = await t.http().get(path).set(partner);
      return { status: res.status, code: res.body?.code };
    };
    const routes = (id: number) => ['', '/history', '/revisions', '/people', '/dossier'].map((tail) => `/api/pairings/${id}${tail}`);
    const missing = 987654;
    for (const id of hidden) {
      for (const [i, path] of routes(id).entries()) {
        expect({ path, ...(await answer(path)) }).toEqual({ path, ...(await answer(routes(missing)[i])) });
      }
      expect(await answer(`/api/attachments/${evidence.get(id)}`)).toEqual({ status: 404, code: 'NOT_FOUND' });
      for (const body of [{ type: 'CONFIRM_ACTIVITY', activityId: 1 }, { type: 'COUNTERSIGN_AGREEMENT' }, { type: 'APPROVE' }]) {
        await court.refuse('partner', id, body, 404, 'NOT_FOUND');
      }
      // The court's own readers still see it.
      expect((await court.view('committee', id)).id).toBe(id);
    }
    expect((await answer(routes(missing)[0])).status).toBe(404);

    expect((await court.view('partner', afterApproval.id)).state).toBe('terminated');
    for (const path of routes(afterApproval.id).slice(1, 4)) expect((await answer(path)).status).toBe(200);
    expect(await answer(`/api/attachments/${evidence.get(afterApproval.id)}`)).toEqual({ status: 200, code: undefined });
    await court.refuse('partner', afterApproval.id, { type: 'CONFIRM_ACTIVITY', activityId: 1 }, 409, 'INVALID_TRANSITION');

    for (const query of [{ pageSize: 100 }, { pageSize: 100, state: 'terminated' }] as Record<string, string | number>[]) {
      const listed = await court.list('partner', query);
      const ids: number[] = listed.body.items.map((p: { id: number }) => p.id);
      expect(ids).toContain(afterApproval.id);
      for (const id of hidden) expect(ids).not.toContain(id);
      expect(listed.body.total).toBe(ids.length);
    }
    const tasks = await court.tasks('partner');
    for (const id of hidden) expect(tasks.filter((task) => task.pairingId === id)).toEqual([]);
  });

  it('read the proposal as approved, not the revisions returned before it', async () => {
    const { id } = await court.driveTo('returned');
    await court.patch('secretary', id, { problem: '家事纠纷诉前化解率低于全市平均' }).then((res) => expect(res.status).toBe(200));
    await court.do('secretary', id, { type: 'SUBMIT' });
    await court.do('committee', id, { type: 'APPROVE' });
    const read = async (as: string) =>
      (
        await t
          .http()
          .get(`/api/pairings/${id}/revisions`)
          .set(auth(await court.token(as)))
          .expect(200)
      ).body;
    expect((await read('committee')).map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    const mine = await read('partner');
    expect(mine).toEqual([
      expect.objectContaining({
        revision: 2,
        changes: [],
        proposal: expect.objectContaining({ problem: '家事纠纷诉前化解率低于全市平均' }),
      }),
    ]);
  });

  it('read the history from the approval on, and of the partners’ evaluations only their own; the people it names likewise', async () => {
    await court.user('committee-early', ['committee']);
    // Started under version 1, returned twice, moved to version 2 while returned, resubmitted and urged:
    // none of that is the partners' to read, nor who did it.
    const { id } = await court.driveTo('returned', { workflowVersion: 1, create: { partnerIds: [OWN, OTHER], partnerLiaisons: [] } });
    await court.do('committee', id, { type: 'MIGRATE_WORKFLOW', toVersion: 2, comment: '启用共建单位会签' });
    await court.patch('secretary', id, { problem: '家事纠纷诉前化解率低于全市平均' }).then((res) => expect(res.status).toBe(200));
    await court.do('secretary', id, { type: 'SUBMIT' });
    await court.do('committee-early', id, { type: 'RETURN', comment: '目标仍需量化' });
    await court.patch('secretary', id, { goals: '诉前化解率提升十五个百分点' }).then((res) => expect(res.status).toBe(200));
    await court.do('secretary', id, { type: 'SUBMIT' });
    await court.do('secretary', id, { type: 'URGE', comment: '请尽快审批' });
    await court.do('committee', id, { type: 'APPROVE' });
    await court.do('secretary', id, { type: 'SIGN_AGREEMENT', ...agreement(court.year) });
    await court.do('secretary', id, { type: 'FILE_PLAN', ...plan(court.year, 4) });
    await court.do('committee', id, { type: 'ACCEPT_PLAN' });
    expect((await court.runQuarter(id, 4, 90)).state).toBe('yearEndReview');
    await court.do('partner', id, { type: 'EVALUATE_PARTNERSHIP', rating: 4, comment: '联席会议务实' });
    await court.do('partner-other', id, { type: 'EVALUATE_PARTNERSHIP', rating: 2, comment: '活动偏少' });

    const whole = await court.history(id, 'committee');
    expectWellFormedHistory(whole, (await court.view('committee', id)).version);
    expect(whole.map((e) => e.type)).toEqual(expect.arrayContaining(['CREATE', 'EDIT', 'SUBMIT', 'RETURN', 'URGE', 'MIGRATE_WORKFLOW']));
    const [approval] = whole.filter((e) => e.type === 'APPROVE');
    const historyOf = async (user: string): Promise<AuditEventView[]> =>
      (
        await t
          .http()
          .get(`/api/pairings/${id}/history`)
          .set(auth(await court.token(user)))
          .expect(200)
      ).body;
    const afterApproval = ['APPROVE', 'SIGN_AGREEMENT', 'FILE_PLAN', 'ACCEPT_PLAN', 'RECORD_ACTIVITY', 'RECORD_ACTIVITY'];
    const tail = [...afterApproval, 'SUBMIT_QUARTER_REPORT', 'SCORE_QUARTER', 'EVALUATE_PARTNERSHIP'];
    for (const [user, partnerId] of [
      ['partner', OWN],
      ['partner-other', OTHER],
    ] as const) {
      const mine = await historyOf(user);
      expect(mine.map((e) => e.type)).toEqual(tail);
      expect(mine[0]).toEqual(approval);
      expect(mine.at(-1)).toMatchObject({ payload: { partnerId } });
      // Left out, never altered: each event is the committee's, exactly as hashed, and recomputes.
      for (const event of mine) {
        expect(event).toEqual(whole.find((e) => e.seq === event.seq));
        const { hash, ...hashed } = event;
        expect(auditHash(hashed)).toBe(hash);
      }
    }
    // The other roles read the whole chain, evaluations included.
    for (const user of ['auditor', 'secretary', 'member']) expect(await historyOf(user)).toEqual(whole);

    const people = async (user: string) =>
      (
        await t
          .http()
          .get(`/api/pairings/${id}/people`)
          .set(auth(await court.token(user)))
          .expect(200)
      ).body.map((p: { id: number }) => p.id);
    expect(await people('committee')).toEqual(expect.arrayContaining([court.id('committee-early'), court.id('partner-other')]));
    const named = await people('partner');
    expect(named).toEqual(expect.arrayContaining([court.id('secretary'), court.id('committee'), court.id('partner')]));
    expect(named).not.toContain(court.id('committee-early'));
    expect(named).not.toContain(court.id('partner-other'));
  });

  describe('COUNTERSIGN_AGREEMENT', () => {
    it('is the partner’s once from the signed agreement on; wrong partner 404, wrong role 403, wrong state 409, twice 422', async () => {
      const approved = await court.driveTo('approved');
      const id: number = approved.id;
      const countersign = { type: 'COUNTERSIGN_AGREEMENT', comment: '已盖章会签' };
      await court.refuse('partner', id, countersign, 409, 'INVALID_TRANSITION');
      await court.do('secretary', id, { type: 'SIGN_AGREEMENT', ...agreement(court.year) });

      expect((await court.view('partner', id)).availableEvents).toEqual(['COUNTERSIGN_AGREEMENT', 'CONFIRM_ACTIVITY']);
      expect(await offeredInList('partner', id)).toEqual({
        availableEvents: ['COUNTERSIGN_AGREEMENT', 'CONFIRM_ACTIVITY'],
        blockedEvents: [],
      });
      await court.refuse('partner-other', id, countersign, 404, 'NOT_FOUND');
      for (const user of ['committee', 'member', 'auditor']) await court.refuse(user, id, countersign, 403, 'FORBIDDEN');
      await court.refuse('partner', id, { ...countersign, partnerId: OTHER }, 400, 'VALIDATION_FAILED');

      const view = await court.do('partner', id, countersign);
      expect(view.state).toBe('agreementSigned');
      expect(view.agreement.countersignatures).toEqual([
        {
          partnerId: OWN,
          paper: false,
          attachmentIds: [],
          comment: '已盖章会签',
          countersignedBy: court.id('partner'),
          countersignedAt: expect.any(String),
        },
      ]);
      expect(view.availableEvents).toEqual(['CONFIRM_ACTIVITY']);
      expect(view.blockedEvents).toEqual([{ type: 'COUNTERSIGN_AGREEMENT', code: 'ALREADY_COUNTERSIGNED' }]);
      // The list says the same as the pairing's page.
      expect(await offeredInList('partner', id)).toEqual({ availableEvents: view.availableEvents, blockedEvents: view.blockedEvents });
      const refused = await court.refuse('partner', id, countersign, 422, 'ALREADY_COUNTERSIGNED');
      expect(refused.body.message).toEqual(expect.any(String));
      // A 409 offers what the page offers the same user: not the countersignature already given.
      for (const [user, body] of [
        ['partner', { type: 'EVALUATE_PARTNERSHIP', rating: 4, comment: '尚未到年终' }],
        ['secretary', { type: 'SUBMIT' }],
      ] as const) {
        const wrongState = await court.refuse(user, id, body, 409, 'INVALID_TRANSITION');
        expect(wrongState.body.details).toEqual({
          state: 'agreementSigned',
          availableEvents: (await court.view(user, id)).availableEvents,
        });
      }
      const history = await court.history(id);
      expect(history.at(-1)).toMatchObject({
        type: 'COUNTERSIGN_AGREEMENT',
        fromState: 'agreementSigned',
        toState: 'agreementSigned',
        actorId: String(court.id('partner')),
        payload: { partnerId: OWN, paper: false, attachmentIds: [] },
      });
      // The committee sees it, and the history is readable by the partner.
      expect((await court.view('committee', id)).agreement.countersignatures).toHaveLength(1);
      const own = await t
        .http()
        .get(`/api/pairings/${id}/history`)
        .set(auth(await court.token('partner')))
        .expect(200);
      expect(own.body.at(-1).type).toBe('COUNTERSIGN_AGREEMENT');
    });

    it('is recorded by the lead secretary for a partner without an account, from the signed scan', async () => {
      const { id } = await court.driveTo('agreementSigned', { create: { partnerIds: [OWN, OTHER], partnerLiaisons: [] } });
      const paper = { type: 'COUNTERSIGN_AGREEMENT', partnerId: OTHER };
      await court.refuse('secretary', id, paper, 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', id, { ...paper, partnerId: 7, attachmentIds: [await upload('secretary')] }, 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', id, { ...paper, attachmentIds: [await upload('committee')] }, 422, 'ATTACHMENT_NOT_FOUND');
      const scan = await upload('secretary');
      const view = await court.do('secretary', id, { ...paper, attachmentIds: [scan] });
      expect(view.agreement.countersignatures).toEqual([
        expect.objectContaining({ partnerId: OTHER, paper: true, attachmentIds: [scan], countersignedBy: court.id('secretary') }),
      ]);
      await court.refuse('secretary', id, { ...paper, attachmentIds: [await upload('secretary')] }, 422, 'ALREADY_COUNTERSIGNED');
      // The other partner still countersigns for itself.
      const both = await court.do('partner', id, { type: 'COUNTERSIGN_AGREEMENT' });
      expect(both.agreement.countersignatures.map((c: { partnerId: number }) => c.partnerId)).toEqual([OTHER, OWN]);
    });
  });

  describe('CONFIRM_ACTIVITY', () => {
    it('marks an activity 双方确认 once per partner; never a void or unknown one', async () => {
      const { id } = await court.driveTo('active.collecting');
      let view = await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'joint_meeting') });
      const meeting: number = view.activities.at(-1).id;
      expect(view.activities.at(-1)).toMatchObject({ confirmedByPartner: false, confirmations: [] });
      view = await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'lecture', 18) });
      const lecture: number = view.activities.find((a: { kind: string }) => a.kind === 'lecture').id;
      await court.do('secretary', id, { type: 'VOID_ACTIVITY', activityId: lecture, comment: '误登' });

      const confirm = { type: 'CONFIRM_ACTIVITY', activityId: meeting };
      await court.refuse('secretary', id, confirm, 403, 'FORBIDDEN');
      await court.refuse('partner-other', id, confirm, 404, 'NOT_FOUND');
      await court.refuse('partner', id, { type: 'CONFIRM_ACTIVITY' }, 400, 'VALIDATION_FAILED');
      const tasks = await court.tasks('partner', id);
      expect(tasks).toEqual([
        expect.objectContaining({ kind: 'COUNTERSIGN_AGREEMENT', waitsOn: 'partner' }),
        expect.objectContaining({ kind: 'CONFIRM_ACTIVITY', activityId: meeting }),
      ]);
      view = await court.do('partner', id, confirm);
      expect(view.activities.find((a: { id: number }) => a.id === meeting)).toMatchObject({
        confirmedByPartner: true,
        confirmations: [{ partnerId: OWN, comment: null, confirmedBy: court.id('partner'), confirmedAt: expect.any(String) }],
      });
      expect((await court.tasks('partner', id)).map((task) => task.kind)).toEqual(['COUNTERSIGN_AGREEMENT']);
      await court.refuse('partner', id, confirm, 422, 'ACTIVITY_ALREADY_CONFIRMED');
      await court.refuse('partner', id, { type: 'CONFIRM_ACTIVITY', activityId: lecture }, 422, 'ACTIVITY_NOT_CONFIRMABLE');
      await court.refuse('partner', id, { type: 'CONFIRM_ACTIVITY', activityId: 999999 }, 422, 'ACTIVITY_NOT_CONFIRMABLE');
      // The quarter's report still counts the same activities.
      view = await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'activity_day', 20) });
      view = await court.do('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() });
      expect(view.state).toBe('active.reportSubmitted');
    });
  });

  describe('EVALUATE_PARTNERSHIP', () => {
    it('takes one rating per partner while the year is reviewed, which the committee sees when scoring', async () => {
      const { id } = await court.driveTo('active.collecting');
      const evaluate = { type: 'EVALUATE_PARTNERSHIP', rating: 5, comment: '每季度都有联席会议，解决了实际问题' };
      await court.refuse('partner', id, evaluate, 409, 'INVALID_TRANSITION');
      await court.runQuarter(id, 4, 92);
      expect((await court.view('partner', id)).state).toBe('yearEndReview');
      expect((await offeredInList('partner', id)).availableEvents).toContain('EVALUATE_PARTNERSHIP');

      await court.refuse('secretary', id, evaluate, 403, 'FORBIDDEN');
      await court.refuse('committee', id, evaluate, 403, 'FORBIDDEN');
      await court.refuse('partner', id, { ...evaluate, rating: 6 }, 400, 'VALIDATION_FAILED');
      await court.refuse('partner', id, { ...evaluate, rating: 4.5 }, 400, 'VALIDATION_FAILED');
      await court.refuse('partner', id, { type: 'EVALUATE_PARTNERSHIP', rating: 4, comment: '  ' }, 400, 'VALIDATION_FAILED');

      let view = await court.do('partner', id, evaluate);
      expect(view.evaluations).toEqual([
        { partnerId: OWN, rating: 5, comment: evaluate.comment, evaluatedBy: court.id('partner'), evaluatedAt: expect.any(String) },
      ]);
      expect(view.availableEvents).not.toContain('EVALUATE_PARTNERSHIP');
      expect(view.blockedEvents).toEqual([{ type: 'EVALUATE_PARTNERSHIP', code: 'PARTNERSHIP_ALREADY_EVALUATED' }]);
      expect(await offeredInList('partner', id)).toEqual({ availableEvents: view.availableEvents, blockedEvents: view.blockedEvents });
      await court.do('secretary', id, { type: 'SUBMIT_REVIEW', ...review() });
      await court.refuse('partner', id, { ...evaluate, rating: 3 }, 422, 'PARTNERSHIP_ALREADY_EVALUATED');
      view = await court.view('committee', id);
      expect(view.state).toBe('underReview');
      expect(view.evaluations).toEqual([expect.objectContaining({ partnerId: OWN, rating: 5 })]);
      view = await court.do('committee', id, { type: 'APPROVE_REVIEW', score: 90 });
      expect(view.state).toBe('scored');
      // After the year, the partner still reads it all.
      expect((await court.view('partner', id)).evaluations).toHaveLength(1);
    });
  });

  describe('notifications', () => {
    /** A user's notices of the pairing that ask them to act, newest first: [title, done]. */
    const asks = async (user: string, id: number) => {
      const res = await t
        .http()
        .get('/api/notifications?limit=100')
        .set(auth(await court.token(user)))
        .expect(200);
      return (res.body.items as { pairingId: number; title: string; needsAction: boolean; done: boolean }[])
        .filter((n) => n.pairingId === id && n.needsAction)
        .map((n) => [n.title.replace(/^\S+ /, ''), n.done]);
    };

    it('reach partner users: what waits on them, and the decisions on their pairings', async () => {
      const { id } = await court.driveTo('approved');
      await court.do('secretary', id, { type: 'SIGN_AGREEMENT', ...agreement(court.year) });
      await court.do('secretary', id, { type: 'FILE_PLAN', ...plan(court.year, 4) });
      await court.do('committee', id, { type: 'ACCEPT_PLAN' });
      await court.do('member', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'joint_meeting') });
      await settleJobs(t);
      const res = await t
        .http()
        .get('/api/notifications')
        .set(auth(await court.token('partner')))
        .expect(200);
      const mine = (res.body.items as { pairingId: number; kind: string; title: string; needsAction: boolean }[]).filter(
        (n) => n.pairingId === id,
      );
      expect(mine.map((n) => [n.kind, n.needsAction])).toEqual(
        expect.arrayContaining([
          ['WAITING', true],
          ['DECISION', false],
        ]),
      );
      expect(mine.some((n) => n.title.includes('会签共建协议书'))).toBe(true);
      expect(mine.some((n) => n.title.includes('确认共建活动'))).toBe(true);
      const other = await t
        .http()
        .get('/api/notifications')
        .set(auth(await court.token('partner-other')))
        .expect(200);
      expect((other.body.items as { pairingId: number }[]).filter((n) => n.pairingId === id)).toEqual([]);
    });

    it('mark what a partner is asked for done once that partner did it, though the pairing stays where it is', async () => {
      await court.partnerUser('partner-own-2', OWN);
      const { id } = await court.driveTo('agreementSigned', { create: { partnerIds: [OWN, OTHER], partnerLiaisons: [] } });
      await settleJobs(t);
      expect(await asks('partner', id)).toEqual([[expect.stringContaining('会签共建协议书'), false]]);
      await court.do('partner', id, { type: 'COUNTERSIGN_AGREEMENT' });
      await settleJobs(t);
      expect((await court.view('committee', id)).state).toBe('agreementSigned');
      // Done for every user of the partner that countersigned; still asked of the other partner.
      for (const user of ['partner', 'partner-own-2']) expect((await asks(user, id)).map(([, done]) => done)).toEqual([true]);
      expect((await asks('partner-other', id)).map(([, done]) => done)).toEqual([false]);
      // A paper countersignature the secretary records for the other partner does it for that partner's users.
      const scan = await upload('secretary');
      await court.do('secretary', id, { type: 'COUNTERSIGN_AGREEMENT', partnerId: OTHER, attachmentIds: [scan] });
      await settleJobs(t);
      expect((await asks('partner-other', id)).map(([, done]) => done)).toEqual([true]);

      await court.do('secretary', id, { type: 'FILE_PLAN', ...plan(court.year, 4) });
      await court.do('committee', id, { type: 'ACCEPT_PLAN' });
      let view = await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'joint_meeting') });
      const meeting: number = view.activities.at(-1).id;
      view = await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'activity_day', 18) });
      const day: number = view.activities.find((a: { kind: string }) => a.kind === 'activity_day').id;
      await settleJobs(t);
      // Whether the notice a user got of the activity's recording is done (jobs may deliver them in any order).
      const history = await court.history(id);
      const recordedAt = (activityId: number) =>
        history.find((e) => e.type === 'RECORD_ACTIVITY' && (e.payload as { activityId?: number }).activityId === activityId)!.seq;
      const confirmDone = async (user: string, activityId: number) => {
        const key = `event:${id}:${recordedAt(activityId)}:${court.id(user)}:`;
        const [notice] = (await notificationRows(t, [id])).filter((n) => n.dedupeKey.startsWith(key));
        return notice.doneAt !== null;
      };
      const confirmations = async (user: string) => [await confirmDone(user, meeting), await confirmDone(user, day)];
      expect(await confirmations('partner')).toEqual([false, false]);
      await court.do('partner', id, { type: 'CONFIRM_ACTIVITY', activityId: meeting });
      await settleJobs(t);
      expect((await court.view('committee', id)).state).toBe('active.collecting');
      // The meeting's notice is done for the partner that confirmed it; the activity day still waits for its confirmation.
      expect(await confirmations('partner')).toEqual([true, false]);
      expect(await confirmations('partner-own-2')).toEqual([true, false]);
      expect(await confirmations('partner-other')).toEqual([false, false]);

      await court.do('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() });
      view = await court.do('committee', id, { type: 'SCORE_QUARTER', score: 90 });
      expect(view.state).toBe('yearEndReview');
      await settleJobs(t);
      const [evaluating] = await asks('partner', id);
      expect(evaluating).toEqual([expect.any(String), false]);
      await court.do('partner', id, { type: 'EVALUATE_PARTNERSHIP', rating: 5, comment: '解决了实际问题' });
      await settleJobs(t);
      expect((await court.view('committee', id)).state).toBe('yearEndReview');
      expect((await asks('partner', id))[0]).toEqual([evaluating[0], true]);
      // The other partner is still asked to evaluate, once: an event while the review lasts asks nobody again. It
      // still owes both confirmations too, which the review takes as well: its task list and its notices agree.
      expect((await asks('partner-other', id)).filter(([, done]) => !done)).toEqual([
        [evaluating[0], false],
        [expect.stringContaining('确认共建活动'), false],
        [expect.stringContaining('确认共建活动'), false],
      ]);
      expect((await court.tasks('partner-other', id)).map((task: { kind: string }) => task.kind).sort()).toEqual([
        'CONFIRM_ACTIVITY',
        'CONFIRM_ACTIVITY',
        'EVALUATE_PARTNERSHIP',
      ]);
    });

    it('keep asking a partner while the pairing moves through steps that still take the act, and stop once none does', async () => {
      const { id } = await court.driveTo('agreementSigned');
      await court.do('secretary', id, { type: 'FILE_PLAN', ...plan(court.year, 4) });
      await court.do('committee', id, { type: 'ACCEPT_PLAN' });
      await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'joint_meeting') });
      await court.do('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'activity_day', 18) });
      await court.do('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() });
      expect((await court.view('committee', id)).state).toBe('active.reportSubmitted');
      await settleJobs(t);
      // Four steps on, the partner may still countersign and confirm, and its task list says so: so do its notices.
      const tasks = (await court.tasks('partner', id)).map((task: { kind: string }) => task.kind);
      expect(tasks.sort()).toEqual(['CONFIRM_ACTIVITY', 'CONFIRM_ACTIVITY', 'COUNTERSIGN_AGREEMENT']);
      const open = [
        [expect.stringContaining('确认共建活动'), false],
        [expect.stringContaining('确认共建活动'), false],
        [expect.stringContaining('会签共建协议书'), false],
      ];
      expect(await asks('partner', id)).toEqual(open);
      // The committee's own asks of earlier steps are done as before.
      expect((await asks('committee', id)).every(([title, done]) => done || /季度评分/.test(String(title)))).toBe(true);
      await court.do('partner', id, { type: 'COUNTERSIGN_AGREEMENT' });
      await settleJobs(t);
      expect((await asks('partner', id)).map(([, done]) => done)).toEqual([false, false, true]);
      // Terminated, the pairing takes no act of the partner's any more: nothing is asked of it.
      await court.do('committee', id, { type: 'TERMINATE', comment: '共建单位撤并' });
      await settleJobs(t);
      expect((await asks('partner', id)).map(([, done]) => done)).toEqual([true, true, true]);
    });

    it('settle a partner’s ask against the latest step when its job runs after later ones', async () => {
      const { id } = await court.driveTo('approved');
      await settleJobs(t);
      const before = new Set((await outboxRows(t, [id])).map((row) => row.id));
      await court.do('secretary', id, { type: 'SIGN_AGREEMENT', ...agreement(court.year) });
      await court.do('secretary', id, { type: 'FILE_PLAN', ...plan(court.year, 4) });
      await court.do('committee', id, { type: 'TERMINATE', comment: '共建单位撤并' });
      const rows = (await outboxRows(t, [id])).filter((row) => !before.has(row.id));
      expect(rows).toHaveLength(3);
      // The termination's job first, then the plan's, then the agreement's, which asks the partner to countersign:
      // the first step after it (the plan) still takes a countersignature, the latest (the end) takes none.
      const processor = t.app.get(NotificationProcessor);
      for (const row of [...rows].reverse()) await processor.process({ ...row.payload, outboxId: row.id } as PairingEventJob);
      expect(await asks('partner', id)).toEqual([[expect.stringContaining('会签共建协议书'), true]]);
      await settleJobs(t);
      expect(await asks('partner', id)).toEqual([[expect.stringContaining('会签共建协议书'), true]]);
    });

    it('tell partner users of a pairing’s end only when they could see it: terminated after approval, not before, however it ended', async () => {
      const asProposal = await court.driveTo('proposed');
      await court.do('committee', asProposal.id, { type: 'TERMINATE', comment: '共建单位撤并' });
      const asReturned = await court.driveTo('returned');
      await court.do('committee', asReturned.id, { type: 'TERMINATE', comment: '共建单位撤并' });
      const endedBefore = [asProposal, asReturned, await court.driveTo('withdrawn'), await court.driveTo('rejected')];
      const after = await court.driveTo('terminated');
      await settleJobs(t);
      const res = await t
        .http()
        .get('/api/notifications?limit=100')
        .set(auth(await court.token('partner')))
        .expect(200);
      // The whole list was read: an absence below is not one cut off by the limit.
      expect(res.body.items.length).toBeLessThan(100);
      const about = (id: number) => (res.body.items as { pairingId: number; title: string }[]).filter((n) => n.pairingId === id);
      for (const before of endedBefore) expect({ code: before.code, told: about(before.id) }).toEqual({ code: before.code, told: [] });
      expect(about(after.id).map((n) => n.title)).toContain(`${after.code} 终止项目`);
    });
  });
});
