import { createMachine } from 'xstate';
import { pairingMermaid } from './mermaid';
import { PARTNER_TASKS } from './labels';
import { isSeparationOfDutiesViolation } from './pairing.access';
import {
  allowedActors,
  createPairingSnapshot,
  decide,
  pairingMachine,
  PAIRING_MACHINES,
  partnerTasksAsked,
  partnerTasksOf,
  PAIRING_WORKFLOW_VERSION,
  persistSnapshot,
  PAIRING_WORKFLOWS,
  probe,
  restorePairingSnapshot,
  stateMeta,
  stateString,
  workflowOf,
  type Decision,
  type PairingSnapshot,
} from './pairing.machine';
import { PAIRING_RULES, WORKFLOW_MIGRATIONS, type RuleCode } from './pairing.machine';
import { V1_ACTORS, V1_RULES } from './v1';
import { V2_ACTORS, V2_RULES } from './v2';
import {
  FINAL_PAIRING_STATES,
  PAIRING_EVENT_TYPES,
  PAIRING_STATES,
  type EventMeta,
  type PairingEvent,
  type PairingEventOf,
  type PairingEventType,
  type PairingState,
  type PairingStateMeta,
  type ProposalFacts,
} from './pairing.types';

// ---------------------------------------------------------------------------
// Fixtures. The year is 2025; unless a test says otherwise it is 20 November
// (Q4), and the plan was accepted on 10 January with startQuarter 1.

const YEAR = 2025;
const TODAY = '2025-11-20';
const SECRETARY = 'secretary-1';
const COMMITTEE = 'committee-1';
const PARTNER = 'partner-1';

function meta(actorId: string | null = SECRETARY, today = TODAY, now = `${today}T02:00:00.000Z`): EventMeta {
  return { actorId, now, today };
}

const COMPLETE_PROPOSAL: ProposalFacts = {
  title: 'Courts and communities resolve disputes together',
  theme: 'Grassroots governance',
  problem: 'Neighbourhood disputes reach the court before mediation is tried',
  partnerCount: 1,
  categoryCount: 2,
  liaisonActive: true,
};

const ev = {
  submit: (proposal: Partial<ProposalFacts> = {}, actorId = SECRETARY): PairingEventOf<'SUBMIT'> => ({
    type: 'SUBMIT',
    meta: meta(actorId),
    facts: { proposal: { ...COMPLETE_PROPOSAL, ...proposal } },
  }),
  recall: (): PairingEvent => ({ type: 'RECALL', meta: meta() }),
  withdraw: (): PairingEvent => ({ type: 'WITHDRAW', meta: meta() }),
  approve: (actorId = COMMITTEE): PairingEvent => ({ type: 'APPROVE', meta: meta(actorId) }),
  returnIt: (actorId = COMMITTEE): PairingEvent => ({ type: 'RETURN', meta: meta(actorId), comment: 'Please revise' }),
  reject: (): PairingEvent => ({ type: 'REJECT', meta: meta(COMMITTEE), comment: 'Out of scope' }),
  terminate: (): PairingEvent => ({ type: 'TERMINATE', meta: meta(COMMITTEE), comment: 'Partner dissolved' }),
  sign: (dates: { signedOn?: string; validFrom?: string; validTo?: string } = {}, today = TODAY): PairingEvent => ({
    type: 'SIGN_AGREEMENT',
    meta: meta(SECRETARY, today),
    payload: {
      signedOn: '2025-01-07',
      validFrom: '2025-01-01',
      validTo: '2025-12-31',
      goals: 'Fewer disputes',
      content: 'Joint mediation',
      requirements: 'Monthly contact',
      ...dates,
    },
  }),
  filePlan: (startQuarter = 1, items?: { quarter: number; dueDate: string }[], actorId = SECRETARY): PairingEvent => ({
    type: 'FILE_PLAN',
    meta: meta(actorId),
    payload: {
      startQuarter,
      items: (items ?? [{ quarter: startQuarter, dueDate: '2025-12-15' }]).map((item) => ({
        title: 'Joint meeting',
        owner: 'Branch secretary',
        ...item,
      })),
    },
  }),
  acceptPlan: (today = '2025-01-10', actorId = COMMITTEE): PairingEvent => ({
    type: 'ACCEPT_PLAN',
    meta: meta(actorId, today),
  }),
  recordActivity: (heldOn = '2025-11-01', today = TODAY): PairingEvent => ({
    type: 'RECORD_ACTIVITY',
    meta: meta(SECRETARY, today),
    payload: {
      kind: 'joint_meeting',
      heldOn,
      title: 'Joint meeting',
      participants: 12,
      partnerParticipants: 5,
      summary: 'Agreed the mediation roster',
    },
  }),
  voidActivity: (activity: { quarter: number; voided: boolean } | null = { quarter: 4, voided: false }): PairingEvent => ({
    type: 'VOID_ACTIVITY',
    meta: meta(),
    comment: 'Entered twice',
    payload: { activityId: 1 },
    facts: { activity },
  }),
  submitReport: (
    counts: { jointMeetings: number; activityDays: number } = { jointMeetings: 1, activityDays: 1 },
    shortfallReason?: string,
    actorId = SECRETARY,
  ): PairingEvent => ({
    type: 'SUBMIT_QUARTER_REPORT',
    meta: meta(actorId),
    payload: { summary: 'Quarter done', shortfallReason },
    facts: counts,
  }),
  score: (score = 90, actorId = COMMITTEE): PairingEvent => ({
    type: 'SCORE_QUARTER',
    meta: meta(actorId),
    payload: { score },
  }),
  submitReview: (actorId = SECRETARY): PairingEvent => ({
    type: 'SUBMIT_REVIEW',
    meta: meta(actorId),
    payload: {
      summary: 'A good year',
      problemSolved: true,
      problemResolution: 'Mediation first',
      outcomes: [{ indicator: 'Disputes mediated', value: 42, unit: 'cases', baseline: 10 }],
    },
  }),
  approveReview: (score = 90, actorId = COMMITTEE): PairingEvent => ({
    type: 'APPROVE_REVIEW',
    meta: meta(actorId),
    payload: { score },
  }),
  urge: (now = `${TODAY}T02:00:00.000Z`, waitingSince?: string): PairingEvent => ({
    type: 'URGE',
    meta: meta(SECRETARY, now.slice(0, 10), now),
    ...(waitingSince ? { facts: { waitingSince } } : {}),
  }),
  updateLiaisons: (): PairingEvent => ({
    type: 'UPDATE_LIAISONS',
    meta: meta(),
    payload: { liaisonUserId: 7, partnerLiaisons: [{ partnerId: 1, name: 'Li Ming', phone: '010-1234' }] },
  }),
  quarterOverdue: (quarter = 3, today = TODAY): PairingEvent => ({
    type: 'QUARTER_OVERDUE',
    meta: meta(null, today),
    payload: { quarter },
  }),
  countersign: (countersigned = false, unusable: number[] = []): PairingEvent => ({
    type: 'COUNTERSIGN_AGREEMENT',
    meta: meta(PARTNER),
    payload: {},
    facts: { partner: { countersigned, evaluated: false }, attachments: { usable: [], unusable } },
  }),
  confirmActivity: (activity: { voided: boolean; confirmed: boolean } | null = { voided: false, confirmed: false }): PairingEvent => ({
    type: 'CONFIRM_ACTIVITY',
    meta: meta(PARTNER),
    payload: { activityId: 1 },
    facts: { activity },
  }),
  evaluate: (evaluated = false): PairingEvent => ({
    type: 'EVALUATE_PARTNERSHIP',
    meta: meta(PARTNER),
    payload: { rating: 5 },
    comment: 'The court came to us every quarter',
    facts: { partner: { countersigned: true, evaluated } },
  }),
  migrate: (toVersion = 2): PairingEvent => ({
    type: 'MIGRATE_WORKFLOW',
    meta: meta(COMMITTEE),
    payload: { toVersion },
    comment: 'Countersignatures from this quarter on',
  }),
};

