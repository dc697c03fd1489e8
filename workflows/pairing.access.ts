import type { PairingContext, PairingEvent, PairingEventType, PairingMode } from './pairing.types';

/**
 * Who may send which event, as data: the engine resolves these roles against the
 * user (lead-branch secretary, the pairing's liaison, committee member, a job).
 */
export type PairingActor = 'leadSecretary' | 'liaison' | 'committee' | 'system';

export interface ActorsByMode {
  byMode: Record<PairingMode, readonly PairingActor[]>;
}

const SECRETARY = ['leadSecretary'] as const;
const COMMITTEE = ['committee'] as const;

export const EVENT_ACTORS: Readonly<Record<PairingEventType, readonly PairingActor[] | ActorsByMode>> = {
  SUBMIT: SECRETARY,
  RECALL: SECRETARY,
  // A directed pairing (指导性安排) was the committee's idea, so only it may drop one.
  WITHDRAW: { byMode: { voluntary: SECRETARY, directed: COMMITTEE } },
  APPROVE: COMMITTEE,
  RETURN: COMMITTEE,
  REJECT: COMMITTEE,
  SIGN_AGREEMENT: SECRETARY,
  FILE_PLAN: SECRETARY,
  ACCEPT_PLAN: COMMITTEE,
  RECORD_ACTIVITY: ['leadSecretary', 'liaison'],
  VOID_ACTIVITY: SECRETARY,
  SUBMIT_QUARTER_REPORT: SECRETARY,
  SCORE_QUARTER: COMMITTEE,
  SUBMIT_REVIEW: SECRETARY,
  APPROVE_REVIEW: COMMITTEE,
  TERMINATE: COMMITTEE,
  URGE: SECRETARY,
  UPDATE_LIAISONS: SECRETARY,
  QUARTER_OVERDUE: ['system'],
};

export function allowedActors(type: PairingEventType, context: Pick<PairingContext, 'mode'>): readonly PairingActor[] {
  const actors = EVENT_ACTORS[type];
  return 'byMode' in actors ? actors.byMode[context.mode] : actors;
}

/** Decisions on a submission; the submitter may not take them (four-eyes rule). */
export const DECISION_EVENT_TYPES = [
  'APPROVE',
  'RETURN',
  'REJECT',
  'ACCEPT_PLAN',
  'SCORE_QUARTER',
  'APPROVE_REVIEW',
] as const satisfies readonly PairingEventType[];

export function isDecisionEvent(type: PairingEventType): boolean {
  return (DECISION_EVENT_TYPES as readonly PairingEventType[]).includes(type);
}

export function isSeparationOfDutiesViolation(
  snapshot: { context: Pick<PairingContext, 'pendingSubmitterId'> },
  event: Pick<PairingEvent, 'type' | 'meta'>,
): boolean {
  const submitter = snapshot.context.pendingSubmitterId;
  return isDecisionEvent(event.type) && submitter !== null && event.meta.actorId === submitter;
}
