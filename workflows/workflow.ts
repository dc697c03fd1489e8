import type { SnapshotFrom } from 'xstate';
import type { ActorTable } from './pairing.access';
import type { PairingEventType } from './pairing.types';
import type { PairingRule } from './rules';
import type { pairingMachineV1 } from './v1/machine';

/** Every version's machine is built from the same vocabulary (pairing.types.ts), so they share one type. */
export type PairingMachine = typeof pairingMachineV1;
export type PairingSnapshot = SnapshotFrom<PairingMachine>;

/** One version of the lifecycle: its machine and everything that judges events under it. */
export interface PairingWorkflow {
  version: number;
  machine: PairingMachine;
  /** Its rules, by code. */
  rules: Readonly<Record<string, PairingRule>>;
  /** The rules each event must pass, in the order they are judged. */
  eventRules: Readonly<Partial<Record<PairingEventType, readonly string[]>>>;
  /** Who may send which event. */
  actors: ActorTable;
}