/** One event of each type that passes every rule in any state of the standard route below. */
const SAMPLE: Record<PairingEventType, PairingEvent> = {
  SUBMIT: ev.submit(),
  RECALL: ev.recall(),
  WITHDRAW: ev.withdraw(),
  APPROVE: ev.approve(),
  RETURN: ev.returnIt(),
  REJECT: ev.reject(),
  SIGN_AGREEMENT: ev.sign(),
  FILE_PLAN: ev.filePlan(),
  ACCEPT_PLAN: ev.acceptPlan(),
  RECORD_ACTIVITY: ev.recordActivity(),
  VOID_ACTIVITY: ev.voidActivity(),
  SUBMIT_QUARTER_REPORT: ev.submitReport(),
  SCORE_QUARTER: ev.score(),
  SUBMIT_REVIEW: ev.submitReview(),
  APPROVE_REVIEW: ev.approveReview(),
  TERMINATE: ev.terminate(),
  URGE: ev.urge(),
  UPDATE_LIAISONS: ev.updateLiaisons(),
  QUARTER_OVERDUE: ev.quarterOverdue(),
  COUNTERSIGN_AGREEMENT: ev.countersign(),
  CONFIRM_ACTIVITY: ev.confirmActivity(),
  EVALUATE_PARTNERSHIP: ev.evaluate(),
  MIGRATE_WORKFLOW: ev.migrate(),
};

function step(snapshot: PairingSnapshot, event: PairingEvent): PairingSnapshot {
  const decision = decide(snapshot, event);
  if (!decision.ok) throw new Error(`${event.type} refused in ${stateString(snapshot)}: ${JSON.stringify(decision)}`);
  return decision.snapshot;
}

function run(events: PairingEvent[], from = createPairingSnapshot({ year: YEAR, mode: 'voluntary' })): PairingSnapshot {
  return events.reduce(step, from);
}

/** How each state is first reached: the state before it and the real events that lead on. */
const ROUTE: Record<Exclude<PairingState, 'draft'>, [from: PairingState, events: PairingEvent[]]> = {
  proposed: ['draft', [ev.submit()]],
  returned: ['proposed', [ev.returnIt()]],
  withdrawn: ['draft', [ev.withdraw()]],
  rejected: ['proposed', [ev.reject()]],
  approved: ['proposed', [ev.approve()]],
  agreementSigned: ['approved', [ev.sign()]],
  planFiled: ['agreementSigned', [ev.filePlan(1)]],
  'active.collecting': ['planFiled', [ev.acceptPlan()]],
  'active.reportSubmitted': ['active.collecting', [ev.submitReport()]],
  yearEndReview: [
    'active.reportSubmitted',
    [ev.score(), ev.submitReport(), ev.score(), ev.submitReport(), ev.score(), ev.submitReport(), ev.score()],
  ],
  underReview: ['yearEndReview', [ev.submitReview()]],
  scored: ['underReview', [ev.approveReview()]],
  terminated: ['approved', [ev.terminate()]],
};

/** The state reached by real events, under the newest version unless another is named. */
function reach(state: PairingState, version = PAIRING_WORKFLOW_VERSION): PairingSnapshot {
  if (state === 'draft') return createPairingSnapshot({ year: YEAR, mode: 'voluntary' }, version);
  const [from, events] = ROUTE[state];
  return run(events, reach(from, version));
}

/** Active in `quarter` of a plan starting in `startQuarter`, accepted on `acceptedOn`. */
function activeIn(
  quarter: number,
  { startQuarter = 1, acceptedOn = '2025-01-10', version = PAIRING_WORKFLOW_VERSION } = {},
): PairingSnapshot {
  let snapshot = run(
    [ev.submit(), ev.approve(), ev.sign(), ev.filePlan(startQuarter), ev.acceptPlan(acceptedOn)],
    createPairingSnapshot({ year: YEAR, mode: 'voluntary' }, version),
  );
  for (let q = startQuarter; q < quarter; q++) snapshot = run([ev.submitReport(), ev.score()], snapshot);
  return snapshot;
}

function expectRule(decision: Decision, code: RuleCode, details?: Record<string, unknown>): void {
  const { status, message } = PAIRING_RULES[code];
  expect(decision).toEqual({ ok: false, reason: 'RULE', code, status, message, ...(details ? { details } : {}) });
}

function expectOk(decision: Decision, state?: PairingState): PairingSnapshot {
  if (!decision.ok) throw new Error(`expected the event to be taken, got ${JSON.stringify(decision)}`);
  if (state) expect(decision.state).toBe(state);
  return decision.snapshot;
}

// ---------------------------------------------------------------------------
// SPEC §5, written out by hand: for each state, the events it accepts and
// where each one leads. Every event type not listed is INVALID_TRANSITION.

type Table = Record<PairingState, Partial<Record<PairingEventType, PairingState>>>;

const SPEC_5: Table = {
  draft: { SUBMIT: 'proposed', WITHDRAW: 'withdrawn' },
  proposed: {
    RECALL: 'draft',
    APPROVE: 'approved',
    RETURN: 'returned',
    REJECT: 'rejected',
    URGE: 'proposed',
    UPDATE_LIAISONS: 'proposed',
    TERMINATE: 'terminated',
  },
  returned: { SUBMIT: 'proposed', WITHDRAW: 'withdrawn', UPDATE_LIAISONS: 'returned', TERMINATE: 'terminated' },
  approved: { SIGN_AGREEMENT: 'agreementSigned', UPDATE_LIAISONS: 'approved', TERMINATE: 'terminated' },
  agreementSigned: { FILE_PLAN: 'planFiled', UPDATE_LIAISONS: 'agreementSigned', TERMINATE: 'terminated' },
  planFiled: {
    ACCEPT_PLAN: 'active.collecting',
    RETURN: 'agreementSigned',
    URGE: 'planFiled',
    UPDATE_LIAISONS: 'planFiled',
    TERMINATE: 'terminated',
  },
  'active.collecting': {
    RECORD_ACTIVITY: 'active.collecting',
    VOID_ACTIVITY: 'active.collecting',
    QUARTER_OVERDUE: 'active.collecting',
    SUBMIT_QUARTER_REPORT: 'active.reportSubmitted',
    UPDATE_LIAISONS: 'active.collecting',
    TERMINATE: 'terminated',
  },
  'active.reportSubmitted': {
    SCORE_QUARTER: 'active.collecting',
    RETURN: 'active.collecting',
    URGE: 'active.reportSubmitted',
    RECORD_ACTIVITY: 'active.reportSubmitted',
    VOID_ACTIVITY: 'active.reportSubmitted',
    QUARTER_OVERDUE: 'active.reportSubmitted',
    UPDATE_LIAISONS: 'active.reportSubmitted',
    TERMINATE: 'terminated',
  },
  yearEndReview: { SUBMIT_REVIEW: 'underReview', UPDATE_LIAISONS: 'yearEndReview', TERMINATE: 'terminated' },
  underReview: {
    APPROVE_REVIEW: 'scored',
    RETURN: 'yearEndReview',
    URGE: 'underReview',
    UPDATE_LIAISONS: 'underReview',
    TERMINATE: 'terminated',
  },
  scored: {},
  withdrawn: {},
  rejected: {},
  terminated: {},
};

const NON_FINAL_STATES = PAIRING_STATES.filter((state) => !(FINAL_PAIRING_STATES as readonly string[]).includes(state));

/** Version 1: SPEC §5, and the committee may move any running pairing to version 2 (SPEC §12), where it stays. */
const EXPECTED_V1: Table = Object.fromEntries(
  PAIRING_STATES.map((state) => [state, NON_FINAL_STATES.includes(state) ? { ...SPEC_5[state], MIGRATE_WORKFLOW: state } : SPEC_5[state]]),
) as Table;

/** Version 2: SPEC §5 and the partner side, which changes no state (SPEC §12). */
const PARTNER_SIDE_STATES: PairingState[] = [
  'agreementSigned',
  'planFiled',
  'active.collecting',
  'active.reportSubmitted',
  'yearEndReview',
  'underReview',
];
/** Version 3: the states and events of version 2 (it changes a rule, SPEC §10), and no version to move to. */
const EXPECTED_V3: Table = Object.fromEntries(
  PAIRING_STATES.map((state) => [
    state,
    {
      ...SPEC_5[state],
      ...(PARTNER_SIDE_STATES.includes(state) ? { COUNTERSIGN_AGREEMENT: state, CONFIRM_ACTIVITY: state } : {}),
      ...(state === 'yearEndReview' || state === 'underReview' ? { EVALUATE_PARTNERSHIP: state } : {}),
    },
  ]),
) as Table;

