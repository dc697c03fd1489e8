import type { PairingMachine, PairingWorkflow } from '../workflow';
import { V2_ACTORS } from './actors';
import { pairingMachineV2 } from './machine';
import { V2_EVENT_RULES, V2_RULES } from './rules';

/** Version 2 of the lifecycle (SPEC §12): version 1 and the partner side's countersignature, confirmations and evaluation. */
export const PAIRING_WORKFLOW_V2 = {
  version: 2,
  // Built from the same vocabulary as version 1; only its guard's rule codes are typed more widely.
  machine: pairingMachineV2 as unknown as PairingMachine,
  rules: V2_RULES,
  eventRules: V2_EVENT_RULES,
  actors: V2_ACTORS,
} as const satisfies PairingWorkflow;

export { pairingMachineV2, V2_RULES, V2_EVENT_RULES, V2_ACTORS };
export type { V2RuleCode } from './rules';
