import { dateIn, endOfDay } from './clock';

describe(dateIn.name, () => {
  it('judges the date in the given time zone', () => {
    const instant = new Date('2026-03-31T17:30:00.000Z'); // 01:30 on 1 April in Shanghai
    expect(dateIn('Asia/Shanghai', instant)).toBe('2026-04-01');
    expect(dateIn('UTC', instant)).toBe('2026-03-31');
  });

  it('keeps giving what the clock of the zone says, across midnights and clock changes, when asked again and again', () => {
    // Zones whose clocks change at 02:00, at midnight (Santiago), by half an hour (Lord Howe), or run 5:45 ahead.
    const zones = ['Asia/Shanghai', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    const periods = ['2026-04-03T00:00:00Z', '2026-09-04T00:00:00Z', '2026-11-01T00:00:00Z', '2026-12-31T00:00:00Z'];
    for (const timeZone of zones) {
      const truth = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
      for (const start of periods)
        for (let minutes = 0; minutes < 4 * 24 * 60; minutes += 13) {
          const instant = new Date(Date.parse(start) + minutes * 60_000);
          expect([timeZone, instant.toISOString(), dateIn(timeZone, instant)]).toEqual([
            timeZone,
            instant.toISOString(),
            truth.format(instant),
          ]);
        }
    }
  });

  it('answers for an instant long before the day it last answered for', () => {
    expect(dateIn('Asia/Shanghai', new Date('2026-12-01T08:00:00Z'))).toBe('2026-12-01');
    expect(dateIn('Asia/Shanghai', new Date('1999-12-31T16:00:00Z'))).toBe('2000-01-01');
    expect(dateIn('Asia/Shanghai', new Date('2026-12-01T15:59:59.999Z'))).toBe('2026-12-01');
    expect(dateIn('Asia/Shanghai', new Date('2026-12-01T16:00:00Z'))).toBe('2026-12-02');
  });
});

describe(endOfDay.name, () => {
  it('is midnight after the day, in the time zone', () => {
    expect(endOfDay('2026-04-15', 'Asia/Shanghai')).toBe('2026-04-15T16:00:00.000Z');
    expect(endOfDay('2026-12-31', 'UTC')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('gives the same answer when asked again, per zone', () => {
    expect(endOfDay('2026-04-15', 'Asia/Shanghai')).toBe('2026-04-15T16:00:00.000Z');
    expect(endOfDay('2026-04-15', 'UTC')).toBe('2026-04-16T00:00:00.000Z');
    expect(endOfDay('2026-04-15', 'Asia/Shanghai')).toBe('2026-04-15T16:00:00.000Z');
  });
});