/** Version 2: the same, and the committee may move any running pairing to version 3. */
const EXPECTED_V2: Table = Object.fromEntries(
  PAIRING_STATES.map((state) => [
    state,
    NON_FINAL_STATES.includes(state) ? { ...EXPECTED_V3[state], MIGRATE_WORKFLOW: state } : EXPECTED_V3[state],
  ]),
) as Table;

const EXPECTED_BY_VERSION: Record<number, Table> = { 1: EXPECTED_V1, 2: EXPECTED_V2, 3: EXPECTED_V3 };

describe('pairing lifecycle vocabulary', () => {
  it('names 14 states and 23 event types, each once', () => {
    expect(new Set(PAIRING_STATES).size).toBe(14);
    expect(new Set(PAIRING_EVENT_TYPES).size).toBe(23);
    expect(FINAL_PAIRING_STATES).toEqual(['scored', 'withdrawn', 'rejected', 'terminated']);
  });
});

describe(decide.name, () => {
  describe.each(PAIRING_STATES.flatMap((state) => [1, 2, 3].map((version) => [version, state] as const)))(
    'under version %i in %s',
    (version, state) => {
      const snapshot = reach(state, version);

      it('is reachable from draft by real events', () => {
        expect(stateString(snapshot)).toBe(state);
        expect(workflowOf(snapshot).version).toBe(version);
      });

      it.each(PAIRING_EVENT_TYPES)('%s', (type) => {
        const target = EXPECTED_BY_VERSION[version][state][type];
        // A migration names the version after the pairing's own.
        const decision = decide(snapshot, type === 'MIGRATE_WORKFLOW' ? ev.migrate(version + 1) : SAMPLE[type]);
        if (target === undefined) {
          expect(decision).toEqual({ ok: false, reason: 'INVALID_TRANSITION', state });
        } else {
          expect(decision).toMatchObject({ ok: true, state: target });
        }
      });
    },
  );

  it('leaves the snapshot it was given untouched', () => {
    const before = reach('proposed');
    const copy = JSON.stringify(persistSnapshot(before));
    expectOk(decide(before, ev.approve()), 'approved');
    expect(JSON.stringify(persistSnapshot(before))).toBe(copy);
    expect(stateString(before)).toBe('proposed');
  });

  it('accepts nothing from a snapshot that is not running, whatever state it names', () => {
    const halted = pairingMachine.resolveState({ value: 'proposed', context: reach('proposed').context, status: 'error' });
    expect(decide(halted, ev.approve())).toEqual({ ok: false, reason: 'INVALID_TRANSITION', state: 'proposed' });
    expect(probe(halted, 'APPROVE')).toEqual({ accepted: false });
  });

  it('marks final states done, so a finished pairing accepts nothing', () => {
    for (const state of FINAL_PAIRING_STATES) expect(reach(state).status).toBe('done');
    expect(reach('underReview').status).toBe('active');
  });
});

describe('pairing context through a year', () => {
  it('runs draft → scored with a return at every decision and computes the final score', () => {
    const steps: [PairingEvent, PairingState][] = [
      [ev.submit(), 'proposed'],
      [ev.returnIt(), 'returned'],
      [ev.submit(), 'proposed'],
      [ev.approve(), 'approved'],
      [ev.sign(), 'agreementSigned'],
      [ev.filePlan(1), 'planFiled'],
      [ev.returnIt(), 'agreementSigned'],
      [ev.filePlan(2), 'planFiled'],
      [ev.acceptPlan('2025-04-02'), 'active.collecting'],
      [ev.recordActivity('2025-05-01'), 'active.collecting'],
      [ev.submitReport(), 'active.reportSubmitted'],
      [ev.returnIt(), 'active.collecting'],
      [ev.submitReport(), 'active.reportSubmitted'],
      [ev.score(80), 'active.collecting'],
      [ev.submitReport({ jointMeetings: 0, activityDays: 0 }, 'The partner office moved'), 'active.reportSubmitted'],
      [ev.score(90.5), 'active.collecting'],
      [ev.submitReport(), 'active.reportSubmitted'],
      [ev.score(85.3), 'yearEndReview'],
      [ev.submitReview(), 'underReview'],
      [ev.returnIt(), 'yearEndReview'],
      [ev.submitReview(), 'underReview'],
      [ev.approveReview(90.1), 'scored'],
    ];
    const end = steps.reduce((snapshot, [event, state]) => expectOk(decide(snapshot, event), state), reach('draft'));

    expect(end.status).toBe('done');
    expect(end.context).toEqual({
      year: YEAR,
      mode: 'voluntary',
      startQuarter: 2,
      quarter: null,
      reportedThrough: 4,
      planAcceptedOn: '2025-04-02',
      quarterScores: [
        { quarter: 2, score: 80 },
        { quarter: 3, score: 90.5 },
        { quarter: 4, score: 85.3 },
      ],
      reviewScore: 90.1,
      // 0.6 × (80 + 90.5 + 85.3) / 3 + 0.4 × 90.1 = 51.16 + 36.04
      finalScore: 87.2,
      revision: 2,
      pendingSubmitterId: null,
      lastUrgedAt: null,
      overdueQuarters: [],
    });
  });

  it('counts each SUBMIT as a revision and remembers who submitted until a decision', () => {
    const proposed = run([ev.submit({}, 'deputy-secretary')]);
    expect(proposed.context).toMatchObject({ revision: 1, pendingSubmitterId: 'deputy-secretary' });
    const returned = step(proposed, ev.returnIt());
    expect(returned.context).toMatchObject({ revision: 1, pendingSubmitterId: null });
    expect(step(returned, ev.submit()).context).toMatchObject({ revision: 2, pendingSubmitterId: SECRETARY });
  });

  it('forgets the submitter when the secretary recalls the proposal', () => {
    expect(step(reach('proposed'), ev.recall()).context.pendingSubmitterId).toBeNull();
  });

  it('takes startQuarter from the filed plan and drops it when the plan is returned', () => {
    const planFiled = run([ev.filePlan(3)], reach('agreementSigned'));
    expect(planFiled.context).toMatchObject({ startQuarter: 3, pendingSubmitterId: SECRETARY });
    expect(step(planFiled, ev.returnIt()).context).toMatchObject({ startQuarter: null, pendingSubmitterId: null });
  });

  it('enters the plan’s first quarter on ACCEPT_PLAN and remembers the day', () => {
    const active = activeIn(3, { startQuarter: 3, acceptedOn: '2025-07-03' });
    expect(active.context).toMatchObject({ quarter: 3, reportedThrough: 2, planAcceptedOn: '2025-07-03', startQuarter: 3 });
  });

  it('scores a quarter and moves on to the next one', () => {
    const next = step(step(activeIn(2), ev.submitReport()), ev.score(77.5));
    expect(stateString(next)).toBe('active.collecting');
    expect(next.context).toMatchObject({ quarter: 3, reportedThrough: 2, pendingSubmitterId: null });
    expect(next.context.quarterScores).toEqual([
      { quarter: 1, score: 90 },
      { quarter: 2, score: 77.5 },
    ]);
  });

  it('reopens the same quarter when a report is returned', () => {
    const returned = step(step(activeIn(2), ev.submitReport()), ev.returnIt());
    expect(stateString(returned)).toBe('active.collecting');
    expect(returned.context).toMatchObject({ quarter: 2, reportedThrough: 1, pendingSubmitterId: null });
    expect(returned.context.quarterScores).toHaveLength(1);
  });

  it('keeps the state but records the urge, the overdue flag and nothing for liaison updates', () => {
    const urged = step(reach('planFiled'), ev.urge('2025-11-20T08:30:00.000Z'));
    expect(stateString(urged)).toBe('planFiled');
    expect(urged.context.lastUrgedAt).toBe('2025-11-20T08:30:00.000Z');

    const flagged = step(step(activeIn(1), ev.quarterOverdue(3)), ev.quarterOverdue(2));
    expect(stateString(flagged)).toBe('active.collecting');
    expect(flagged.context.overdueQuarters).toEqual([2, 3]);

    const before = reach('yearEndReview');
    expect(step(before, ev.updateLiaisons()).context).toEqual(before.context);
  });

  it('terminates from inside the active quarter', () => {
    const terminated = step(reach('active.reportSubmitted'), ev.terminate());
    expect(stateString(terminated)).toBe('terminated');
    expect(terminated.status).toBe('done');
  });
});

