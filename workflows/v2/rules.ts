import type { PairingEventType } from '../pairing.types';
import { rule } from '../rules';
import { V1_EVENT_RULES, V1_RULES } from '../v1/rules';

/**
 * The business rules of version 2: version 1's (SPEC §5), and those of the partner side (SPEC §12). A rule of
 * version 1 that judges a new event too is written again here, under the same code, so v1's table stays as it was.
 */
export const V2_RULES = {
  ...V1_RULES,

  ATTACHMENT_NOT_FOUND: rule({
    status: 422,
    message: V1_RULES.ATTACHMENT_NOT_FOUND.message,
    events: ['SIGN_AGREEMENT', 'RECORD_ACTIVITY', 'COUNTERSIGN_AGREEMENT'],
    readsPayload: true,
    holds: (_context, { facts }) => (facts?.attachments.unusable.length ?? 0) === 0,
    details: (_context, { facts }) => ({ attachmentIds: facts?.attachments.unusable ?? [] }),
  }),

  ALREADY_COUNTERSIGNED: rule({
    status: 422,
    message: 'This partner has countersigned the agreement already.',
    events: ['COUNTERSIGN_AGREEMENT'],
    // It reads only the facts. For a partner's own user they are known before any payload (its own partner), so
    // a screen is told in advance; for the secretary's paper record they follow the payload's partnerId, and
    // `probe` is given no partner facts to judge by.
    readsPayload: false,
    holds: (_context, { facts }) => !facts.partner.countersigned,
  }),

  ACTIVITY_NOT_CONFIRMABLE: rule({
    status: 422,
    message: 'Only an activity recorded on this pairing and not void can be confirmed.',
    events: ['CONFIRM_ACTIVITY'],
    readsPayload: true,
    holds: (_context, { facts: { activity } }) => activity !== null && !activity.voided,
  }),

  ACTIVITY_ALREADY_CONFIRMED: rule({
    status: 422,
    message: 'Your organisation has confirmed this activity already.',
    events: ['CONFIRM_ACTIVITY'],
    readsPayload: true,
    holds: (_context, { facts: { activity } }) => !activity?.confirmed,
  }),

  PARTNERSHIP_ALREADY_EVALUATED: rule({
    status: 422,
    message: 'Your organisation has evaluated this partnership already; each partner evaluates it once.',
    events: ['EVALUATE_PARTNERSHIP'],
    readsPayload: false,
    holds: (_context, { facts }) => !facts.partner.evaluated,
  }),
};

export type V2RuleCode = keyof typeof V2_RULES;

/** The rules each event must pass under version 2, in the order they are judged. */
export const V2_EVENT_RULES: Readonly<Partial<Record<PairingEventType, readonly V2RuleCode[]>>> = {
  ...V1_EVENT_RULES,
  COUNTERSIGN_AGREEMENT: ['ALREADY_COUNTERSIGNED', 'ATTACHMENT_NOT_FOUND'],
  CONFIRM_ACTIVITY: ['ACTIVITY_NOT_CONFIRMABLE', 'ACTIVITY_ALREADY_CONFIRMED'],
  EVALUATE_PARTNERSHIP: ['PARTNERSHIP_ALREADY_EVALUATED'],
};
