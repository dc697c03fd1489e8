import { Injectable } from '@nestjs/common';
import { LruMap } from './lru';

/** The one source of "now"; tests replace it to move time. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function dateIn(timeZone: string, instant: Date): string {
  const at = instant.getTime();
  const known = days.get(timeZone);
  if (known && at >= known.from && at < known.until) return known.date;
  const date = formatDate(timeZone, instant);
  rememberDay(timeZone, date);
  return date;
}

function formatDate(timeZone: string, instant: Date): string {
  return formatter(
    `date:${timeZone}`,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(instant);
}

/**
 * The day last asked for, per zone, with the instants it spans: "now" is asked on every request and stays the
 * same day for hours, and formatting an instant costs tens of microseconds. A span is kept only once both its
 * ends are checked to format as the day (a zone whose clocks change at midnight would otherwise be trusted to
 * endOfDay's reading of its offset).
 */
const days = new Map<string, { date: string; from: number; until: number }>();

function rememberDay(timeZone: string, date: string): void {
  const [y, m, d] = date.split('-').map(Number);
  const previous = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  const from = Date.parse(endOfDay(previous, timeZone));
  const until = Date.parse(endOfDay(date, timeZone));
  if (formatDate(timeZone, new Date(from)) === date && formatDate(timeZone, new Date(until - 1)) === date)
    days.set(timeZone, { date, from, until });
}

// Building an Intl.DateTimeFormat costs ~50 times more than using one; keep one per zone and purpose.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let found = formatters.get(key);
  if (!found) formatters.set(key, (found = make()));
  return found;
}

/** The instant a calendar day ends (midnight of the next day) in a time zone, as ISO UTC. */
export function endOfDay(date: string, timeZone: string): string {
  const key = `${timeZone} ${date}`;
  let end = endsOfDays.get(key);
  if (end === undefined) endsOfDays.set(key, (end = computeEndOfDay(date, timeZone)));
  return end;
}

// Due dates ask for the same few days again and again.
const endsOfDays = new LruMap<string, string>(1000);

function computeEndOfDay(date: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const nextMidnightUtc = Date.UTC(y, m - 1, d + 1);
  const offset = formatter(`offset:${timeZone}`, () => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }))
    .formatToParts(new Date(nextMidnightUtc))
    .find((part) => part.type === 'timeZoneName')!.value; // "GMT+08:00" or "GMT"
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(offset);
  const minutes = match ? (match[1] === '+' ? 1 : -1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return new Date(nextMidnightUtc - minutes * 60_000).toISOString();
}
