import type { PairingWorkflow } from '../workflow';
import { V1_ACTORS } from './actors';
import { pairingMachineV1 } from './machine';
import { V1_EVENT_RULES, V1_RULES } from './rules';

/** Version 1 of the lifecycle, whole: its machine, its rules and who may send what. */
export const PAIRING_WORKFLOW_V1 = {
  version: 1,
  machine: pairingMachineV1,
  rules: V1_RULES,
  eventRules: V1_EVENT_RULES,
  actors: V1_ACTORS,
} as const satisfies PairingWorkflow;

export { pairingMachineV1, V1_RULES, V1_EVENT_RULES, V1_ACTORS };
export type { V1RuleCode } from './rules';
