import type { ActorTable } from '../pairing.access';
import { V1_ACTORS } from '../v1/actors';

/**
 * Who may send which event under version 2: everyone as under version 1, and the partner side (SPEC §12).
 * The lead secretary countersigns too, on a partner's behalf from its signed paper copy.
 */
export const V2_ACTORS: ActorTable = {
  ...V1_ACTORS,
  COUNTERSIGN_AGREEMENT: ['partner', 'leadSecretary'],
  CONFIRM_ACTIVITY: ['partner'],
  EVALUATE_PARTNERSHIP: ['partner'],
};
