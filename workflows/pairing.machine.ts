import { assign, getNextTransitions, initialTransition, setup, transition, type SnapshotFrom, type StateValue } from 'xstate';
import { firstBrokenRule, PAIRING_RULES, ruleViolation, type RuleCode } from './pairing.rules';
import { finalScore } from './scoring';
import {
  PAIRING_STATES,
  type EventMeta,
  type PairingContext,
  type PairingEvent,
  type PairingEventType,
  type PairingInput,
  type PairingState,
  type PairingStateMeta,
  type ProposalFacts,
} from './pairing.types';

/** Set before any state that reads it (FILE_PLAN, ACCEPT_PLAN); null there is a machine bug, not a refusal. */
function present<T>(value: T | null, name: keyof PairingContext): T {
  if (value === null) throw new Error(`Pairing context ${name} is not set in this state`);
  return value;
}

/**
 * The pairing lifecycle of SPEC §5. Pure: time and facts arrive in events, there
 * are no timers, and the server steps it with `decide` (xstate's `transition`).
 */
const pairingSetup = setup({
  types: {
    context: {} as PairingContext,
    events: {} as PairingEvent,
    input: {} as PairingInput,
    meta: {} as PairingStateMeta,
  },
  guards: {
    rulesHold: ({ context, event }, params: { rules: readonly RuleCode[] }) => firstBrokenRule(params.rules, context, event) === undefined,
    isLastQuarter: ({ context }) => context.quarter === 4,
  },
  actions: {
    countRevision: assign({ revision: ({ context }) => context.revision + 1 }),
    rememberSubmitter: assign({ pendingSubmitterId: ({ event }) => event.meta.actorId }),
    forgetSubmitter: assign({ pendingSubmitterId: null }),
    recordPlanStart: assign((_, params: { startQuarter: number }) => ({ startQuarter: params.startQuarter })),
    // A returned plan no longer says when the pairing starts; the next FILE_PLAN will.
    discardPlanStart: assign({ startQuarter: null }),
    enterFirstQuarter: assign(({ context, event }) => {
      const startQuarter = present(context.startQuarter, 'startQuarter');
      return { quarter: startQuarter, reportedThrough: startQuarter - 1, planAcceptedOn: event.meta.today };
    }),
    markQuarterReported: assign({ reportedThrough: ({ context }) => present(context.quarter, 'quarter') }),
    reopenQuarter: assign({ reportedThrough: ({ context }) => present(context.quarter, 'quarter') - 1 }),
    recordQuarterScore: assign(({ context }, params: { score: number }) => ({
      quarterScores: [...context.quarterScores, { quarter: present(context.quarter, 'quarter'), score: params.score }],
    })),
    advanceQuarter: assign({ quarter: ({ context }) => present(context.quarter, 'quarter') + 1 }),
    // The year's quarters are done: there is no current quarter any more.
    closeQuarters: assign({ quarter: null }),
    recordReview: assign(({ context }, params: { score: number }) => ({
      reviewScore: params.score,
      finalScore: finalScore(context.quarterScores, present(context.startQuarter, 'startQuarter'), params.score),
    })),
    noteUrge: assign({ lastUrgedAt: ({ event }) => event.meta.now }),
    flagOverdue: assign(({ context }, params: { quarter: number }) => ({
      overdueQuarters: [...context.overdueQuarters, params.quarter].sort((a, b) => a - b),
    })),
  },
});

function waits(waitsOn: PairingStateMeta['waitsOn'], task: PairingStateMeta['task'], due: PairingStateMeta['due']) {
  return { waitsOn, task, due } satisfies PairingStateMeta;
}

const COMMITTEE_SLA = { days: 7 } as const;

/** Accepted in every non-final state after draft. */
const AFTER_DRAFT = {
  // The engine stores the new liaisons; the lifecycle does not move.
  UPDATE_LIAISONS: { actions: [] },
  TERMINATE: { target: '#pairing.terminated', actions: 'forgetSubmitter' },
} as const;

/** Only while the pairing waits on the committee. */
const URGE = {
  guard: { type: 'rulesHold', params: { rules: ['URGED_RECENTLY'] } },
  actions: 'noteUrge',
} as const;

