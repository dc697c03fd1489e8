import { Injectable } from '@nestjs/common';

/** The one source of "now"; tests replace it to move time. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function dateIn(timeZone: string, instant: Date): string {
  return formatter(
    `date:${timeZone}`,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(instant);
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
  const [y, m, d] = date.split('-').map(Number);
  const nextMidnightUtc = Date.UTC(y, m - 1, d + 1);
  const offset = formatter(`offset:${timeZone}`, () => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }))
    .formatToParts(new Date(nextMidnightUtc))
    .find((part) => part.type === 'timeZoneName')!.value; // "GMT+08:00" or "GMT"
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(offset);
  const minutes = match ? (match[1] === '+' ? 1 : -1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return new Date(nextMidnightUtc - minutes * 60_000).toISOString();
}
