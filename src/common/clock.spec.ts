import { dateIn, endOfDay } from './clock';

describe(dateIn.name, () => {
  it('judges the date in the given time zone', () => {
    const instant = new Date('2026-03-31T17:30:00.000Z'); // 01:30 on 1 April in Shanghai
    expect(dateIn('Asia/Shanghai', instant)).toBe('2026-04-01');
    expect(dateIn('UTC', instant)).toBe('2026-03-31');
  });
});

describe(endOfDay.name, () => {
  it('is midnight after the day, in the time zone', () => {
    expect(endOfDay('2026-04-15', 'Asia/Shanghai')).toBe('2026-04-15T16:00:00.000Z');
    expect(endOfDay('2026-12-31', 'UTC')).toBe('2027-01-01T00:00:00.000Z');
  });
});
