import { isCalendarDate, quarterOf, yearOf } from '../calendar';
import type { PairingEventType } from '../pairing.types';
import { hasOpenQuarterStarted, isOpenQuarter, isQuarterReported, isReportLate, quarterRequirementsMet } from '../quarters';
import { isBlank, missingProposalFields, rule } from '../rules';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The business rules of version 1 of the lifecycle (SPEC §5). A pairing started under version 1 is
 * judged by these for the rest of its year: a later version adds its own table instead of editing this one.
 */
export const V1_RULES = {
  PROPOSAL_INCOMPLETE: rule({
    status: 422,
    message:
      'The proposal needs a title, a theme, the practical problem it will solve, at least one partner, ' +
      'at least one category and an active liaison before it can be submitted.',
    events: ['SUBMIT'],
    readsPayload: false,
    holds: (_context, { facts: { proposal } }) => missingProposalFields(proposal).length === 0,
    details: (_context, { facts: { proposal } }) => ({ missing: missingProposalFields(proposal) }),
  }),

  AGREEMENT_DATES_INVALID: rule({
    status: 422,
    message: "The agreement's dates must be real calendar dates, and it must be valid from a date before the date it is valid to.",
    events: ['SIGN_AGREEMENT'],
    readsPayload: true,
    holds: (_context, { payload }) =>
      [payload.signedOn, payload.validFrom, payload.validTo].every(isCalendarDate) && payload.validFrom < payload.validTo,
  }),

  DATE_IN_FUTURE: rule({
    status: 422,
    message: 'A signing or activity date cannot be later than today.',
    events: ['SIGN_AGREEMENT', 'RECORD_ACTIVITY'],
    readsPayload: true,
    holds: (_context, event) => {
      const date = event.type === 'SIGN_AGREEMENT' ? event.payload.signedOn : event.payload.heldOn;
      // Both are YYYY-MM-DD in APP_TIMEZONE, so text order is date order.
      return date <= event.meta.today;
    },
  }),

  PLAN_ITEMS_INVALID: rule({
    status: 422,
    message: "Every plan item must fall in or after the plan's starting quarter and be due within the pairing's year.",
    events: ['FILE_PLAN'],
    readsPayload: true,
    holds: (context, { payload }) =>
      payload.items.every(
        (item) => item.quarter >= payload.startQuarter && isCalendarDate(item.dueDate) && yearOf(item.dueDate) === context.year,
      ),
  }),

  ACTIVITY_DATE_INVALID: rule({
    status: 422,
    message:
      "The activity must be dated in the pairing's year, no earlier than the plan's first quarter, " +
      'and in a quarter whose report has not been submitted yet.',
    events: ['RECORD_ACTIVITY'],
    readsPayload: true,
    holds: (context, { payload: { heldOn } }) =>
      isCalendarDate(heldOn) && yearOf(heldOn) === context.year && isOpenQuarter(context, quarterOf(heldOn)),
  }),

  NO_OPEN_QUARTER: rule({
    status: 422,
    message:
      'No quarter takes activities right now: the current quarter has been reported, and the next one has not begun ' +
      'or is outside the plan.',
    events: ['RECORD_ACTIVITY'],
    readsPayload: false,
    holds: (context, { meta }) => hasOpenQuarterStarted(context, meta.today),
  }),

  ATTACHMENT_NOT_FOUND: rule({
    status: 422,
    message: 'An attachment is unknown or belongs to someone else; upload the file again.',
    events: ['SIGN_AGREEMENT', 'RECORD_ACTIVITY'],
    readsPayload: true,
    holds: (_context, { facts }) => (facts?.attachments.unusable.length ?? 0) === 0,
    details: (_context, { facts }) => ({ attachmentIds: facts?.attachments.unusable ?? [] }),
  }),

  ACTIVITY_NOT_VOIDABLE: rule({
    status: 422,
    message: 'Only a recorded activity that is not void yet, in a quarter whose report has not been submitted, can be voided.',
    events: ['VOID_ACTIVITY'],
    readsPayload: true,
    holds: (context, { facts: { activity } }) => activity !== null && !activity.voided && !isQuarterReported(context, activity.quarter),
  }),

  QUARTER_REQUIREMENTS_NOT_MET: rule({
    status: 422,
    message: 'The quarter has no joint meeting or no activity day yet; explain the shortfall to submit the report.',
    events: ['SUBMIT_QUARTER_REPORT'],
    readsPayload: true,
    holds: (_context, { payload, facts }) => quarterRequirementsMet(facts) || !isBlank(payload.shortfallReason),
  }),

  URGED_RECENTLY: rule({
    status: 429,
    message: 'This pairing was urged less than 24 hours ago; it can be urged again once a day has passed.',
    events: ['URGE'],
    readsPayload: false,
    // An unreadable instant yields NaN and so counts as "recent": refuse rather than spam.
    holds: (context, { meta }) => context.lastUrgedAt === null || Date.parse(meta.now) - Date.parse(context.lastUrgedAt) >= DAY_MS,
  }),

  LIAISON_NOT_IN_BRANCH: rule({
    status: 422,
    message: 'The liaison must be an active member of the lead branch.',
    events: ['UPDATE_LIAISONS'],
    readsPayload: true,
    holds: (_context, { facts }) => facts?.liaisonFits ?? true,
  }),

  PARTNER_NOT_IN_PAIRING: rule({
    status: 422,
    message: 'Each partner liaison must belong to one of the pairing’s partners.',
    events: ['UPDATE_LIAISONS'],
    readsPayload: true,
    holds: (_context, { facts }) => facts?.partnerLiaisonsFit ?? true,
  }),

  QUARTER_NOT_OVERDUABLE: rule({
    status: 422,
    message:
      'This quarter cannot be flagged overdue: it is outside the plan, already reported or flagged, ' +
      'ended before the plan was accepted, or its report is not due yet.',
    events: ['QUARTER_OVERDUE'],
    readsPayload: true,
    holds: (context, { meta, payload: { quarter } }) =>
      isReportLate(context, quarter, meta.today) && !context.overdueQuarters.includes(quarter),
  }),
};

export type V1RuleCode = keyof typeof V1_RULES;

/** The rules each event must pass under version 1, in the order they are judged (the first broken one is reported). */
export const V1_EVENT_RULES: Readonly<Partial<Record<PairingEventType, readonly V1RuleCode[]>>> = {
  SUBMIT: ['PROPOSAL_INCOMPLETE'],
  SIGN_AGREEMENT: ['AGREEMENT_DATES_INVALID', 'DATE_IN_FUTURE', 'ATTACHMENT_NOT_FOUND'],
  FILE_PLAN: ['PLAN_ITEMS_INVALID'],
  // NO_OPEN_QUARTER comes after the date rules: a request it would refuse has no valid date anyway, so it
  // never changes which refusal a request gets; being payload-free, it tells a screen in advance.
  RECORD_ACTIVITY: ['DATE_IN_FUTURE', 'ACTIVITY_DATE_INVALID', 'NO_OPEN_QUARTER', 'ATTACHMENT_NOT_FOUND'],
  VOID_ACTIVITY: ['ACTIVITY_NOT_VOIDABLE'],
  SUBMIT_QUARTER_REPORT: ['QUARTER_REQUIREMENTS_NOT_MET'],
  URGE: ['URGED_RECENTLY'],
  UPDATE_LIAISONS: ['LIAISON_NOT_IN_BRANCH', 'PARTNER_NOT_IN_PAIRING'],
  QUARTER_OVERDUE: ['QUARTER_NOT_OVERDUABLE'],
};