describe(`${decide.name} rules`, () => {
  describe('PROPOSAL_INCOMPLETE', () => {
    it.each<[string, Partial<ProposalFacts>, string]>([
      ['a blank title', { title: '   ' }, 'title'],
      ['a blank theme', { theme: '' }, 'theme'],
      ['a blank problem', { problem: '\n' }, 'problem'],
      ['no partner', { partnerCount: 0 }, 'partnerIds'],
      ['no category', { categoryCount: 0 }, 'categories'],
      ['no active liaison', { liaisonActive: false }, 'liaisonUserId'],
    ])('refuses a proposal with %s, naming the field by its API name', (_, gap, field) => {
      expectRule(decide(reach('draft'), ev.submit(gap)), 'PROPOSAL_INCOMPLETE', { missing: [field] });
      expectRule(decide(reach('returned'), ev.submit(gap)), 'PROPOSAL_INCOMPLETE', { missing: [field] });
    });

    it('names every missing field of a bare draft, in the form’s order', () => {
      const bare = { title: 'T', theme: '', problem: '', partnerCount: 0, categoryCount: 0, liaisonActive: false };
      expectRule(decide(reach('draft'), ev.submit(bare)), 'PROPOSAL_INCOMPLETE', {
        missing: ['theme', 'problem', 'partnerIds', 'categories', 'liaisonUserId'],
      });
    });

    it('accepts a complete proposal', () => {
      expectOk(decide(reach('draft'), ev.submit()), 'proposed');
    });
  });

  describe('AGREEMENT_DATES_INVALID', () => {
    it.each([
      ['ends the day it starts', { validFrom: '2025-03-01', validTo: '2025-03-01' }],
      ['ends before it starts', { validFrom: '2025-12-31', validTo: '2025-01-01' }],
      ['starts on no calendar date', { validFrom: '2025-02-30', validTo: '2025-12-31' }],
      ['was signed on no calendar date', { signedOn: '2025-01-32' }],
    ])('refuses an agreement that %s', (_, dates) => {
      expectRule(decide(reach('approved'), ev.sign(dates)), 'AGREEMENT_DATES_INVALID');
    });

    it('accepts an agreement valid for one day', () => {
      expectOk(decide(reach('approved'), ev.sign({ validFrom: '2025-03-01', validTo: '2025-03-02' })), 'agreementSigned');
    });

    it('names the date order before a future signing date', () => {
      const both = ev.sign({ signedOn: '2025-12-01', validFrom: '2025-12-31', validTo: '2025-01-01' });
      expectRule(decide(reach('approved'), both), 'AGREEMENT_DATES_INVALID');
    });
  });

  describe('DATE_IN_FUTURE', () => {
    it('refuses an agreement signed tomorrow and accepts one signed today', () => {
      expectRule(decide(reach('approved'), ev.sign({ signedOn: '2025-11-21' })), 'DATE_IN_FUTURE');
      expectOk(decide(reach('approved'), ev.sign({ signedOn: TODAY })), 'agreementSigned');
    });

    it('refuses an activity held tomorrow and accepts one held today', () => {
      expectRule(decide(activeIn(4), ev.recordActivity('2025-11-21')), 'DATE_IN_FUTURE');
      expectOk(decide(activeIn(4), ev.recordActivity(TODAY)), 'active.collecting');
    });

    it('judges "today" by the date the engine sends, not the host clock', () => {
      expectRule(decide(activeIn(2), ev.recordActivity('2025-05-02', '2025-05-01')), 'DATE_IN_FUTURE');
      expectOk(decide(activeIn(2), ev.recordActivity('2025-05-01', '2025-05-01')));
    });
  });

  describe('PLAN_ITEMS_INVALID', () => {
    it.each([
      ['an item before the starting quarter', 2, [{ quarter: 1, dueDate: '2025-03-15' }]],
      ['an item due the year before', 1, [{ quarter: 1, dueDate: '2024-12-31' }]],
      ['an item due the year after', 1, [{ quarter: 4, dueDate: '2026-01-01' }]],
      [
        'one bad item among good ones',
        2,
        [
          { quarter: 2, dueDate: '2025-06-01' },
          { quarter: 3, dueDate: '2026-01-15' },
        ],
      ],
    ])('refuses a plan with %s', (_, startQuarter, items) => {
      expectRule(decide(reach('agreementSigned'), ev.filePlan(startQuarter, items)), 'PLAN_ITEMS_INVALID');
    });

    it('accepts items from the starting quarter to the last day of the year', () => {
      const items = [
        { quarter: 2, dueDate: '2025-01-01' },
        { quarter: 4, dueDate: '2025-12-31' },
      ];
      expectOk(decide(reach('agreementSigned'), ev.filePlan(2, items)), 'planFiled');
    });
  });

  describe('ACTIVITY_DATE_INVALID', () => {
    const fromQ2 = { startQuarter: 2, acceptedOn: '2025-04-10' };

    it.each([
      ['the year before', '2024-12-20'],
      ['a quarter before the plan starts', '2025-03-31'],
      ['an impossible date', '2025-04-31'],
    ])('refuses an activity dated in %s', (_, heldOn) => {
      expectRule(decide(activeIn(2, fromQ2), ev.recordActivity(heldOn)), 'ACTIVITY_DATE_INVALID');
    });

    it('refuses the quarter whose report waits for a score, and takes the next one', () => {
      const reported = step(activeIn(2, fromQ2), ev.submitReport());
      expectRule(decide(reported, ev.recordActivity('2025-06-30')), 'ACTIVITY_DATE_INVALID');
      expectOk(decide(reported, ev.recordActivity('2025-07-01')), 'active.reportSubmitted');
    });

    it('refuses a scored quarter', () => {
      expectRule(decide(activeIn(3, fromQ2), ev.recordActivity('2025-05-01')), 'ACTIVITY_DATE_INVALID');
    });

    it('takes the quarter again once its report is returned', () => {
      const reopened = run([ev.submitReport(), ev.returnIt()], activeIn(2, fromQ2));
      expectOk(decide(reopened, ev.recordActivity('2025-05-01')), 'active.collecting');
    });

    it('accepts the plan’s first quarter and later unreported quarters', () => {
      expectOk(decide(activeIn(2, fromQ2), ev.recordActivity('2025-04-01')));
      expectOk(decide(activeIn(2, fromQ2), ev.recordActivity('2025-09-30')));
    });

    it('gives way to DATE_IN_FUTURE when both apply', () => {
      expectRule(decide(activeIn(2, fromQ2), ev.recordActivity('2026-01-05')), 'DATE_IN_FUTURE');
    });
  });

  describe('ACTIVITY_NOT_VOIDABLE', () => {
    it.each([
      ['an unknown activity', null],
      ['an activity already void', { quarter: 2, voided: true }],
      ['an activity of a scored quarter', { quarter: 1, voided: false }],
    ])('refuses to void %s', (_, activity) => {
      expectRule(decide(activeIn(2), ev.voidActivity(activity)), 'ACTIVITY_NOT_VOIDABLE');
    });

    it('refuses an activity of the quarter whose report waits, but voids a later one', () => {
      const reported = step(activeIn(2), ev.submitReport());
      expectRule(decide(reported, ev.voidActivity({ quarter: 2, voided: false })), 'ACTIVITY_NOT_VOIDABLE');
      expectOk(decide(reported, ev.voidActivity({ quarter: 3, voided: false })), 'active.reportSubmitted');
    });

    it('voids an activity of the quarter being collected', () => {
      expectOk(decide(activeIn(2), ev.voidActivity({ quarter: 2, voided: false })), 'active.collecting');
    });
  });

  describe('QUARTER_REQUIREMENTS_NOT_MET', () => {
    it.each([
      ['no joint meeting', { jointMeetings: 0, activityDays: 3 }, undefined],
      ['no activity day', { jointMeetings: 2, activityDays: 0 }, undefined],
      ['neither, with a blank reason', { jointMeetings: 0, activityDays: 0 }, '   '],
    ])('refuses a report with %s', (_, counts, reason) => {
      expectRule(decide(activeIn(1), ev.submitReport(counts, reason)), 'QUARTER_REQUIREMENTS_NOT_MET');
    });

    it('accepts a quarter that met both requirements without a reason', () => {
      expectOk(decide(activeIn(1), ev.submitReport({ jointMeetings: 1, activityDays: 1 })), 'active.reportSubmitted');
    });

    it('accepts a shortfall that is explained', () => {
      const explained = ev.submitReport({ jointMeetings: 0, activityDays: 0 }, 'Flood season closed the venue');
      expectOk(decide(activeIn(1), explained), 'active.reportSubmitted');
    });
  });

  describe('URGED_RECENTLY', () => {
    const urgedOnce = () => step(reach('proposed'), ev.urge('2025-11-20T08:00:00.000Z'));

    it('refuses a second urge within 24 hours with status 429', () => {
      const decision = decide(urgedOnce(), ev.urge('2025-11-21T07:59:59.999Z'));
      expectRule(decision, 'URGED_RECENTLY');
      expect(decision).toMatchObject({ status: 429 });
    });

    it('accepts the next urge once 24 hours have passed, and restarts the clock', () => {
      const again = expectOk(decide(urgedOnce(), ev.urge('2025-11-21T08:00:00.000Z')), 'proposed');
      expect(again.context.lastUrgedAt).toBe('2025-11-21T08:00:00.000Z');
    });

    it('counts per pairing under versions 1 and 2, whatever step the pairing waits in', () => {
      for (const version of [1, 2]) {
        const urgedOnPlan = step(reach('planFiled', version), ev.urge('2025-11-20T08:00:00.000Z', '2025-11-19T10:00:00.000Z'));
        const reported = run([ev.acceptPlan(), ev.submitReport()], urgedOnPlan);
        expect(decide(reported, ev.urge('2025-11-20T20:00:00.000Z', '2025-11-20T12:00:00.000Z'))).toMatchObject({
          ok: false,
          code: 'URGED_RECENTLY',
          status: 429,
        });
      }
    });

    it('counts per waiting step from version 3 on (SPEC §10): a new step may be urged at once, then once a day', () => {
      const urgedOnPlan = step(reach('planFiled'), ev.urge('2025-11-20T08:00:00.000Z', '2025-11-19T10:00:00.000Z'));
      const reported = run([ev.acceptPlan(), ev.submitReport()], urgedOnPlan);
      const newStep = '2025-11-20T12:00:00.000Z';
      const urged = expectOk(decide(reported, ev.urge('2025-11-20T20:00:00.000Z', newStep)), 'active.reportSubmitted');
      expect(urged.context.lastUrgedAt).toBe('2025-11-20T20:00:00.000Z');
      expectRule(decide(urged, ev.urge('2025-11-21T19:59:59.999Z', newStep)), 'URGED_RECENTLY');
      expectOk(decide(urged, ev.urge('2025-11-21T20:00:00.000Z', newStep)), 'active.reportSubmitted');
      // The same step, urged before: the day counts. Not knowing when the step began, the urge counts too.
      expectRule(decide(urgedOnPlan, ev.urge('2025-11-20T20:00:00.000Z', '2025-11-19T10:00:00.000Z')), 'URGED_RECENTLY');
      expectRule(decide(reported, ev.urge('2025-11-20T20:00:00.000Z')), 'URGED_RECENTLY');
    });
  });

  describe('QUARTER_NOT_OVERDUABLE', () => {
    const fromQ2 = { startQuarter: 2, acceptedOn: '2025-04-10' };

    it.each([
      ['a quarter before the plan starts', 1, '2025-11-20'],
      ['a quarter that does not exist', 5, '2026-02-01'],
      ['a quarter whose report is not due yet', 2, '2025-07-15'],
    ])('refuses %s', (_, quarter, today) => {
      expectRule(decide(activeIn(2, fromQ2), ev.quarterOverdue(quarter, today)), 'QUARTER_NOT_OVERDUABLE');
    });

    it('flags an unreported quarter the day after its report was due, once', () => {
      const flagged = expectOk(decide(activeIn(2, fromQ2), ev.quarterOverdue(2, '2025-07-16')), 'active.collecting');
      expect(flagged.context.overdueQuarters).toEqual([2]);
      expectRule(decide(flagged, ev.quarterOverdue(2, '2025-07-17')), 'QUARTER_NOT_OVERDUABLE');
    });

    it('refuses a quarter already reported', () => {
      const reported = step(activeIn(2, fromQ2), ev.submitReport());
      expectRule(decide(reported, ev.quarterOverdue(2, '2025-07-16')), 'QUARTER_NOT_OVERDUABLE');
    });

    it('never flags a quarter that ended before the plan was accepted', () => {
      const lateStart = activeIn(1, { startQuarter: 1, acceptedOn: '2025-05-10' });
      expectRule(decide(lateStart, ev.quarterOverdue(1, '2025-07-16')), 'QUARTER_NOT_OVERDUABLE');
      expectOk(decide(lateStart, ev.quarterOverdue(2, '2025-07-16')));
    });
  });
});