const SUBMIT_PROPOSAL = {
  target: '#pairing.proposed',
  guard: { type: 'rulesHold', params: { rules: ['PROPOSAL_INCOMPLETE'] } },
  actions: ['countRevision', 'rememberSubmitter'],
} as const;

export const pairingMachineV1 = pairingSetup.createMachine({
  id: 'pairing',
  initial: 'draft',
  context: ({ input }) => ({
    year: input.year,
    mode: input.mode,
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
  }),
  states: {
    draft: {
      meta: waits('secretary', 'SUBMIT_PROPOSAL', null),
      on: {
        SUBMIT: SUBMIT_PROPOSAL,
        WITHDRAW: { target: 'withdrawn' },
      },
    },
    proposed: {
      meta: waits('committee', 'REVIEW_PROPOSAL', COMMITTEE_SLA),
      on: {
        RECALL: { target: 'draft', actions: 'forgetSubmitter' },
        APPROVE: { target: 'approved', actions: 'forgetSubmitter' },
        RETURN: { target: 'returned', actions: 'forgetSubmitter' },
        REJECT: { target: 'rejected', actions: 'forgetSubmitter' },
        URGE,
        ...AFTER_DRAFT,
      },
    },
    returned: {
      meta: waits('secretary', 'REVISE_PROPOSAL', null),
      on: {
        SUBMIT: SUBMIT_PROPOSAL,
        WITHDRAW: { target: 'withdrawn' },
        ...AFTER_DRAFT,
      },
    },
    approved: {
      meta: waits('secretary', 'SIGN_AGREEMENT', null),
      on: {
        SIGN_AGREEMENT: {
          target: 'agreementSigned',
          guard: { type: 'rulesHold', params: { rules: ['AGREEMENT_DATES_INVALID', 'DATE_IN_FUTURE'] } },
        },
        ...AFTER_DRAFT,
      },
    },
    agreementSigned: {
      meta: waits('secretary', 'FILE_PLAN', null),
      on: {
        FILE_PLAN: {
          target: 'planFiled',
          guard: { type: 'rulesHold', params: { rules: ['PLAN_ITEMS_INVALID'] } },
          actions: [
            'rememberSubmitter',
            { type: 'recordPlanStart', params: ({ event }) => ({ startQuarter: event.payload.startQuarter }) },
          ],
        },
        ...AFTER_DRAFT,
      },
    },
    planFiled: {
      meta: waits('committee', 'REVIEW_PLAN', COMMITTEE_SLA),
      on: {
        ACCEPT_PLAN: { target: 'active', actions: ['forgetSubmitter', 'enterFirstQuarter'] },
        RETURN: { target: 'agreementSigned', actions: ['forgetSubmitter', 'discardPlanStart'] },
        URGE,
        ...AFTER_DRAFT,
      },
    },
    active: {
      initial: 'collecting',
      on: {
        RECORD_ACTIVITY: {
          guard: { type: 'rulesHold', params: { rules: ['DATE_IN_FUTURE', 'ACTIVITY_DATE_INVALID'] } },
        },
        VOID_ACTIVITY: {
          guard: { type: 'rulesHold', params: { rules: ['ACTIVITY_NOT_VOIDABLE'] } },
        },
        QUARTER_OVERDUE: {
          guard: { type: 'rulesHold', params: { rules: ['QUARTER_NOT_OVERDUABLE'] } },
          actions: { type: 'flagOverdue', params: ({ event }) => ({ quarter: event.payload.quarter }) },
        },
        ...AFTER_DRAFT,
      },
      states: {
        collecting: {
          meta: waits('secretary', 'SUBMIT_QUARTER_REPORT', { afterQuarterEnd: 15 }),
          on: {
            SUBMIT_QUARTER_REPORT: {
              target: 'reportSubmitted',
              guard: { type: 'rulesHold', params: { rules: ['QUARTER_REQUIREMENTS_NOT_MET'] } },
              actions: ['rememberSubmitter', 'markQuarterReported'],
            },
          },
        },
        reportSubmitted: {
          meta: waits('committee', 'SCORE_QUARTER', COMMITTEE_SLA),
          on: {
            SCORE_QUARTER: [
              {
                guard: 'isLastQuarter',
                target: '#pairing.yearEndReview',
                actions: [
                  'forgetSubmitter',
                  { type: 'recordQuarterScore', params: ({ event }) => ({ score: event.payload.score }) },
                  'closeQuarters',
                ],
              },
              {
                target: 'collecting',
                actions: [
                  'forgetSubmitter',
                  { type: 'recordQuarterScore', params: ({ event }) => ({ score: event.payload.score }) },
                  'advanceQuarter',
                ],
              },
            ],
            RETURN: { target: 'collecting', actions: ['forgetSubmitter', 'reopenQuarter'] },
            URGE,
          },
        },
      },
    },
    yearEndReview: {
      meta: waits('secretary', 'SUBMIT_REVIEW', { afterYearEnd: 15 }),
      on: {
        SUBMIT_REVIEW: { target: 'underReview', actions: 'rememberSubmitter' },
        ...AFTER_DRAFT,
      },
    },
    underReview: {
      meta: waits('committee', 'APPROVE_REVIEW', COMMITTEE_SLA),
      on: {
        APPROVE_REVIEW: {
          target: 'scored',
          actions: ['forgetSubmitter', { type: 'recordReview', params: ({ event }) => ({ score: event.payload.score }) }],
        },
        RETURN: { target: 'yearEndReview', actions: 'forgetSubmitter' },
        URGE,
        ...AFTER_DRAFT,
      },
    },
    scored: { type: 'final' },
    withdrawn: { type: 'final' },
    rejected: { type: 'final' },
    terminated: { type: 'final' },
  },
});

