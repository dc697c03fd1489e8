/**
 * Calendar arithmetic on date-only strings (YYYY-MM-DD). The dates are already
 * in APP_TIMEZONE, so everything here runs on UTC midnights and never meets a
 * daylight-saving shift or the host's timezone.
 */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

function parseDate(date: string): Date {
  const match = DATE_ONLY.exec(date);
  const parsed = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  // Date.UTC rolls 2025-02-30 over to March; a calendar date must round-trip.
  if (!parsed || formatDate(parsed) !== date) {
    throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  }
  return parsed;
}

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function assertQuarter(quarter: number): void {
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) {
    throw new RangeError(`A quarter is 1, 2, 3 or 4, not ${quarter}`);
  }
}

/** For rules, which must refuse a malformed date with a 422 rather than throw. */
export function isCalendarDate(value: string): boolean {
  try {
    parseDate(value);
    return true;
  } catch {
    return false;
  }
}

export function yearOf(date: string): number {
  return parseDate(date).getUTCFullYear();
}

export function quarterOf(date: string): number {
  return Math.floor(parseDate(date).getUTCMonth() / 3) + 1;
}

export function addDays(date: string, days: number): string {
  return formatDate(new Date(parseDate(date).getTime() + days * DAY_MS));
}

export function quarterStart(year: number, quarter: number): string {
  return ofQuarter(starts, year, quarter, () => formatDate(new Date(Date.UTC(year, (quarter - 1) * 3, 1))));
}

export function quarterEnd(year: number, quarter: number): string {
  // Day 0 of the following month is the last day of this quarter.
  return ofQuarter(ends, year, quarter, () => formatDate(new Date(Date.UTC(year, quarter * 3, 0))));
}

/** Quarter reports are due 15 days after the quarter ends (SPEC §5, §8). */
export const REPORT_GRACE_DAYS = 15;

export function reportDueDate(year: number, quarter: number): string {
  return ofQuarter(dues, year, quarter, () => addDays(quarterEnd(year, quarter), REPORT_GRACE_DAYS));
}

// Every view, rule and due date asks for the same few quarters' dates: each is worked out once.
const starts = new Map<number, string>();
const ends = new Map<number, string>();
const dues = new Map<number, string>();
const REMEMBERED_YEARS = { from: 1900, to: 2200 };

function ofQuarter(dates: Map<number, string>, year: number, quarter: number, work: () => string): string {
  assertQuarter(quarter);
  const key = year * 4 + quarter;
  let date = dates.get(key);
  if (date === undefined) {
    date = work();
    if (Number.isInteger(year) && year >= REMEMBERED_YEARS.from && year <= REMEMBERED_YEARS.to) dates.set(key, date);
  }
  return date;
}
