import {
  allowedActors,
  isDecisionEvent,
  PAIRING_EVENT_TYPES,
  PairingEventType,
  PairingSnapshot,
  probe,
  ProbeFacts,
  ProposalFacts,
  RuleCode,
} from '../../workflows';
import type { RequestUser } from '../identity/current-user.decorator';
import { capacitiesOf } from './pairing-access';
import type { Pairing } from './pairing.entity';

export interface EventOptions {
  availableEvents: PairingEventType[];
  blockedEvents: { type: PairingEventType; code: RuleCode }[];
}

export function proposalFacts(pairing: Pairing, liaisonActive: boolean): ProposalFacts {
  return {
    title: pairing.title,
    theme: pairing.theme,
    problem: pairing.problem,
    partnerCount: pairing.partnerIds.length,
    categoryCount: pairing.categories.length,
    liaisonActive,
  };
}

/**
 * What this user could send now: allowed by role and ownership, accepted by the state, and not
 * refused by a rule that does not depend on the payload (those go to blockedEvents with their code).
 * Four-eyes refusals are in neither list.
 */
export function eventOptions(user: RequestUser, pairing: Pairing, snapshot: PairingSnapshot, facts: ProbeFacts): EventOptions {
  const capacities = capacitiesOf(user, pairing);
  const options: EventOptions = { availableEvents: [], blockedEvents: [] };
  if (!capacities.size) return options;
  for (const type of PAIRING_EVENT_TYPES) {
    if (!allowedActors(type, snapshot.context).some((actor) => capacities.has(actor))) continue;
    if (isDecisionEvent(type) && snapshot.context.pendingSubmitterId === String(user.id)) continue;
    const result = probe(snapshot, type, facts);
    if (!result.accepted) continue;
    if (result.blockedCode) options.blockedEvents.push({ type, code: result.blockedCode });
    else options.availableEvents.push(type);
  }
  return options;
}
