import type { PairingContext } from './pairing.types';
import {
  hasOpenQuarterStarted,
  isExemptFromOverdue,
  isOpenQuarter,
  isQuarterInPlan,
  isQuarterOverdue,
  isReportLate,
  quarterRequirementsMet,
  quartersToFlag,
  reportDueOn,
} from './quarters';

/** Plan from Q2 of 2025, accepted on 10 April, Q2 reported. */
const context = (changes: Partial<PairingContext> = {}): PairingContext => ({
  year: 2025,
  mode: 'voluntary',
  startQuarter: 2,
  quarter: 3,
  reportedThrough: 2,
  planAcceptedOn: '2025-04-10',
  quarterScores: [],
  reviewScore: null,
  finalScore: null,
  revision: 1,
  pendingSubmitterId: null,
  lastUrgedAt: null,
  overdueQuarters: [],
  ...changes,
});

describe('quarters of the plan', () => {
  it('cover the starting quarter to Q4, and take activities until reported', () => {
    expect([1, 2, 3, 4].map((q) => isQuarterInPlan(context(), q))).toEqual([false, true, true, true]);
    expect([1, 2, 3, 4].map((q) => isOpenQuarter(context(), q))).toEqual([false, false, true, true]);
    expect(isQuarterInPlan(context({ startQuarter: null }), 3)).toBe(false);
  });

  it('owe a report 15 days after they end, and none outside the plan', () => {
    expect(reportDueOn(context(), 3)).toBe('2025-10-15');
    expect(reportDueOn(context(), 4)).toBe('2026-01-15');
    expect(reportDueOn(context(), 1)).toBeNull();
  });
});

describe(isReportLate.name, () => {
  it('is late the day after the due date, while unreported', () => {
    expect(isReportLate(context(), 3, '2025-10-15')).toBe(false);
    expect(isReportLate(context(), 3, '2025-10-16')).toBe(true);
    expect(isReportLate(context({ reportedThrough: 3 }), 3, '2025-12-01')).toBe(false);
  });

  it('never is for a quarter that ended before the plan was accepted (it is still owed)', () => {
    const late = context({ startQuarter: 1, reportedThrough: 0, planAcceptedOn: '2025-05-10' });
    expect(isExemptFromOverdue(late, 1)).toBe(true);
    expect(isReportLate(late, 1, '2025-12-31')).toBe(false);
    expect(reportDueOn(late, 1)).toBe('2025-04-15');
    expect(isReportLate(late, 2, '2025-07-16')).toBe(true);
  });

  it('never is before a plan is accepted', () => {
    expect(isReportLate(context({ planAcceptedOn: null }), 3, '2025-12-31')).toBe(false);
  });
});

describe(quartersToFlag.name, () => {
  it('lists the late quarters not yet flagged', () => {
    expect(quartersToFlag(context(), '2026-01-20')).toEqual([3, 4]);
    expect(quartersToFlag(context({ overdueQuarters: [3] }), '2026-01-20')).toEqual([4]);
    expect(quartersToFlag(context(), '2025-10-15')).toEqual([]);
  });
});

describe(isQuarterOverdue.name, () => {
  it('says overdue for a flagged quarter even once reported, and for a late one while active', () => {
    expect(isQuarterOverdue(context({ overdueQuarters: [2] }), 'scored', 2, '2026-02-01')).toBe(true);
    expect(isQuarterOverdue(context(), 'active.collecting', 3, '2025-10-16')).toBe(true);
  });

  it('is not for a terminated pairing that was never flagged, nor before the due date', () => {
    expect(isQuarterOverdue(context(), 'terminated', 3, '2025-10-16')).toBe(false);
    expect(isQuarterOverdue(context(), 'active.collecting', 3, '2025-10-15')).toBe(false);
  });
});

describe(quarterRequirementsMet.name, () => {
  it('needs a joint meeting and an activity day', () => {
    expect(quarterRequirementsMet({ jointMeetings: 1, activityDays: 1 })).toBe(true);
    expect(quarterRequirementsMet({ jointMeetings: 2, activityDays: 0 })).toBe(false);
    expect(quarterRequirementsMet({ jointMeetings: 0, activityDays: 3 })).toBe(false);
  });
});

describe(hasOpenQuarterStarted.name, () => {
  it('is true while an unreported quarter of the plan has begun', () => {
    expect(hasOpenQuarterStarted(context(), '2025-07-01')).toBe(true);
    expect(hasOpenQuarterStarted(context(), '2025-06-30')).toBe(false);
    expect(hasOpenQuarterStarted(context({ reportedThrough: 4 }), '2025-12-31')).toBe(false);
  });
});
