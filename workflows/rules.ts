import type { PairingContext, PairingEvent, PairingEventOf, PairingEventType, ProposalFacts } from './pairing.types';

/**
 * How a business rule is written (SPEC §5): each version of the machine keeps its own table of them
 * (workflows/v1/rules.ts …), its `rulesHold` guard evaluates them, and `decide`/`probe` read the same
 * table to tell the engine which one refused an event: there is no second copy of any rule.
 */
export interface RuleDefinition<T extends PairingEventType> {
  status: 422 | 429;
  /** Shown to the clerk as the reason for the refusal. */
  message: string;
  /** The events this rule judges. */
  events: readonly T[];
  /**
   * False when the rule reads only `meta`, `facts` and the context (what the engine knows before the
   * user fills in a form), so it can list the event as blocked in advance.
   */
  readsPayload: boolean;
  holds(context: PairingContext, event: PairingEventOf<T>): boolean;
  /** What a screen needs to name exactly what is wrong, e.g. the proposal's missing fields. */
  details?(context: PairingContext, event: PairingEventOf<T>): Record<string, unknown>;
}

export interface PairingRule extends Pick<RuleDefinition<PairingEventType>, 'status' | 'message' | 'events' | 'readsPayload'> {
  /** Throws for an event the rule does not judge: that is a bug in the machine, not a refusal. */
  holds(context: PairingContext, event: PairingEvent): boolean;
  details?(context: PairingContext, event: PairingEvent): Record<string, unknown>;
}

export interface RuleViolation {
  code: string;
  status: 422 | 429;
  message: string;
  details?: Record<string, unknown>;
}

function isEventOf<T extends PairingEventType>(types: readonly T[], event: PairingEvent): event is PairingEventOf<T> {
  return (types as readonly PairingEventType[]).includes(event.type);
}

export function rule<T extends PairingEventType>(definition: RuleDefinition<T>): PairingRule {
  const judged = (event: PairingEvent): PairingEventOf<T> => {
    if (!isEventOf(definition.events, event)) {
      throw new Error(`A rule for ${definition.events.join(', ')} was asked about ${event.type}`);
    }
    return event;
  };
  const { details } = definition;
  return {
    status: definition.status,
    message: definition.message,
    events: definition.events,
    readsPayload: definition.readsPayload,
    holds: (context, event) => definition.holds(context, judged(event)),
    ...(details ? { details: (context: PairingContext, event: PairingEvent) => details(context, judged(event)) } : {}),
  };
}

/** The first rule, in the order given, that the event breaks. */
export function firstViolation(
  table: Readonly<Record<string, PairingRule>>,
  codes: readonly string[],
  context: PairingContext,
  event: PairingEvent,
): RuleViolation | undefined {
  for (const code of codes) {
    const found = table[code];
    if (!found) throw new Error(`Rule ${code} is not in this machine version's table`);
    if (found.holds(context, event)) continue;
    const details = found.details?.(context, event);
    return { code, status: found.status, message: found.message, ...(details ? { details } : {}) };
  }
  return undefined;
}

export function isBlank(text: string | undefined | null): boolean {
  return text === undefined || text === null || text.trim() === '';
}

/** The proposal's fields still missing for SUBMIT, by their API names (SPEC §10). */
export const PROPOSAL_FIELDS = ['title', 'theme', 'problem', 'partnerIds', 'categories', 'liaisonUserId'] as const;
export type ProposalField = (typeof PROPOSAL_FIELDS)[number];

export function missingProposalFields(proposal: ProposalFacts): ProposalField[] {
  const present: Record<ProposalField, boolean> = {
    title: !isBlank(proposal.title),
    theme: !isBlank(proposal.theme),
    problem: !isBlank(proposal.problem),
    partnerIds: proposal.partnerCount >= 1,
    categories: proposal.categoryCount >= 1,
    liaisonUserId: proposal.liaisonActive,
  };
  return PROPOSAL_FIELDS.filter((field) => !present[field]);
}
