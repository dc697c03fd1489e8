import { assign, setup } from 'xstate';
import type { PairingContext, PairingEvent, PairingEventType, PairingInput, PairingStateMeta } from '../pairing.types';
import { firstViolation } from '../rules';
import { finalScore } from '../scoring';
import { V2_EVENT_RULES, V2_RULES, type V2RuleCode } from './rules';

/*
 * Version 2 of the pairing lifecycle: version 1's states and transitions (SPEC §5), and the partner side's
 * events (SPEC §12), which change no state. Version 1 stays beside it for the pairings started under it.
 */

/** Set before any state that reads it (FILE_PLAN, ACCEPT_PLAN); null there is a machine bug, not a refusal. */
function present<T>(value: T | null, name: keyof PairingContext): T {
  if (value === null) throw new Error(`Pairing context ${name} is not set in this state`);
  return value;
}

/**
 * The pairing lifecycle of SPEC §5 and §12. Pure: time and facts arrive in events, there
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
    rulesHold: ({ context, event }, params: { rules: readonly V2RuleCode[] }) =>
      firstViolation(V2_RULES, params.rules, context, event) === undefined,
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

function waits(
  waitsOn: PairingStateMeta['waitsOn'],
  task: PairingStateMeta['task'],
  due: PairingStateMeta['due'],
  decides?: PairingStateMeta['decides'],
) {
  return (decides ? { waitsOn, task, due, decides } : { waitsOn, task, due }) satisfies PairingStateMeta;
}

/** The guard of an event: the rules its version's table lists for it. */
function rulesOf(type: PairingEventType) {
  return { type: 'rulesHold', params: { rules: V2_EVENT_RULES[type] ?? [] } } as const;
}

const COMMITTEE_SLA = { days: 7 } as const;

/** Accepted in every non-final state after draft. */
const AFTER_DRAFT = {
  // The engine stores the new liaisons; the lifecycle does not move.
  UPDATE_LIAISONS: { guard: rulesOf('UPDATE_LIAISONS'), actions: [] },
  TERMINATE: { target: '#pairing.terminated', actions: 'forgetSubmitter' },
} as const;

/** The partner side, from the signed agreement on: neither changes the state (SPEC §12). */
const PARTNER_SIDE = {
  COUNTERSIGN_AGREEMENT: { guard: rulesOf('COUNTERSIGN_AGREEMENT'), actions: [] },
  CONFIRM_ACTIVITY: { guard: rulesOf('CONFIRM_ACTIVITY'), actions: [] },
} as const;

/** While the year is reviewed: each partner rates the partnership once. */
const EVALUATE_PARTNERSHIP = { guard: rulesOf('EVALUATE_PARTNERSHIP'), actions: [] } as const;

/** Only while the pairing waits on the committee. */
const URGE = {
  guard: rulesOf('URGE'),
  actions: 'noteUrge',
} as const;

const SUBMIT_PROPOSAL = {
  target: '#pairing.proposed',
  guard: rulesOf('SUBMIT'),
  actions: ['countRevision', 'rememberSubmitter'],
} as const;

export const pairingMachineV2 = pairingSetup.createMachine({
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
      meta: waits('committee', 'REVIEW_PROPOSAL', COMMITTEE_SLA, 'proposal'),
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
          guard: rulesOf('SIGN_AGREEMENT'),
        },
        ...AFTER_DRAFT,
      },
    },
    agreementSigned: {
      meta: waits('secretary', 'FILE_PLAN', null),
      on: {
        ...PARTNER_SIDE,
        FILE_PLAN: {
          target: 'planFiled',
          guard: rulesOf('FILE_PLAN'),
          actions: [
            'rememberSubmitter',
            { type: 'recordPlanStart', params: ({ event }) => ({ startQuarter: event.payload.startQuarter }) },
          ],
        },
        ...AFTER_DRAFT,
      },
    },
    planFiled: {
      meta: waits('committee', 'REVIEW_PLAN', COMMITTEE_SLA, 'plan'),
      on: {
        ...PARTNER_SIDE,
        ACCEPT_PLAN: { target: 'active', actions: ['forgetSubmitter', 'enterFirstQuarter'] },
        RETURN: { target: 'agreementSigned', actions: ['forgetSubmitter', 'discardPlanStart'] },
        URGE,
        ...AFTER_DRAFT,
      },
    },
    active: {
      initial: 'collecting',
      on: {
        ...PARTNER_SIDE,
        RECORD_ACTIVITY: {
          guard: rulesOf('RECORD_ACTIVITY'),
        },
        VOID_ACTIVITY: {
          guard: rulesOf('VOID_ACTIVITY'),
        },
        QUARTER_OVERDUE: {
          guard: rulesOf('QUARTER_OVERDUE'),
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
              guard: rulesOf('SUBMIT_QUARTER_REPORT'),
              actions: ['rememberSubmitter', 'markQuarterReported'],
            },
          },
        },
        reportSubmitted: {
          meta: waits('committee', 'SCORE_QUARTER', COMMITTEE_SLA, 'quarterReport'),
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
        ...PARTNER_SIDE,
        EVALUATE_PARTNERSHIP,
        SUBMIT_REVIEW: { target: 'underReview', actions: 'rememberSubmitter' },
        ...AFTER_DRAFT,
      },
    },
    underReview: {
      meta: waits('committee', 'APPROVE_REVIEW', COMMITTEE_SLA, 'review'),
      on: {
        ...PARTNER_SIDE,
        EVALUATE_PARTNERSHIP,
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