export type PairingMachine = typeof pairingMachineV1;
export type PairingSnapshot = SnapshotFrom<PairingMachine>;

/** Stored with every pairing's snapshot; bump it whenever a state or transition changes. */
export const PAIRING_WORKFLOW_VERSION = 1;

/**
 * Every version a stored pairing may run under. A pairing keeps the machine it
 * started with, so a new version is added here and the old one is never edited.
 */
export const PAIRING_MACHINES: Readonly<Record<number, PairingMachine>> = {
  1: pairingMachineV1,
};

export const pairingMachine = PAIRING_MACHINES[PAIRING_WORKFLOW_VERSION];

export function createPairingSnapshot(input: PairingInput): PairingSnapshot {
  const [snapshot] = initialTransition(pairingMachine, input);
  return snapshot;
}

function flattenStateValue(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [[parent, child]] = Object.entries(value);
  return child === undefined ? parent : `${parent}.${flattenStateValue(child)}`;
}

export function stateString(snapshot: PairingSnapshot): PairingState {
  const state = flattenStateValue(snapshot.value);
  if (!(PAIRING_STATES as readonly string[]).includes(state)) {
    throw new Error(`Pairing snapshot is in an unknown state: ${state}`);
  }
  return state as PairingState;
}

/** What the current (leaf) state waits for; null once the pairing is final. */
export function stateMeta(snapshot: PairingSnapshot): PairingStateMeta | null {
  const byStateId: Record<string, PairingStateMeta | undefined> = snapshot.getMeta();
  return byStateId[`${snapshot.machine.id}.${stateString(snapshot)}`] ?? null;
}

export type Decision =
  | { ok: true; snapshot: PairingSnapshot; state: PairingState }
  | { ok: false; reason: 'INVALID_TRANSITION'; state: PairingState }
  | { ok: false; reason: 'RULE'; code: RuleCode; status: 422 | 429; message: string };

/** The transitions this state offers for an event type, before any guard runs. */
function candidatesFor(snapshot: PairingSnapshot, type: PairingEventType) {
  // xstate still takes root-level transitions on a finished snapshot (STACK.md);
  // a snapshot that is not running accepts nothing, whatever state it names.
  if (snapshot.status !== 'active') return [];
  return getNextTransitions(snapshot).filter((candidate) => candidate.eventType === type);
}

function rulesOf(candidate: ReturnType<typeof candidatesFor>[number]): readonly RuleCode[] {
  const guard: unknown = candidate.guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard && guard.type === 'rulesHold' && 'params' in guard) {
    return (guard.params as { rules: readonly RuleCode[] }).rules;
  }
  return [];
}

