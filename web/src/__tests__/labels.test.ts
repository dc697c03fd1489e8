import { describe, expect, it } from 'vitest';
import { stepIndex, stateLabel, taskLabel } from '../labels';
import { activityCount, rowsOf } from '../pages/Reports';
import { quarterEnd, quarterOf } from '../dates';

describe('labels', () => {
  it('names every API state in Chinese', () => {
    for (const s of ['draft', 'proposed', 'returned', 'approved', 'agreementSigned', 'planFiled', 'active.collecting', 'active.reportSubmitted', 'yearEndReview', 'underReview', 'scored', 'withdrawn', 'rejected', 'terminated'])
      expect(stateLabel(s, 'zh')).not.toBe(s);
  });

  it('maps states onto the lifecycle steps', () => {
    expect(stepIndex('draft')).toBe(0);
    expect(stepIndex('approved')).toBe(1);
    expect(stepIndex('planFiled')).toBe(2);
    expect(stepIndex('active.reportSubmitted')).toBe(3);
    expect(stepIndex('underReview')).toBe(4);
    expect(stepIndex('scored')).toBe(6);
    expect(stepIndex('terminated', 'active.collecting')).toBe(3);
  });

  it('falls back to the state for unknown task kinds', () => {
    expect(taskLabel('weird_kind', 'proposed', 'zh')).toBe('审批结对申报');
    expect(taskLabel('weird_kind', undefined, 'zh')).toBe('weird_kind');
  });
});

describe('report helpers', () => {
  it('reads lists under any usual key', () => {
    expect(rowsOf([{ a: 1 }])).toHaveLength(1);
    expect(rowsOf({ pairings: [{ a: 1 }, { a: 2 }] }, 'pairings')).toHaveLength(2);
    expect(rowsOf({ nothing: 1 })).toEqual([]);
  });

  it('counts activities by kind in the shapes a bulletin may use', () => {
    expect(activityCount({ activities: { joint_meeting: 2 } }, 'joint_meeting')).toBe(2);
    expect(activityCount({ activitiesByKind: [{ kind: 'activity_day', count: 3 }] }, 'activity_day')).toBe(3);
    expect(activityCount({ joint_meeting: 1 }, 'joint_meeting')).toBe(1);
  });
});

describe('dates', () => {
  it('computes quarters', () => {
    expect(quarterOf('2025-03-31')).toBe(1);
    expect(quarterOf('2025-10-01')).toBe(4);
    expect(quarterEnd(2025, 1).format('YYYY-MM-DD')).toBe('2025-03-31');
    expect(quarterEnd(2025, 4).format('YYYY-MM-DD')).toBe('2025-12-31');
  });
});
