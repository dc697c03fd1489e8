import type { PairingContext, PairingEvent, PairingEventType, PairingMode } from './pairing.types';

/**
 * Who may send which event, as data: the engine resolves these roles against the
 * user (lead-branch secretary, the pairing's liaison, committee member, a job).
 */
export type PairingActor = 'leadSecretary' | 'liaison' | 'committee' | 'system' | 'partner';

export interface ActorsByMode {
  byMode: Record<PairingMode, readonly PairingActor[]>;
}

/** A version's table names the events of that version; an event it does not name has no sender under it. */
export type ActorTable = Readonly<Partial<Record<PairingEventType, readonly PairingActor[] | ActorsByMode>>>;

export function actorsInTable(
  type: PairingEventType,
  context: Pick<PairingContext, 'mode'>,
  table: ActorTable,
): readonly PairingActor[] | undefined {
  const actors = table[type];
  if (actors === undefined) return undefined;
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

/** Four-eyes: the sender of the submission that waits may not decide on it, whatever roles they hold. */
export function isSubmitterOfPending(
  context: Pick<PairingContext, 'pendingSubmitterId'>,
  type: PairingEventType,
  actorId: string | null,
): boolean {
  return isDecisionEvent(type) && context.pendingSubmitterId !== null && actorId === context.pendingSubmitterId;
}

export function isSeparationOfDutiesViolation(
  snapshot: { context: Pick<PairingContext, 'pendingSubmitterId'> },
  event: Pick<PairingEvent, 'type' | 'meta'>,
): boolean {
  return isSubmitterOfPending(snapshot.context, event.type, event.meta.actorId);
}