/**
 * One step of the lifecycle, without side effects: the next snapshot, or why not.
 * INVALID_TRANSITION: the state has no transition for this event (409);
 * RULE: it has one, but a business rule refuses this event (422/429).
 */
export function decide(snapshot: PairingSnapshot, event: PairingEvent): Decision {
  const candidates = candidatesFor(snapshot, event.type);
  if (candidates.length === 0) {
    return { ok: false, reason: 'INVALID_TRANSITION', state: stateString(snapshot) };
  }
  if (snapshot.machine.getTransitionData(snapshot, event).length === 0) {
    const broken = candidates.map((candidate) => firstBrokenRule(rulesOf(candidate), snapshot.context, event)).find(Boolean);
    if (broken === undefined) {
      throw new Error(`No transition for ${event.type} in ${stateString(snapshot)} was enabled, yet no rule refused it`);
    }
    return { ok: false, reason: 'RULE', ...ruleViolation(broken) };
  }
  const [next] = transition(snapshot.machine, snapshot, event);
  return { ok: true, snapshot: next, state: stateString(next) };
}

/** What the engine knows before the user sends anything; rules that read only these can block in advance. */
export interface ProbeFacts {
  meta: EventMeta;
  proposal?: ProposalFacts;
}

export interface ProbeResult {
  accepted: boolean;
  blockedCode?: RuleCode;
}

/** Events whose payload-free rules `probe` can judge, built from the facts at hand. */
const PROBE_EVENTS: Partial<Record<PairingEventType, (facts: ProbeFacts) => PairingEvent | undefined>> = {
  SUBMIT: ({ meta, proposal }) => (proposal ? { type: 'SUBMIT', meta, facts: { proposal } } : undefined),
  URGE: ({ meta }) => ({ type: 'URGE', meta }),
};

/**
 * Whether this state takes the event type at all, and whether a rule that does not
 * depend on the payload (PROPOSAL_INCOMPLETE, URGED_RECENTLY) refuses it right now.
 * Feeds `availableEvents` and `blockedEvents`.
 */
export function probe(snapshot: PairingSnapshot, type: PairingEventType, facts?: ProbeFacts): ProbeResult {
  const candidates = candidatesFor(snapshot, type);
  if (candidates.length === 0) return { accepted: false };
  const event = facts && PROBE_EVENTS[type]?.(facts);
  if (!event) return { accepted: true };
  for (const candidate of candidates) {
    const payloadFree = rulesOf(candidate).filter((code) => !PAIRING_RULES[code].readsPayload);
    const blockedCode = firstBrokenRule(payloadFree, snapshot.context, event);
    if (blockedCode) return { accepted: true, blockedCode };
  }
  return { accepted: true };
}

/** JSON-safe; store it together with the pairing's workflowVersion. */
export type PersistedPairingSnapshot = ReturnType<PairingMachine['getPersistedSnapshot']>;

export function persistSnapshot(snapshot: PairingSnapshot): PersistedPairingSnapshot {
  return snapshot.machine.getPersistedSnapshot(snapshot);
}

/**
 * Rebuilds a snapshot from its stored JSON under the machine version it was
 * written by. Never starts an actor: the server only ever calls `decide`.
 */
export function restorePairingSnapshot(persisted: unknown, workflowVersion: number): PairingSnapshot {
  const machine = PAIRING_MACHINES[workflowVersion];
  if (!machine) {
    const known = Object.keys(PAIRING_MACHINES).join(', ');
    throw new Error(`Unknown pairing workflow version ${workflowVersion}; this build knows versions ${known}`);
  }
  if (typeof persisted !== 'object' || persisted === null || !('value' in persisted) || !('context' in persisted)) {
    throw new Error('A persisted pairing snapshot must be an object with value and context');
  }
  const { value, context } = persisted as { value: StateValue; context: PairingContext };
  try {
    return machine.resolveState({ value, context });
  } catch (error) {
    throw new Error(`Persisted pairing snapshot does not fit workflow version ${workflowVersion}: ${(error as Error).message}`);
  }
}
