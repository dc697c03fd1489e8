import { localParts, localTime } from './local-time';

describe('local time (SPEC §10)', () => {
  const instant = '2026-12-01T07:11:05.000Z';

  it('shows an instant in the court’s zone, saying which', () => {
    expect(localTime(instant, 'Asia/Shanghai')).toBe('2026-12-01 15:11:05 (UTC+8)');
    expect(localTime(instant, 'Asia/Shanghai', 'minutes')).toBe('2026-12-01 15:11 (UTC+8)');
    expect(localTime(instant, 'Asia/Kolkata')).toBe('2026-12-01 12:41:05 (UTC+5:30)');
    expect(localTime(instant, 'America/New_York')).toBe('2026-12-01 02:11:05 (UTC-5)');
    expect(localTime(instant, 'UTC')).toBe('2026-12-01 07:11:05 (UTC)');
  });

  it('crosses midnight into the local date', () => {
    expect(localParts(new Date('2026-12-31T16:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2027-01-01', time: '00:30:00', zone: 'UTC+8' });
  });

  it('returns what does not parse as it is', () => {
    expect(localTime('not a time', 'Asia/Shanghai')).toBe('not a time');
  });
});
