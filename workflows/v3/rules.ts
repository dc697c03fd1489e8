import { rule } from '../rules';
import { V2_EVENT_RULES, V2_RULES } from '../v2/rules';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The business rules of version 3: version 2's, with URGE limited per waiting step (SPEC §10) instead of per
 * pairing. A rule of an earlier version that judges differently is written again here, under the same code, so
 * the earlier tables stay as they were.
 */
export const V3_RULES = {
  ...V2_RULES,

  URGED_RECENTLY: rule({
    status: 429,
    message: 'This step was urged less than 24 hours ago; it can be urged again once a day has passed.',
    events: ['URGE'],
    readsPayload: false,
    // A step begins each time the pairing comes to wait on the committee (its open task's start): an urge from
    // before it does not count. Without the facts, or with an unreadable instant (NaN), the urge counts: refuse
    // rather than spam.
    holds: (context, { meta, facts }) => {
      if (context.lastUrgedAt === null) return true;
      const urged = Date.parse(context.lastUrgedAt);
      const since = facts?.waitingSince ? Date.parse(facts.waitingSince) : NaN;
      return urged < since || Date.parse(meta.now) - urged >= DAY_MS;
    },
  }),
};

export type V3RuleCode = keyof typeof V3_RULES;

/** The rules each event must pass under version 3, in the order they are judged: those of version 2. */
export const V3_EVENT_RULES = V2_EVENT_RULES;
