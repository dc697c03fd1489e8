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
}
