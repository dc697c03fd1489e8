import { isCalendarDate, quarterEnd, quarterOf, reportDueDate, yearOf } from './calendar';
import type { PairingContext, PairingEvent, PairingEventOf, PairingEventType } from './pairing.types';

/**
 * The business rules of SPEC §5. The machine's `rulesHold` guard evaluates them,
 * and `decide`/`probe` read the same definitions to tell the engine which one
 * refused an event: there is no second copy of any rule.
 */
interface RuleDefinition<T extends PairingEventType> {
  status: 422 | 429;
  /** Shown to the clerk as the reason for the refusal. */
  message: string;
  /** The events this rule judges. */
  events: readonly T[];
  /**
   * False when the rule reads only `meta` and `facts` (what the engine knows before
   * the user fills in a form), so it can list the event as blocked in advance.
   */
  readsPayload: boolean;
  holds(context: PairingContext, event: PairingEventOf<T>): boolean;
}

export interface PairingRule extends Omit<RuleDefinition<PairingEventType>, 'holds'> {
  /** Throws for an event the rule does not judge: that is a bug in the machine, not a refusal. */
  holds(context: PairingContext, event: PairingEvent): boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function isEventOf<T extends PairingEventType>(types: readonly T[], event: PairingEvent): event is PairingEventOf<T> {
  return (types as readonly PairingEventType[]).includes(event.type);
}

function rule<T extends PairingEventType>(definition: RuleDefinition<T>): PairingRule {
  return {
    ...definition,
    holds: (context, event) => {
      if (!isEventOf(definition.events, event)) {
        throw new Error(`A rule for ${definition.events.join(', ')} was asked about ${event.type}`);
      }
      return definition.holds(context, event);
    },
  };
}

function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

/** A quarter is reported while its report waits for a score or once it has been scored. */
export function isQuarterReported(context: PairingContext, quarter: number): boolean {
  return context.reportedThrough !== null && quarter <= context.reportedThrough;
}

/** A quarter of the running plan that still takes activities. */
function isOpenQuarter(context: PairingContext, quarter: number): boolean {
  return (
    Number.isInteger(quarter) &&
    context.startQuarter !== null &&
    quarter >= context.startQuarter &&
    quarter <= 4 &&
    !isQuarterReported(context, quarter)
  );
}

export const PAIRING_RULES = {
  PROPOSAL_INCOMPLETE: rule({
    status: 422,
    message:
      'The proposal needs a title, a theme, the practical problem it will solve, at least one partner, ' +
      'at least one category and an active liaison before it can be submitted.',
    events: ['SUBMIT'],
    readsPayload: false,
    holds: (_context, { facts: { proposal } }) =>
      !isBlank(proposal.title) &&
      !isBlank(proposal.theme) &&
      !isBlank(proposal.problem) &&
      proposal.partnerCount >= 1 &&
      proposal.categoryCount >= 1 &&
      proposal.liaisonActive,
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
    holds: (_context, { payload, facts }) => (facts.jointMeetings >= 1 && facts.activityDays >= 1) || !isBlank(payload.shortfallReason),
  }),

  URGED_RECENTLY: rule({
    status: 429,
    message: 'This pairing was urged less than 24 hours ago; it can be urged again once a day has passed.',
    events: ['URGE'],
    readsPayload: false,
    // An unreadable instant yields NaN and so counts as "recent": refuse rather than spam.
    holds: (context, { meta }) => context.lastUrgedAt === null || Date.parse(meta.now) - Date.parse(context.lastUrgedAt) >= DAY_MS,
  }),

  QUARTER_NOT_OVERDUABLE: rule({
    status: 422,
    message:
      'This quarter cannot be flagged overdue: it is outside the plan, already reported or flagged, ' +
      'ended before the plan was accepted, or its report is not due yet.',
    events: ['QUARTER_OVERDUE'],
    readsPayload: true,
    holds: (context, { meta, payload: { quarter } }) =>
      isOpenQuarter(context, quarter) &&
      !context.overdueQuarters.includes(quarter) &&
      context.planAcceptedOn !== null &&
      quarterEnd(context.year, quarter) >= context.planAcceptedOn &&
      meta.today > reportDueDate(context.year, quarter),
  }),
};

export type RuleCode = keyof typeof PAIRING_RULES;
export const RULE_CODES = Object.keys(PAIRING_RULES) as RuleCode[];

export interface RuleViolation {
  code: RuleCode;
  status: 422 | 429;
  message: string;
}

export function ruleHolds(code: RuleCode, context: PairingContext, event: PairingEvent): boolean {
  return PAIRING_RULES[code].holds(context, event);
}

/** The first rule, in the order given, that the event breaks. */
export function firstBrokenRule(codes: readonly RuleCode[], context: PairingContext, event: PairingEvent): RuleCode | undefined {
  return codes.find((code) => !ruleHolds(code, context, event));
}

export function ruleViolation(code: RuleCode): RuleViolation {
  const { status, message } = PAIRING_RULES[code];
  return { code, status, message };
}