describe(isSeparationOfDutiesViolation.name, () => {
  // The standard route has SECRETARY send every submission.
  const decisions: [PairingState, PairingEventType][] = [
    ['proposed', 'APPROVE'],
    ['proposed', 'RETURN'],
    ['proposed', 'REJECT'],
    ['planFiled', 'ACCEPT_PLAN'],
    ['planFiled', 'RETURN'],
    ['active.reportSubmitted', 'SCORE_QUARTER'],
    ['active.reportSubmitted', 'RETURN'],
    ['underReview', 'APPROVE_REVIEW'],
    ['underReview', 'RETURN'],
  ];

  it.each(decisions)('in %s, %s by the submitter is refused, by anyone else allowed', (state, type) => {
    const snapshot = reach(state);
    expect(snapshot.context.pendingSubmitterId).toBe(SECRETARY);
    expect(isSeparationOfDutiesViolation(snapshot, { type, meta: meta(SECRETARY) })).toBe(true);
    expect(isSeparationOfDutiesViolation(snapshot, { type, meta: meta(COMMITTEE) })).toBe(false);
  });

  it('does not apply to events that are not decisions', () => {
    const snapshot = reach('proposed');
    for (const type of ['URGE', 'RECALL', 'TERMINATE', 'UPDATE_LIAISONS'] as const) {
      expect(isSeparationOfDutiesViolation(snapshot, { type, meta: meta(SECRETARY) })).toBe(false);
    }
  });

  it('does not apply once the submission has been decided', () => {
    const snapshot = reach('approved');
    expect(isSeparationOfDutiesViolation(snapshot, { type: 'RETURN', meta: meta(SECRETARY) })).toBe(false);
    expect(isSeparationOfDutiesViolation(snapshot, { type: 'APPROVE', meta: meta(null) })).toBe(false);
  });
});

