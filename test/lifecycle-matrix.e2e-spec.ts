import {
  activity,
  agreement,
  countSystemEvents,
  Court,
  DRIVABLE_STATES,
  DrivableState,
  expectWellFormedHistory,
  lastSystemEvent,
  plan,
  quarterReport,
  review,
} from './support/pairing-flow';
import { engines, startTestApp, TestApp } from './support/test-app';

const EVENT_TYPES = [
  'SUBMIT',
  'RECALL',
  'WITHDRAW',
  'APPROVE',
  'RETURN',
  'REJECT',
  'SIGN_AGREEMENT',
  'FILE_PLAN',
  'ACCEPT_PLAN',
  'RECORD_ACTIVITY',
  'VOID_ACTIVITY',
  'SUBMIT_QUARTER_REPORT',
  'SCORE_QUARTER',
  'SUBMIT_REVIEW',
  'APPROVE_REVIEW',
  'TERMINATE',
  'URGE',
  'UPDATE_LIAISONS',
  'QUARTER_OVERDUE',
  'COUNTERSIGN_AGREEMENT',
  'CONFIRM_ACTIVITY',
  'EVALUATE_PARTNERSHIP',
  'MIGRATE_WORKFLOW',
] as const;
type EventType = (typeof EVENT_TYPES)[number];
type Sender = 'secretary' | 'committee' | 'liaison' | 'system' | 'partner';

/** SPEC §5, column "by" (WITHDRAW of a voluntary pairing: the secretary). */
const SENDERS: Record<EventType, Sender[]> = {
  SUBMIT: ['secretary'],
  RECALL: ['secretary'],
  WITHDRAW: ['secretary'],
  APPROVE: ['committee'],
  RETURN: ['committee'],
  REJECT: ['committee'],
  SIGN_AGREEMENT: ['secretary'],
  FILE_PLAN: ['secretary'],
  ACCEPT_PLAN: ['committee'],
  RECORD_ACTIVITY: ['secretary', 'liaison'],
  VOID_ACTIVITY: ['secretary'],
  SUBMIT_QUARTER_REPORT: ['secretary'],
  SCORE_QUARTER: ['committee'],
  SUBMIT_REVIEW: ['secretary'],
  APPROVE_REVIEW: ['committee'],
  TERMINATE: ['committee'],
  URGE: ['secretary'],
  UPDATE_LIAISONS: ['secretary'],
  QUARTER_OVERDUE: ['system'],
  // SPEC §12: the partner side, and the secretary's record of a paper countersignature.
  COUNTERSIGN_AGREEMENT: ['partner', 'secretary'],
  CONFIRM_ACTIVITY: ['partner'],
  EVALUATE_PARTNERSHIP: ['partner'],
  MIGRATE_WORKFLOW: ['committee'],
};

const AFTER_DRAFT: EventType[] = ['UPDATE_LIAISONS', 'TERMINATE'];
/** SPEC §12: new pairings run on version 2, whose partner side is open from the signed agreement on. */
const PARTNER_SIDE: EventType[] = ['COUNTERSIGN_AGREEMENT', 'CONFIRM_ACTIVITY'];
/** SPEC §5, the diagram, and §12: what each state takes. */
const TAKES: Record<DrivableState, EventType[]> = {
  draft: ['SUBMIT', 'WITHDRAW'],
  proposed: ['RECALL', 'APPROVE', 'RETURN', 'REJECT', 'URGE', ...AFTER_DRAFT],
  returned: ['SUBMIT', 'WITHDRAW', ...AFTER_DRAFT],
  approved: ['SIGN_AGREEMENT', ...AFTER_DRAFT],
  agreementSigned: ['FILE_PLAN', ...AFTER_DRAFT, ...PARTNER_SIDE],
  planFiled: ['ACCEPT_PLAN', 'RETURN', 'URGE', ...AFTER_DRAFT, ...PARTNER_SIDE],
  'active.collecting': ['RECORD_ACTIVITY', 'VOID_ACTIVITY', 'SUBMIT_QUARTER_REPORT', 'QUARTER_OVERDUE', ...AFTER_DRAFT, ...PARTNER_SIDE],
  'active.reportSubmitted': [
    'RECORD_ACTIVITY',
    'VOID_ACTIVITY',
    'SCORE_QUARTER',
    'RETURN',
    'URGE',
    'QUARTER_OVERDUE',
    ...AFTER_DRAFT,
    ...PARTNER_SIDE,
  ],
  yearEndReview: ['SUBMIT_REVIEW', ...AFTER_DRAFT, ...PARTNER_SIDE, 'EVALUATE_PARTNERSHIP'],
  underReview: ['APPROVE_REVIEW', 'RETURN', 'URGE', ...AFTER_DRAFT, ...PARTNER_SIDE, 'EVALUATE_PARTNERSHIP'],
  scored: [],
  withdrawn: [],
  rejected: [],
  terminated: [],
};

