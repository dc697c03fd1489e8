import { firstViolation } from '../rules';
import { pairingMachineV2 } from '../v2/machine';
import { V3_RULES, type V3RuleCode } from './rules';

/*
 * Version 3 of the pairing lifecycle: version 2's states, transitions and actions (SPEC §5, §12), judged by
 * version 3's rules (URGE once a day per waiting step, SPEC §10). Version 2's machine stays as it is for the
 * pairings started under it; this one only provides another implementation of its guard.
 */
export const pairingMachineV3 = pairingMachineV2.provide({
  guards: {
    rulesHold: ({ context, event }, params: { rules: readonly V3RuleCode[] }) =>
      firstViolation(V3_RULES, params.rules, context, event) === undefined,
  },
});
