/**
 * Instants as people read them (SPEC §10): in the court's time zone, saying which, e.g.
 * `2026-12-01 15:11:05 (UTC+8)`. Hashed and stored instants stay UTC; only what people read is local.
 * One implementation for the server (CSV, dossier, workbooks, /api/calendar) and the web.
 */

// Building an Intl.DateTimeFormat costs ~50 times more than using one: one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** `UTC+8`, `UTC+5:30`, `UTC` for the offset "GMT+08:00" / "GMT+05:30" / "GMT". */
function zoneLabel(gmt: string): string {
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(gmt);
  if (!match || (match[2] === '00' && match[3] === '00')) return 'UTC';
  const minutes = match[3] === '00' ? '' : `:${match[3]}`;
  return `UTC${match[1]}${Number(match[2])}${minutes}`;
}

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:mm:ss */
  time: string;
  /** `UTC+8` */
  zone: string;
}

export function localParts(instant: string | Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(typeof instant === 'string' ? new Date(instant) : instant))
    parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    zone: zoneLabel(parts.timeZoneName ?? 'GMT'),
  };
}

/**
 * `2026-12-01 15:11:05 (UTC+8)`, or `2026-12-01 15:11 (UTC+8)` with `minutes`; an instant that does not
 * parse is returned as it is.
 */
export function localTime(instant: string | Date, timeZone: string, precision: 'seconds' | 'minutes' = 'seconds'): string {
  if (typeof instant === 'string' && Number.isNaN(Date.parse(instant))) return instant;
  const { date, time, zone } = localParts(instant, timeZone);
  return `${date} ${precision === 'minutes' ? time.slice(0, 5) : time} (${zone})`;
}
