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
  /** The pairing as the event left it, as far as its notices tell of it (rows written before these facts lack them). */
  pairing?: {
    courtId: number;
    code: string;
    title: string;
    leadBranchId: number;
    workflowVersion: number;
    partnerIds: number[];
  };
  /** The event's audit row as far as its notices tell of it: its time, comment and payload (canonical JSON). */
  event?: { at: string; comment: string | null; payload: string | null };
}
