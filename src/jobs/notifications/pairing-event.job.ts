import type { PairingState, WaitsOn } from '../../../workflows';

/** The payload of a `pairing.event` outbox row: ids and facts, never entities. */
export interface PairingEventJob {
  outboxId: number;
  pairingId: number;
  seq: number;
  type: string;
  fromState: PairingState | null;
  toState: PairingState;
  actorId: number | null;
  quarter: number | null;
  /** Who the pairing waits on after the event. */
  waitsOn: WaitsOn | null;
  /** The sender of the submission this event decided on. */
  submitterId: string | null;
  /** The pairing as the event left it (rows written before these facts lack them: their processor reads them). */
  pairing?: PairingNoticeFacts;
  /** The event's audit row as far as its notices tell of it (likewise). */
  event?: EventNoticeFacts;
}

/** What a notice tells of the pairing. */
export interface PairingNoticeFacts {
  courtId: number;
  code: string;
  title: string;
  leadBranchId: number;
  workflowVersion: number;
  partnerIds: number[];
}

/** What a notice tells of the event: its time, comment and audit payload (canonical JSON). */
export interface EventNoticeFacts {
  at: string;
  comment: string | null;
  payload: string | null;
}