describe(probe.name, () => {
  it('lists an incomplete proposal as blocked by PROPOSAL_INCOMPLETE', () => {
    const incomplete = { ...COMPLETE_PROPOSAL, liaisonActive: false };
    expect(probe(reach('draft'), 'SUBMIT', { meta: meta(), proposal: incomplete })).toEqual({
      accepted: true,
      blockedCode: 'PROPOSAL_INCOMPLETE',
      details: { missing: ['liaisonUserId'] },
    });
    expect(probe(reach('returned'), 'SUBMIT', { meta: meta(), proposal: COMPLETE_PROPOSAL })).toEqual({ accepted: true });
  });

  it('lists URGE as blocked by URGED_RECENTLY until a day has passed', () => {
    const urged = step(reach('underReview'), ev.urge('2025-11-20T08:00:00.000Z'));
    const at = (now: string) => ({ meta: meta(SECRETARY, now.slice(0, 10), now) });
    expect(probe(urged, 'URGE', at('2025-11-20T09:00:00.000Z'))).toEqual({ accepted: true, blockedCode: 'URGED_RECENTLY' });
    expect(probe(urged, 'URGE', at('2025-11-21T08:00:00.000Z'))).toEqual({ accepted: true });
  });

  it('lists URGE as available in a step begun after the last urge (version 3 on)', () => {
    const urged = step(reach('planFiled'), ev.urge('2025-11-20T08:00:00.000Z'));
    const reported = run([ev.acceptPlan(), ev.submitReport()], urged);
    const at = (now: string, waitingSince: string) => ({ meta: meta(SECRETARY, now.slice(0, 10), now), urge: { waitingSince } });
    expect(probe(reported, 'URGE', at('2025-11-20T20:00:00.000Z', '2025-11-20T12:00:00.000Z'))).toEqual({ accepted: true });
    expect(probe(reported, 'URGE', at('2025-11-20T20:00:00.000Z', '2025-11-20T07:00:00.000Z'))).toEqual({
      accepted: true,
      blockedCode: 'URGED_RECENTLY',
    });
  });

  it('does not judge rules that depend on the payload', () => {
    expect(probe(reach('approved'), 'SIGN_AGREEMENT', { meta: meta() })).toEqual({ accepted: true });
    expect(probe(reach('active.collecting'), 'SUBMIT_QUARTER_REPORT', { meta: meta() })).toEqual({ accepted: true });
  });

  it('reports events the state does not take as not accepted', () => {
    expect(probe(reach('draft'), 'URGE', { meta: meta() })).toEqual({ accepted: false });
    expect(probe(reach('draft'), 'TERMINATE')).toEqual({ accepted: false });
    expect(probe(reach('scored'), 'UPDATE_LIAISONS')).toEqual({ accepted: false });
  });

  it('agrees with the hand-written table for every version, state and event type', () => {
    for (const version of [1, 2]) {
      for (const state of PAIRING_STATES) {
        const snapshot = reach(state, version);
        const accepted = PAIRING_EVENT_TYPES.filter((type) => probe(snapshot, type).accepted);
        expect({ version, state, accepted }).toEqual({
          version,
          state,
          accepted: PAIRING_EVENT_TYPES.filter((t) => t in EXPECTED_BY_VERSION[version][state]),
        });
      }
    }
  });
});

describe(stateMeta.name, () => {
  const EXPECTED_META: Record<PairingState, PairingStateMeta | null> = {
    draft: { waitsOn: 'secretary', task: 'SUBMIT_PROPOSAL', due: null },
    proposed: { waitsOn: 'committee', task: 'REVIEW_PROPOSAL', due: { days: 7 }, decides: 'proposal' },
    returned: { waitsOn: 'secretary', task: 'REVISE_PROPOSAL', due: null },
    approved: { waitsOn: 'secretary', task: 'SIGN_AGREEMENT', due: null },
    agreementSigned: { waitsOn: 'secretary', task: 'FILE_PLAN', due: null },
    planFiled: { waitsOn: 'committee', task: 'REVIEW_PLAN', due: { days: 7 }, decides: 'plan' },
    'active.collecting': { waitsOn: 'secretary', task: 'SUBMIT_QUARTER_REPORT', due: { afterQuarterEnd: 15 } },
    'active.reportSubmitted': { waitsOn: 'committee', task: 'SCORE_QUARTER', due: { days: 7 }, decides: 'quarterReport' },
    yearEndReview: { waitsOn: 'secretary', task: 'SUBMIT_REVIEW', due: { afterYearEnd: 15 } },
    underReview: { waitsOn: 'committee', task: 'APPROVE_REVIEW', due: { days: 7 }, decides: 'review' },
    scored: null,
    withdrawn: null,
    rejected: null,
    terminated: null,
  };

  it.each(PAIRING_STATES)('%s', (state) => {
    expect(stateMeta(reach(state))).toEqual(EXPECTED_META[state]);
  });
});

describe(createPairingSnapshot.name, () => {
  it('starts a directed pairing in draft with empty bookkeeping', () => {
    const snapshot = createPairingSnapshot({ year: 2026, mode: 'directed' });
    expect(stateString(snapshot)).toBe('draft');
    expect(snapshot.status).toBe('active');
    expect(snapshot.context).toEqual({
      year: 2026,
      mode: 'directed',
      startQuarter: null,
      quarter: null,
      reportedThrough: null,
      planAcceptedOn: null,
      quarterScores: [],
      reviewScore: null,
      finalScore: null,
      revision: 0,
      pendingSubmitterId: null,
      lastUrgedAt: null,
      overdueQuarters: [],
    });
  });
});

describe(restorePairingSnapshot.name, () => {
  const throughJson = (snapshot: PairingSnapshot): unknown => JSON.parse(JSON.stringify(persistSnapshot(snapshot)));

  it('continues a pairing from its stored JSON exactly as the live snapshot would', () => {
    const live = reach('active.reportSubmitted');
    const restored = restorePairingSnapshot(throughJson(live), PAIRING_WORKFLOW_VERSION);
    expect(stateString(restored)).toBe('active.reportSubmitted');
    expect(restored.context).toEqual(live.context);

    const fromRestored = expectOk(decide(restored, ev.score(88)), 'active.collecting');
    const fromLive = expectOk(decide(live, ev.score(88)), 'active.collecting');
    expect(fromRestored.context).toEqual(fromLive.context);
    expectRule(decide(fromRestored, ev.recordActivity('2025-02-01')), 'ACTIVITY_DATE_INVALID');
  });

  it('restores a finished pairing as finished', () => {
    const restored = restorePairingSnapshot(throughJson(reach('scored')), PAIRING_WORKFLOW_VERSION);
    expect(restored.status).toBe('done');
    expect(decide(restored, ev.terminate())).toEqual({ ok: false, reason: 'INVALID_TRANSITION', state: 'scored' });
  });

  it('refuses a workflow version this build does not know', () => {
    const persisted = throughJson(reach('draft'));
    expect(() => restorePairingSnapshot(persisted, 4)).toThrow('Unknown pairing workflow version 4');
    expect(() => restorePairingSnapshot(persisted, 0)).toThrow('Unknown pairing workflow version 0');
  });

  it('refuses stored data that is not a snapshot of that version', () => {
    const persisted = throughJson(reach('draft')) as Record<string, unknown>;
    expect(() => restorePairingSnapshot({ ...persisted, value: 'archived' }, 1)).toThrow('does not fit workflow version 1');
    expect(() => restorePairingSnapshot('draft', 1)).toThrow('must be an object with value and context');
  });

  it('keeps every released version loadable', () => {
    expect(PAIRING_MACHINES[PAIRING_WORKFLOW_VERSION]).toBe(pairingMachine);
    expect(Object.keys(PAIRING_MACHINES).map(Number)).toContain(1);
  });
});