/** The demo users, and in which capacity each meets a pairing of 立案庭 whose liaison is `member`. */
const CAST: Record<string, Sender[] | 'hidden'> = {
  secretary: ['secretary'],
  secretary2: 'hidden',
  member: ['liaison'],
  committee: ['committee'],
  leader: [],
  auditor: [],
  admin: [],
  // The demo partner user speaks for the pairing's partner (id 4); partner-other for one not in it.
  partner: ['partner'],
  'partner-other': 'hidden',
};

/** SPEC §12: a partner's users see its pairings from approval on, never drafts, proposals or returned ones. */
const HIDDEN_FROM_PARTNERS: DrivableState[] = ['draft', 'proposed', 'returned', 'withdrawn', 'rejected'];

function castIn(state: DrivableState): [string, Sender[] | 'hidden'][] {
  return Object.entries(CAST).map(([user, capacities]) => [
    user,
    capacities !== 'hidden' && capacities.includes('partner') && HIDDEN_FROM_PARTNERS.includes(state) ? 'hidden' : capacities,
  ]);
}

type Answer = [user: string, type: EventType, status: number, code: string];

describe.each(engines())('Pairing events by role and state on %s', (engine) => {
  let t: TestApp;
  let court: Court;

  beforeAll(async () => {
    t = await startTestApp(engine);
    court = await Court.open(t);
    await court.user('dual', ['secretary', 'committee'], court.leadBranch);
    await court.user('committee2', ['committee']);
    await court.user('member-b', ['member'], court.leadBranch);
    await court.partnerUser('partner-other', 5);
    for (const user of [...Object.keys(CAST), 'dual', 'committee2', 'member-b']) await court.token(user);
  });
  afterAll(() => t.close());

  describe('the role × event matrix', () => {
    it.each(DRIVABLE_STATES)('in %s, every user gets SPEC’s answer to every event, and nothing changes', async (state) => {
      const { id, version } = await court.driveTo(state);
      const before = await court.footprint(id);
      const forbiddenBefore = await countSystemEvents(t, 'EVENT_FORBIDDEN');
      // A stale If-Match separates the role check (404/403) from the state check: whoever may send the event gets 412.
      const stale = { 'If-Match': `"${version + 50}"` };
      const expected: Answer[] = [];
      const actual: Answer[] = [];

      for (const [user, capacities] of castIn(state)) {
        const mayByRole = (type: EventType) => capacities !== 'hidden' && SENDERS[type].some((s) => capacities.includes(s));
        const answers = await Promise.all(
          EVENT_TYPES.map(async (type): Promise<Answer[]> => {
            const byRole = await court.send(user, id, { type }, stale);
            const answers: Answer[] = [[user, type, byRole.status, byRole.body.code]];
            if (mayByRole(type) && !TAKES[state].includes(type)) {
              const byState = await court.send(user, id, { type });
              expect(byState.body.details).toMatchObject({ state, availableEvents: expect.any(Array) });
              answers.push([user, type, byState.status, byState.body.code]);
            }
            return answers;
          }),
        );
        actual.push(...answers.flat());
        for (const type of EVENT_TYPES) {
          if (capacities === 'hidden') expected.push([user, type, 404, 'NOT_FOUND']);
          else if (!mayByRole(type)) expected.push([user, type, 403, 'FORBIDDEN']);
          else {
            expected.push([user, type, 412, 'VERSION_CONFLICT']);
            if (!TAKES[state].includes(type)) expected.push([user, type, 409, 'INVALID_TRANSITION']);
          }
        }

        if (capacities !== 'hidden') {
          const view = await court.view(user, id);
          // driveTo starts the plan in Q4: once its report is in, no quarter takes activities any more, and a
          // screen is told so in advance (NO_OPEN_QUARTER) rather than offered a form whose every date is refused.
          const blockedNow = (type: EventType) => state === 'active.reportSubmitted' && type === 'RECORD_ACTIVITY';
          const takes = EVENT_TYPES.filter((type) => mayByRole(type) && TAKES[state].includes(type));
          expect({ user, available: [...view.availableEvents].sort(), blocked: view.blockedEvents }).toEqual({
            user,
            available: takes.filter((type) => !blockedNow(type)).sort(),
            blocked: takes.filter(blockedNow).map((type) => ({ type, code: 'NO_OPEN_QUARTER' })),
          });
        } else {
          expect((await court.get(user, id)).status).toBe(404);
        }
      }

      expect(actual).toEqual(expected);
      const after = await court.footprint(id);
      expect(after).toEqual(before);
      // Every 403 on a workflow event is on the system chain; 404, 409 and 412 are not.
      const forbidden = expected.filter(([, , status]) => status === 403).length;
      expect(await countSystemEvents(t, 'EVENT_FORBIDDEN')).toBe(forbiddenBefore + forbidden);
    });

    it('lets a secretary of a co-branch see a joint pairing but send nothing (403, not 404)', async () => {
      const { id } = await court.create('committee', { leadBranchId: court.leadBranch, coBranchIds: [court.otherBranch] });
      const view = await court.view('secretary2', id);
      expect(view).toMatchObject({ availableEvents: [], blockedEvents: [] });
      await court.refuse('secretary2', id, { type: 'SUBMIT' }, 403, 'FORBIDDEN');
      expect((await court.do('secretary', id, { type: 'SUBMIT' })).state).toBe('proposed');
    });

    it('lets a member record activities only on a pairing whose liaison they are', async () => {
      const { id } = await court.driveTo('active.collecting', { create: { liaisonUserId: court.id('member-b') } });
      const record = { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'study_session') };
      expect((await court.view('member', id)).availableEvents).toEqual([]);
      await court.refuse('member', id, record, 403, 'FORBIDDEN');
      expect((await court.view('member-b', id)).availableEvents).toEqual(['RECORD_ACTIVITY']);
      const view = await court.do('member-b', id, record);
      expect(view.activities.at(-1)).toMatchObject({ kind: 'study_session', recordedBy: court.id('member-b') });
    });
  });

  describe('four-eyes rule', () => {
    it('keeps a secretary who is also on the committee from deciding on anything they submitted', async () => {
      const year = court.year;
      const created = await court.create('dual');
      expect(created).toMatchObject({ mode: 'voluntary', leadBranchId: court.leadBranch });
      const id: number = created.id;

      await court.do('dual', id, { type: 'SUBMIT' });
      let mine = await court.view('dual', id);
      expect([...mine.availableEvents].sort()).toEqual(['RECALL', 'TERMINATE', 'UPDATE_LIAISONS', 'URGE']);
      expect(mine.blockedEvents).toEqual([]);
      await court.refuse('dual', id, { type: 'APPROVE' }, 403, 'SEPARATION_OF_DUTIES');
      expect(await lastSystemEvent(t)).toEqual({
        type: 'EVENT_FORBIDDEN',
        payload: expect.objectContaining({ pairingId: id, event: 'APPROVE', code: 'SEPARATION_OF_DUTIES' }),
      });
      // Payload validation comes before the four-eyes check.
      await court.refuse('dual', id, { type: 'RETURN' }, 400, 'VALIDATION_FAILED');
      await court.refuse('dual', id, { type: 'RETURN', comment: '自己退回' }, 403, 'SEPARATION_OF_DUTIES');
      await court.refuse('dual', id, { type: 'REJECT', comment: '自己驳回' }, 403, 'SEPARATION_OF_DUTIES');
      expect((await court.view('committee', id)).availableEvents).toContain('APPROVE');
      await court.do('committee', id, { type: 'APPROVE' });

      await court.do('dual', id, { type: 'SIGN_AGREEMENT', ...agreement(year) });
      await court.do('dual', id, { type: 'FILE_PLAN', ...plan(year, 4) });
      mine = await court.view('dual', id);
      expect(mine.availableEvents).not.toContain('ACCEPT_PLAN');
      expect(mine.availableEvents).not.toContain('RETURN');
      await court.refuse('dual', id, { type: 'ACCEPT_PLAN' }, 403, 'SEPARATION_OF_DUTIES');
      await court.do('committee2', id, { type: 'ACCEPT_PLAN' });

      await court.runQuarter(id, 4, null, { secretary: 'dual' });
      expect((await court.view('dual', id)).availableEvents).not.toContain('SCORE_QUARTER');
      await court.refuse('dual', id, { type: 'SCORE_QUARTER', score: 150 }, 400, 'VALIDATION_FAILED');
      await court.refuse('dual', id, { type: 'SCORE_QUARTER', score: 95 }, 403, 'SEPARATION_OF_DUTIES');
      await court.do('committee', id, { type: 'SCORE_QUARTER', score: 95 });

      await court.do('dual', id, { type: 'SUBMIT_REVIEW', ...review() });
      expect((await court.view('dual', id)).availableEvents).not.toContain('APPROVE_REVIEW');
      await court.refuse('dual', id, { type: 'APPROVE_REVIEW', score: 90 }, 403, 'SEPARATION_OF_DUTIES');
      const view = await court.do('committee2', id, { type: 'APPROVE_REVIEW', score: 90 });
      expect(view).toMatchObject({ state: 'scored', finalScore: 93 });
      // Terminating is no decision on a submission, so the rule does not reach it.
      const other = await court.driveTo('proposed', { secretary: 'dual' });
      expect((await court.do('dual', other.id, { type: 'TERMINATE', comment: '撤并' })).state).toBe('terminated');
    });

    it('binds the submitter, not the role: the same user decides on a colleague’s submission', async () => {
      const { id } = await court.driveTo('proposed');
      expect((await court.view('dual', id)).availableEvents).toEqual(expect.arrayContaining(['APPROVE', 'RETURN', 'REJECT', 'RECALL']));
      expect((await court.do('dual', id, { type: 'APPROVE' })).state).toBe('approved');
    });

    it('gives what waits on “the secretary” to every secretary of the lead branch', async () => {
      const { id } = await court.driveTo('approved');
      for (const user of ['secretary', 'dual']) {
        expect({ user, kinds: (await court.tasks(user, id)).map((task) => task.kind) }).toEqual({ user, kinds: ['SIGN_AGREEMENT'] });
      }
      expect(await court.tasks('secretary2', id)).toEqual([]);
      expect(await court.tasks('committee', id)).toEqual([]);
      expect(await court.tasks('leader')).toEqual([]);
    });

    it('makes a user with both roles create a directed pairing only when naming the lead branch', async () => {
      const directed = await court.create('dual', { leadBranchId: court.otherBranch, liaisonUserId: null, partnerLiaisons: [] });
      expect(directed).toMatchObject({ mode: 'directed', leadBranchId: court.otherBranch });
    });
  });

  describe('which refusal wins (SPEC §5)', () => {
    let proposedId: number;
    let staleIfMatch: { 'If-Match': string };

    beforeAll(async () => {
      const proposed = await court.driveTo('proposed');
      proposedId = proposed.id;
      staleIfMatch = { 'If-Match': `"${proposed.version - 1}"` };
    });

    it('401 before anything else', async () => {
      const res = await t.http().post(`/api/pairings/${proposedId}/events`).send({ type: 'NO_SUCH_EVENT' });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    });

    it('400 for an unknown event type before 404', async () => {
      const missing = await court.send('secretary', 999999, { type: 'NO_SUCH_EVENT' });
      expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      await court.refuse('secretary2', proposedId, { type: 'NO_SUCH_EVENT' }, 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', proposedId, { type: 'approve' }, 400, 'VALIDATION_FAILED');
      await court.expectRefused(proposedId, () => court.send('secretary', proposedId, {} as { type: string }), 400, 'VALIDATION_FAILED');
    });

    it('400 for fields a client may not send, such as the engine’s own meta or facts', async () => {
      await court.refuse(
        'secretary',
        proposedId,
        { type: 'RECALL', meta: { actorId: String(court.id('committee')) } },
        400,
        'VALIDATION_FAILED',
      );
      await court.refuse('committee', proposedId, { type: 'APPROVE', facts: {}, state: 'approved' }, 400, 'VALIDATION_FAILED');
    });

    it('404 (unknown or invisible pairing) before 403', async () => {
      const missing = await court.send('committee', 999999, { type: 'APPROVE' });
      expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      await court.refuse('secretary2', proposedId, { type: 'APPROVE' }, 404, 'NOT_FOUND');
    });

    it('403 (role) before 412 and 409', async () => {
      await court.refuse('committee', proposedId, { type: 'SIGN_AGREEMENT', ...agreement(court.year) }, 403, 'FORBIDDEN');
      await court.refuse('committee', proposedId, { type: 'SIGN_AGREEMENT' }, 403, 'FORBIDDEN', staleIfMatch);
      expect(await lastSystemEvent(t)).toEqual({
        type: 'EVENT_FORBIDDEN',
        payload: expect.objectContaining({ pairingId: proposedId, event: 'SIGN_AGREEMENT', code: 'FORBIDDEN' }),
      });
    });

    it('412 before 409, and 409 before 400', async () => {
      await court.refuse('secretary', proposedId, { type: 'SIGN_AGREEMENT', signedOn: 'soon' }, 412, 'VERSION_CONFLICT', staleIfMatch);
      const res = await court.refuse('secretary', proposedId, { type: 'SIGN_AGREEMENT', signedOn: 'soon' }, 409, 'INVALID_TRANSITION');
      expect(res.body.details).toEqual({
        state: 'proposed',
        availableEvents: expect.arrayContaining(['RECALL', 'URGE', 'UPDATE_LIAISONS']),
      });
    });

    it('412 before 422, and 400 before 422 and 429', async () => {
      const draft = await court.create('secretary', { liaisonUserId: null });
      await court.refuse('secretary', draft.id, { type: 'SUBMIT' }, 412, 'VERSION_CONFLICT', { 'If-Match': '"7"' });
      await court.refuse('secretary', draft.id, { type: 'SUBMIT', comment: 42 }, 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', draft.id, { type: 'SUBMIT' }, 422, 'PROPOSAL_INCOMPLETE');

      const { id } = await court.driveTo('active.collecting', { startQuarter: 4 });
      await court.refuse('secretary', id, { type: 'SUBMIT_QUARTER_REPORT' }, 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 2, 'lecture'), participants: 0 }, 400);

      await court.do('secretary', proposedId, { type: 'URGE' });
      await court.refuse('secretary', proposedId, { type: 'URGE', comment: 42 }, 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', proposedId, { type: 'URGE', unknownField: 1 }, 400, 'VALIDATION_FAILED');
      await court.refuse('secretary', proposedId, { type: 'URGE' }, 429, 'URGED_RECENTLY');
    });

    it('records 403s on the system chain, and nothing for 404, 409, 412 or 400', async () => {
      for (const user of ['leader', 'auditor', 'admin', 'member']) {
        await court.refuse(user, proposedId, { type: 'APPROVE' }, 403, 'FORBIDDEN');
        const event = await lastSystemEvent(t);
        expect(event).toMatchObject({ type: 'EVENT_FORBIDDEN', payload: { pairingId: proposedId, event: 'APPROVE' } });
      }
      const count = await countSystemEvents(t, 'EVENT_FORBIDDEN');
      await court.refuse('secretary2', proposedId, { type: 'APPROVE' }, 404);
      await court.refuse('committee', proposedId, { type: 'ACCEPT_PLAN' }, 409);
      await court.refuse('committee', proposedId, { type: 'APPROVE' }, 412, 'VERSION_CONFLICT', staleIfMatch);
      await court.refuse('committee', proposedId, { type: 'APPROVE', comment: 42 }, 400);
      expect(await countSystemEvents(t, 'EVENT_FORBIDDEN')).toBe(count);
    });
  });

  describe('If-Match and ETag', () => {
    it('serves the version as ETag, applies a matching If-Match and refuses a stale one with 412', async () => {
      const { id } = await court.driveTo('approved');
      const got = await court.get('auditor', id);
      expect(got.headers.etag).toBe(`"${got.body.version}"`);
      const version: number = got.body.version;

      await court.refuse('secretary', id, { type: 'SIGN_AGREEMENT', ...agreement(court.year) }, 412, 'VERSION_CONFLICT', {
        'If-Match': `"${version - 1}"`,
      });
      await court.refuse('secretary', id, { type: 'SIGN_AGREEMENT', ...agreement(court.year) }, 412, 'VERSION_CONFLICT', {
        'If-Match': '"not-a-version"',
      });
      const res = await court.send('secretary', id, { type: 'SIGN_AGREEMENT', ...agreement(court.year) }, { 'If-Match': `"${version}"` });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'agreementSigned', version: version + 1 });
      expect(res.headers.etag).toBe(`"${version + 1}"`);
      expect((await court.get('secretary', id)).headers.etag).toBe(`"${version + 1}"`);
    });

    it('guards PATCH the same way', async () => {
      const { id, version } = await court.create('secretary');
      await court.expectRefused(
        id,
        () => court.patch('secretary', id, { theme: '新主题' }, { 'If-Match': `"${version + 1}"` }),
        412,
        'VERSION_CONFLICT',
      );
      const res = await court.patch('secretary', id, { theme: '新主题' }, { 'If-Match': `"${version}"` });
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe(`"${version + 1}"`);
    });

    it('treats If-Match: * as “any version”, on events and on PATCH alike', async () => {
      const { id, version } = await court.create('secretary');
      expect((await court.patch('secretary', id, { goals: '任意版本' }, { 'If-Match': '*' })).status).toBe(200);
      expect((await court.do('secretary', id, { type: 'SUBMIT' }, { 'If-Match': '*' })).version).toBe(version + 2);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same key and body, applying the event once', async () => {
      const { id, version } = await court.driveTo('active.collecting');
      const key = { 'Idempotency-Key': `record-${id}` };
      const body = { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'lecture') };
      const first = await court.send('secretary', id, body, key);
      expect(first.status).toBe(200);
      const again = await court.send('secretary', id, body, key);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.etag).toBe(first.headers.etag);

      const view = await court.view('auditor', id);
      expect(view.version).toBe(version + 1);
      expect(view.activities).toHaveLength(1);
      const history = await court.history(id);
      expect(history.filter((e) => e.type === 'RECORD_ACTIVITY')).toHaveLength(1);
      expectWellFormedHistory(history, view.version);

      // Same key, another body: refused, even before the pairing is looked up.
      const other = await court.refuse('secretary', id, { ...body, title: '另一次活动' }, 422, 'IDEMPOTENCY_KEY_REUSED', key);
      expect(other.body.statusCode).toBe(422);
      const elsewhere = await court.send('secretary', 999999, body, key);
      expect({ status: elsewhere.status, code: elsewhere.body.code }).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });

      // Keys belong to a user: the liaison's identical request with the same key is a request of its own.
      const theirs = await court.send('member', id, body, key);
      expect(theirs.status).toBe(200);
      expect((await court.view('auditor', id)).activities).toHaveLength(2);
    });

    it('replays a decision instead of answering 409 once the state has moved on', async () => {
      const { id, version } = await court.driveTo('proposed');
      const key = { 'Idempotency-Key': `approve-${id}` };
      const first = await court.send('committee', id, { type: 'APPROVE', comment: '同意' }, key);
      const retry = await court.send('committee', id, { type: 'APPROVE', comment: '同意' }, key);
      expect([first.status, retry.status]).toEqual([200, 200]);
      expect(retry.body).toEqual(first.body);
      expect((await court.view('auditor', id)).version).toBe(version + 1);
      expect((await court.history(id)).filter((e) => e.type === 'APPROVE')).toHaveLength(1);
      await court.refuse('committee', id, { type: 'APPROVE', comment: '同意' }, 409, 'INVALID_TRANSITION');
    });

    it('keeps no refused request, so the corrected request may reuse the key; a replay is not judged again', async () => {
      const { id } = await court.driveTo('proposed');
      const key = { 'Idempotency-Key': `urge-${id}` };
      await court.refuse('secretary', id, { type: 'URGE', comment: 42 }, 400, 'VALIDATION_FAILED', key);
      const first = await court.do('secretary', id, { type: 'URGE' }, key);
      // A fresh URGE would now be 429; the replay answers what the first request got.
      const replay = await court.send('secretary', id, { type: 'URGE' }, key);
      expect({ status: replay.status, body: replay.body }).toEqual({ status: 200, body: first });
      await court.refuse('secretary', id, { type: 'URGE' }, 429, 'URGED_RECENTLY', { 'Idempotency-Key': `urge-${id}-2` });
    });
  });

  it('keeps the quarter report flow consistent for the liaison and secretary together', async () => {
    const { id } = await court.driveTo('active.collecting', { startQuarter: 4 });
    await court.do('member', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'joint_meeting') });
    await court.do('member', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'activity_day') });
    await court.refuse('member', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() }, 403, 'FORBIDDEN');
    const view = await court.do('secretary', id, { type: 'SUBMIT_QUARTER_REPORT', ...quarterReport() });
    expect(view.reports.at(-1)).toMatchObject({ quarter: 4, requirementsMet: true });
    // The last quarter is reported: the liaison is told why there is nothing left to record.
    const liaisonView = await court.view('member', id);
    expect(liaisonView.availableEvents).toEqual([]);
    expect(liaisonView.blockedEvents).toEqual([{ type: 'RECORD_ACTIVITY', code: 'NO_OPEN_QUARTER' }]);
    await court.refuse('member', id, { type: 'RECORD_ACTIVITY', ...activity(court.year, 4, 'lecture') }, 422, 'ACTIVITY_DATE_INVALID');
  });
});
