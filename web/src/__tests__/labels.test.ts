import { describe, expect, it } from 'vitest';
import { stepIndex, stateLabel, taskLabel } from '../labels';
import { assessedText } from '../pages/Reports';
import { formatInstant, localDate, quarterEnd, quarterOf } from '../dates';

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

describe('ranking', () => {
  it('says which quarters a pairing was assessed on, and how many', () => {
    expect(assessedText([1, 2, 3, 4], 'zh')).toBe('第1–4季度（4个）');
    expect(assessedText([3, 4], 'zh')).toBe('第3–4季度（2个）');
    expect(assessedText([4], 'en')).toBe('Q4 (1)');
    expect(assessedText([], 'zh')).toBe('—');
  });
});

describe('dates', () => {
  it('computes quarters', () => {
    expect(quarterOf('2025-03-31')).toBe(1);
    expect(quarterOf('2025-10-01')).toBe(4);
    expect(quarterEnd(2025, 1).format('YYYY-MM-DD')).toBe('2025-03-31');
    expect(quarterEnd(2025, 4).format('YYYY-MM-DD')).toBe('2025-12-31');
  });

  it('shows every instant in the court’s time zone and says which (SPEC §10)', () => {
    expect(formatInstant('2026-12-01T07:11:30.000Z')).toBe('2026-12-01 15:11 (UTC+8)');
    expect(formatInstant('2026-12-31T17:30:00.000Z')).toBe('2027-01-01 01:30 (UTC+8)');
    expect(formatInstant('2026-12-01T07:11:30.000Z', 'Asia/Kolkata')).toBe('2026-12-01 12:41 (UTC+5:30)');
    expect(formatInstant('2026-07-01T12:00:00.000Z', 'Europe/London')).toBe('2026-07-01 13:00 (UTC+1)');
    expect(formatInstant(null)).toBe('—');
    expect(formatInstant('not a time')).toBe('not a time');
    expect(localDate('2026-12-31T17:30:00.000Z')).toBe('2027-01-01');
  });
});