describe(allowedActors.name, () => {
  it('lets the secretary withdraw a voluntary pairing and only the committee a directed one', () => {
    expect(allowedActors('WITHDRAW', { mode: 'voluntary' })).toEqual(['leadSecretary']);
    expect(allowedActors('WITHDRAW', { mode: 'directed' })).toEqual(['committee']);
  });

  it('lets the liaison record activities, jobs raise overdue quarters, and the committee decide', () => {
    expect(allowedActors('RECORD_ACTIVITY', { mode: 'voluntary' })).toEqual(['leadSecretary', 'liaison']);
    expect(allowedActors('QUARTER_OVERDUE', { mode: 'directed' })).toEqual(['system']);
    for (const type of ['APPROVE', 'RETURN', 'REJECT', 'ACCEPT_PLAN', 'SCORE_QUARTER', 'APPROVE_REVIEW', 'TERMINATE'] as const) {
      expect(allowedActors(type, { mode: 'voluntary' })).toEqual(['committee']);
    }
    for (const type of ['SUBMIT', 'RECALL', 'URGE', 'UPDATE_LIAISONS', 'VOID_ACTIVITY', 'SUBMIT_REVIEW'] as const) {
      expect(allowedActors(type, { mode: 'directed' })).toEqual(['leadSecretary']);
    }
  });

  it('names someone for every event type in both modes', () => {
    const v2Only = ['COUNTERSIGN_AGREEMENT', 'CONFIRM_ACTIVITY', 'EVALUATE_PARTNERSHIP', 'MIGRATE_WORKFLOW'];
    expect(Object.keys(V1_ACTORS).sort()).toEqual(PAIRING_EVENT_TYPES.filter((type) => !v2Only.includes(type)).sort());
    expect(Object.keys(V2_ACTORS).sort()).toEqual(PAIRING_EVENT_TYPES.filter((type) => type !== 'MIGRATE_WORKFLOW').sort());
    for (const type of PAIRING_EVENT_TYPES) {
      expect(allowedActors(type, { mode: 'voluntary' }).length).toBeGreaterThan(0);
      expect(allowedActors(type, { mode: 'directed' }).length).toBeGreaterThan(0);
    }
  });
});

describe(pairingMermaid.name, () => {
  const diagram = pairingMermaid();

  it('is a stateDiagram-v2 that mentions every state and every event of its version', () => {
    expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
    for (const state of PAIRING_STATES) expect(diagram).toContain(state);
    for (const type of PAIRING_EVENT_TYPES.filter((t) => t !== 'MIGRATE_WORKFLOW')) expect(diagram).toMatch(new RegExp(`: ${type}\\b`));
    expect(diagram).not.toContain('MIGRATE_WORKFLOW');
  });

  it('draws version 1 without the partner side, and notes that it migrates to version 2', () => {
    const v1 = pairingMermaid(PAIRING_MACHINES[1]);
    expect(v1).not.toContain('COUNTERSIGN_AGREEMENT');
    expect(v1.split('\n').map((line) => line.trim())).toContain(
      'note right of draft : MIGRATE_WORKFLOW (committee) from any non-final state to version 2',
    );
    expect(diagram.split('\n').map((line) => line.trim())).toContain(
      'underReview --> underReview : EVALUATE_PARTNERSHIP [unless PARTNERSHIP_ALREADY_EVALUATED]',
    );
  });

  it('draws transitions, guards and final states from the definition', () => {
    const lines = diagram.split('\n').map((line) => line.trim());
    expect(lines).toContain('[*] --> draft');
    expect(lines).toContain('draft --> proposed : SUBMIT [unless PROPOSAL_INCOMPLETE]');
    expect(lines).toContain('planFiled --> active : ACCEPT_PLAN');
    expect(lines).toContain('active_reportSubmitted --> yearEndReview : SCORE_QUARTER [isLastQuarter]');
    expect(lines).toContain('active_reportSubmitted --> active_collecting : SCORE_QUARTER [else]');
    expect(lines).toContain(
      'active --> active : RECORD_ACTIVITY [unless DATE_IN_FUTURE, ACTIVITY_DATE_INVALID, NO_OPEN_QUARTER, ATTACHMENT_NOT_FOUND]',
    );
    expect(lines).toContain('scored --> [*]');
    expect(lines.filter((line) => line.endsWith('--> [*]'))).toHaveLength(FINAL_PAIRING_STATES.length);
  });

  it('draws whatever machine it is given', () => {
    const toggle = createMachine({
      id: 'toggle',
      initial: 'off',
      states: { off: { on: { FLIP: 'on' } }, on: { on: { FLIP: 'off' } } },
    });
    expect(pairingMermaid(toggle)).toBe(['stateDiagram-v2', '  [*] --> off', '  off --> on : FLIP', '  on --> off : FLIP'].join('\n'));
  });
});

describe('rules judged from facts the engine looks up', () => {
  const withEvidence = (unusable: number[]): PairingEvent => ({
    ...(ev.recordActivity() as PairingEventOf<'RECORD_ACTIVITY'>),
    facts: { attachments: { usable: [], unusable } },
  });

  it('ATTACHMENT_NOT_FOUND names the evidence the sender may not use, after the date rules', () => {
    expectRule(decide(activeIn(4), withEvidence([9, 12])), 'ATTACHMENT_NOT_FOUND', { attachmentIds: [9, 12] });
    expectOk(decide(activeIn(4), withEvidence([])), 'active.collecting');
    const futureAndForeign = {
      ...(withEvidence([9]) as PairingEventOf<'RECORD_ACTIVITY'>),
      payload: { ...(ev.recordActivity('2025-12-01') as PairingEventOf<'RECORD_ACTIVITY'>).payload },
    };
    expectRule(decide(activeIn(4), futureAndForeign), 'DATE_IN_FUTURE');
  });

  it('LIAISON_NOT_IN_BRANCH and PARTNER_NOT_IN_PAIRING judge UPDATE_LIAISONS, in that order', () => {
    const update = (liaisonFits: boolean, partnerLiaisonsFit: boolean): PairingEvent => ({
      ...(ev.updateLiaisons() as PairingEventOf<'UPDATE_LIAISONS'>),
      facts: { liaisonFits, partnerLiaisonsFit },
    });
    expectRule(decide(reach('approved'), update(false, false)), 'LIAISON_NOT_IN_BRANCH');
    expectRule(decide(reach('approved'), update(true, false)), 'PARTNER_NOT_IN_PAIRING');
    expectOk(decide(reach('approved'), update(true, true)), 'approved');
  });
});

describe('NO_OPEN_QUARTER', () => {
  it('lists RECORD_ACTIVITY as blocked once no quarter takes activities, and never changes which refusal a request gets', () => {
    const lastReported = step(activeIn(4), ev.submitReport());
    expect(probe(lastReported, 'RECORD_ACTIVITY', { meta: meta() })).toEqual({ accepted: true, blockedCode: 'NO_OPEN_QUARTER' });
    expectRule(decide(lastReported, ev.recordActivity('2025-11-01')), 'ACTIVITY_DATE_INVALID');
    expect(probe(activeIn(4), 'RECORD_ACTIVITY', { meta: meta() })).toEqual({ accepted: true });
  });

  it('waits for the next quarter to begin after a report sent before its quarter ended', () => {
    const reportedEarly = step(activeIn(2), ev.submitReport());
    expect(probe(reportedEarly, 'RECORD_ACTIVITY', { meta: meta(SECRETARY, '2025-06-29') })).toMatchObject({
      blockedCode: 'NO_OPEN_QUARTER',
    });
    expect(probe(reportedEarly, 'RECORD_ACTIVITY', { meta: meta(SECRETARY, '2025-07-01') })).toEqual({ accepted: true });
  });
});

describe('versions', () => {
  it('judge each snapshot by the rules of the version it runs under', () => {
    expect(workflowOf(reach('draft', 1))).toBe(PAIRING_WORKFLOWS[1]);
    expect(workflowOf(reach('draft', 2))).toBe(PAIRING_WORKFLOWS[2]);
    expect(workflowOf(reach('draft'))).toBe(PAIRING_WORKFLOWS[3]);
    expect(PAIRING_WORKFLOWS[1].rules).toBe(V1_RULES);
    expect(PAIRING_WORKFLOWS[2].rules).toBe(V2_RULES);
    // Version 3 judges URGE by its own rule; version 2's stays as it was for the pairings running on it.
    expect(PAIRING_WORKFLOWS[3].rules.URGED_RECENTLY).not.toBe(V2_RULES.URGED_RECENTLY);
    expect(V2_RULES.URGED_RECENTLY).toBe(V1_RULES.URGED_RECENTLY);
    // Version 1's table has none of version 2's rules, so a v1 pairing is never judged by them.
    expect(Object.keys(V1_RULES)).not.toContain('ALREADY_COUNTERSIGNED');
    expect(Object.keys(PAIRING_WORKFLOWS[1].eventRules).every((type) => (PAIRING_EVENT_TYPES as readonly string[]).includes(type))).toBe(
      true,
    );
    for (const codes of Object.values(PAIRING_WORKFLOWS[1].eventRules))
      for (const code of codes ?? []) expect(V1_RULES).toHaveProperty(code);
  });
});

