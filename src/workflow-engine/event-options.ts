import {
  acceptedEventTypes,
  allowedActors,
  isSubmitterOfPending,
  judgeInAdvance,
  PAIRING_EVENT_TYPES,
  PairingEventType,
  PairingSnapshot,
  ProbeFacts,
  RuleCode,
  workflowOf,
} from '../../workflows';
import type { RequestUser } from '../identity/current-user.decorator';
import { capacitiesOf } from './pairing-access';
import type { Pairing } from './pairing.entity';

/** An event this user may send in this state by role, that a rule refuses right now: with the refusal's code (and its details). */
export type BlockedEvent = { type: PairingEventType; code: RuleCode } & Record<string, unknown>;

export interface EventOptions {
  availableEvents: PairingEventType[];
  blockedEvents: BlockedEvent[];
}

export const NO_OPTIONS: EventOptions = { availableEvents: [], blockedEvents: [] };

/** The event types whose payload-free rules read the proposal (so its facts are worth looking up). */
export function needsProposalFacts(snapshot: PairingSnapshot): boolean {
  return acceptedEventTypes(snapshot).has('SUBMIT');
}

/**
 * What this user could send now: allowed by role and ownership, accepted by the state, and not
 * refused by a rule that does not depend on the payload (those go to blockedEvents with their code).
 * Four-eyes refusals are in neither list.
 */
export function eventOptions(user: RequestUser, pairing: Pairing, snapshot: PairingSnapshot, facts: ProbeFacts): EventOptions {
  const capacities = capacitiesOf(user, pairing);
  if (!capacities.size) return NO_OPTIONS;
  const workflow = workflowOf(snapshot);
  const accepted = acceptedEventTypes(snapshot);
  const options: EventOptions = { availableEvents: [], blockedEvents: [] };
  // URGE's limit counts from the start of the step the pairing waits in: its open task's.
  const judged: ProbeFacts = { ...facts, urge: { waitingSince: pairing.taskSince } };
  for (const type of PAIRING_EVENT_TYPES) {
    if (!accepted.has(type)) continue;
    if (!allowedActors(type, snapshot.context, workflow).some((actor) => capacities.has(actor))) continue;
    if (isSubmitterOfPending(snapshot.context, type, String(user.id))) continue;
    const result = judgeInAdvance(snapshot, type, judged);
    if (result.blockedCode) options.blockedEvents.push({ type, code: result.blockedCode, ...result.details });
    else options.availableEvents.push(type);
  }
  return options;
}
