import type { PairingMachine, PairingWorkflow } from '../workflow';
import { V2_ACTORS } from '../v2/actors';
import { pairingMachineV3 } from './machine';
import { V3_EVENT_RULES, V3_RULES } from './rules';

/** Version 3 of the lifecycle (SPEC §10): version 2, with URGE limited once a day per waiting step. */
export const PAIRING_WORKFLOW_V3 = {
  version: 3,
  machine: pairingMachineV3 as unknown as PairingMachine,
  rules: V3_RULES,
  eventRules: V3_EVENT_RULES,
  actors: V2_ACTORS,
} as const satisfies PairingWorkflow;

export { pairingMachineV3, V3_RULES, V3_EVENT_RULES };
export type { V3RuleCode } from './rules';