describe('the partner side (version 2, SPEC §12)', () => {
  it('lets a partner countersign once, with evidence it may use', () => {
    expectOk(decide(reach('agreementSigned'), ev.countersign()), 'agreementSigned');
    expectRule(decide(reach('agreementSigned'), ev.countersign(true)), 'ALREADY_COUNTERSIGNED');
    expectRule(decide(reach('planFiled'), ev.countersign(false, [4])), 'ATTACHMENT_NOT_FOUND', { attachmentIds: [4] });
  });

  it('confirms an activity once, never a void or unknown one', () => {
    const active = activeIn(4);
    expectOk(decide(active, ev.confirmActivity()), 'active.collecting');
    expectRule(decide(active, ev.confirmActivity(null)), 'ACTIVITY_NOT_CONFIRMABLE');
    expectRule(decide(active, ev.confirmActivity({ voided: true, confirmed: false })), 'ACTIVITY_NOT_CONFIRMABLE');
    expectRule(decide(active, ev.confirmActivity({ voided: false, confirmed: true })), 'ACTIVITY_ALREADY_CONFIRMED');
  });

  it('takes one evaluation per partner while the year is reviewed, and says so in advance', () => {
    expectOk(decide(reach('yearEndReview'), ev.evaluate()), 'yearEndReview');
    expectRule(decide(reach('underReview'), ev.evaluate(true)), 'PARTNERSHIP_ALREADY_EVALUATED');
    const partner = { countersigned: true, evaluated: true };
    expect(probe(reach('underReview'), 'EVALUATE_PARTNERSHIP', { meta: meta(PARTNER), partner })).toEqual({
      accepted: true,
      blockedCode: 'PARTNERSHIP_ALREADY_EVALUATED',
    });
    expect(probe(reach('underReview'), 'EVALUATE_PARTNERSHIP', { meta: meta(PARTNER) })).toEqual({ accepted: true });
    // A partner that countersigned is told so in advance; without its facts (the secretary's paper record) nothing is judged.
    expect(probe(reach('planFiled'), 'COUNTERSIGN_AGREEMENT', { meta: meta(PARTNER), partner })).toEqual({
      accepted: true,
      blockedCode: 'ALREADY_COUNTERSIGNED',
    });
    expect(probe(reach('planFiled'), 'COUNTERSIGN_AGREEMENT', { meta: meta(SECRETARY) })).toEqual({ accepted: true });
    expect(probe(reach('active.collecting'), 'EVALUATE_PARTNERSHIP')).toEqual({ accepted: false });
  });

  it('lets the partner and the lead secretary countersign, and only the partner confirm and evaluate', () => {
    const v2 = PAIRING_WORKFLOWS[2];
    expect(allowedActors('COUNTERSIGN_AGREEMENT', { mode: 'voluntary' }, v2)).toEqual(['partner', 'leadSecretary']);
    expect(allowedActors('CONFIRM_ACTIVITY', { mode: 'directed' }, v2)).toEqual(['partner']);
    expect(allowedActors('EVALUATE_PARTNERSHIP', { mode: 'voluntary' }, v2)).toEqual(['partner']);
    // On a v1 pairing the partner is told the state does not take the event (409), not that it may not (403).
    expect(allowedActors('CONFIRM_ACTIVITY', { mode: 'voluntary' }, PAIRING_WORKFLOWS[1])).toEqual(['partner']);
    expect(allowedActors('MIGRATE_WORKFLOW', { mode: 'voluntary' }, PAIRING_WORKFLOWS[1])).toEqual(['committee']);
  });
});

describe('MIGRATE_WORKFLOW', () => {
  it.each(NON_FINAL_STATES)('moves a v1 pairing in %s to version 2 with its state and context as they were', (state) => {
    const v1 = reach(state, 1);
    const migrated = expectOk(decide(v1, ev.migrate()), state);
    expect(workflowOf(migrated).version).toBe(2);
    expect(migrated.context).toEqual(v1.context);
    expect(stateMeta(migrated)).toEqual(stateMeta(v1));
    // Through JSON, as the engine stores it, it is restored under version 2.
    const stored: unknown = JSON.parse(JSON.stringify(persistSnapshot(migrated)));
    const restored = restorePairingSnapshot(stored, 2);
    expect(stateString(restored)).toBe(state);
    expect(decide(restored, ev.migrate())).toMatchObject({ ok: false, code: 'MIGRATION_TARGET_INVALID', details: { toVersion: 3 } });
    expect(probe(restored, 'COUNTERSIGN_AGREEMENT').accepted).toBe(PARTNER_SIDE_STATES.includes(state));
  });

  it.each(NON_FINAL_STATES)('moves a v2 pairing in %s to version 3 with its state and context as they were', (state) => {
    const v2 = reach(state, 2);
    const migrated = expectOk(decide(v2, ev.migrate(3)), state);
    expect(workflowOf(migrated).version).toBe(3);
    expect(migrated.context).toEqual(v2.context);
    expect(stateMeta(migrated)).toEqual(stateMeta(v2));
    const restored = restorePairingSnapshot(JSON.parse(JSON.stringify(persistSnapshot(migrated))), 3);
    expect(stateString(restored)).toBe(state);
    expect(decide(restored, ev.migrate(4))).toEqual({ ok: false, reason: 'INVALID_TRANSITION', state });
  });

  it('continues a migrated year exactly as a v1 one would', () => {
    const v1 = activeIn(3, { version: 1 });
    const migrated = expectOk(decide(v1, ev.migrate()), 'active.collecting');
    const rest = [ev.submitReport(), ev.score(80), ev.submitReport(), ev.score(90), ev.submitReview(), ev.approveReview(85)];
    const afterV1 = run(rest, v1);
    const afterV2 = run(rest, migrated);
    expect(afterV2.context).toEqual(afterV1.context);
    expect(stateString(afterV2)).toBe('scored');
  });

  it('refuses another target, a finished pairing and a pairing already on the newest version', () => {
    expect(WORKFLOW_MIGRATIONS).toEqual({ 1: 2, 2: 3 });
    expect(decide(reach('approved', 1), ev.migrate(3))).toEqual({
      ok: false,
      reason: 'RULE',
      code: 'MIGRATION_TARGET_INVALID',
      status: 422,
      message: expect.any(String),
      details: { toVersion: 2 },
    });
    expect(decide(reach('scored', 1), ev.migrate())).toEqual({ ok: false, reason: 'INVALID_TRANSITION', state: 'scored' });
    expect(decide(reach('approved', 2), ev.migrate())).toMatchObject({
      ok: false,
      code: 'MIGRATION_TARGET_INVALID',
      details: { toVersion: 3 },
    });
    expect(decide(reach('approved'), ev.migrate(4))).toEqual({ ok: false, reason: 'INVALID_TRANSITION', state: 'approved' });
  });
});

describe('what a pairing asks of its partners', () => {
  it.each(Object.keys(EXPECTED_BY_VERSION).map(Number))(
    'version %i: by the state alone, the same as by the snapshot and as the table of transitions',
    (version) => {
      for (const state of PAIRING_STATES) {
        const expected = Object.keys(EXPECTED_BY_VERSION[version][state]).filter((type) =>
          (PARTNER_TASKS as readonly string[]).includes(type),
        );
        expect([...partnerTasksOf(version, state)].sort()).toEqual(expected.sort());
        expect([...partnerTasksAsked(reach(state, version))].sort()).toEqual(expected.sort());
      }
    },
  );

  it('asks the partners of version 2 to countersign and confirm from the signed agreement until the year is scored, and nothing after', () => {
    expect([...partnerTasksOf(2, 'planFiled')].sort()).toEqual(['CONFIRM_ACTIVITY', 'COUNTERSIGN_AGREEMENT']);
    expect([...partnerTasksOf(2, 'underReview')].sort()).toEqual(['CONFIRM_ACTIVITY', 'COUNTERSIGN_AGREEMENT', 'EVALUATE_PARTNERSHIP']);
    expect(partnerTasksOf(2, 'scored').size).toBe(0);
    expect(partnerTasksOf(1, 'planFiled').size).toBe(0);
  });
});
