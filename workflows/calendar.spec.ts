import { addDays, isCalendarDate, quarterEnd, quarterOf, quarterStart, reportDueDate, yearOf } from './calendar';

describe(quarterOf.name, () => {
  it.each([
    ['2025-01-01', 1],
    ['2025-03-31', 1],
    ['2025-04-01', 2],
    ['2025-06-30', 2],
    ['2025-07-01', 3],
    ['2025-09-30', 3],
    ['2025-10-01', 4],
    ['2025-12-31', 4],
  ])('%s is in Q%d', (date, quarter) => {
    expect(quarterOf(date)).toBe(quarter);
  });

  it.each(['2025-02-30', '2025-13-01', '2025-1-5', '20250105', '2025-01-05T00:00:00Z', ''])('refuses %j', (date) => {
    expect(() => quarterOf(date)).toThrow('Not a calendar date');
  });
});

describe(isCalendarDate.name, () => {
  it('accepts real dates, leap days included, and nothing else', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-04-31')).toBe(false);
    expect(isCalendarDate('tomorrow')).toBe(false);
  });
});

describe(yearOf.name, () => {
  it('reads the year of a date', () => {
    expect(yearOf('2025-12-31')).toBe(2025);
    expect(yearOf('2026-01-01')).toBe(2026);
  });
});

describe(quarterEnd.name, () => {
  it.each([
    [1, '2025-01-01', '2025-03-31'],
    [2, '2025-04-01', '2025-06-30'],
    [3, '2025-07-01', '2025-09-30'],
    [4, '2025-10-01', '2025-12-31'],
  ])('Q%d runs from %s to %s', (quarter, start, end) => {
    expect(quarterStart(2025, quarter)).toBe(start);
    expect(quarterEnd(2025, quarter)).toBe(end);
  });

  it.each([0, 5, 1.5])('refuses quarter %d', (quarter) => {
    expect(() => quarterEnd(2025, quarter)).toThrow('A quarter is 1, 2, 3 or 4');
  });
});

describe(reportDueDate.name, () => {
  it.each([
    [1, '2025-04-15'],
    [2, '2025-07-15'],
    [3, '2025-10-15'],
    [4, '2026-01-15'],
  ])('the Q%d report is due on %s', (quarter, due) => {
    expect(reportDueDate(2025, quarter)).toBe(due);
  });
});

describe(addDays.name, () => {
  it('crosses month, leap-day and year boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 15)).toBe('2026-01-15');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });
});
