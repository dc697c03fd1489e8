import dayjs, { type Dayjs } from 'dayjs';

export const DATE = 'YYYY-MM-DD';

/**
 * The court's calendar (GET /api/calendar): times are shown in APP_TIMEZONE and "today" is its date,
 * whatever the browser's own clock and zone say. Until the server has answered, Asia/Shanghai (the default).
 */
export interface Calendar {
  timezone: string;
  /** e.g. `UTC+8` */
  utcOffset: string;
  today: string;
  year: number;
  quarter: number;
}

let calendar: Calendar | null = null;
const DEFAULT_ZONE = 'Asia/Shanghai';

export function setCalendar(next: Calendar | null) {
  calendar = next;
  formatters.clear();
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** `GMT+08:00` → `UTC+8`, `GMT+05:30` → `UTC+5:30`, `GMT` → `UTC+0`. */
function offsetName(gmt: string): string {
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(gmt);
  if (!m) return 'UTC+0';
  return `UTC${m[1]}${Number(m[2])}${m[3] === '00' ? '' : `:${m[3]}`}`;
}

/**
 * The one way an instant (`createdAt`, an audit event's `at` …) is shown to people (SPEC §10): local date
 * and time in APP_TIMEZONE, saying which offset — `2026-12-01 15:11 (UTC+8)`. Anything unreadable comes back
 * as it is; nothing is `—`.
 */
export function formatInstant(value: string | null | undefined, timeZone = calendar?.timezone ?? DEFAULT_ZONE): string {
  if (!value) return '—';
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  const parts = formatter(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} (${offsetName(part('timeZoneName'))})`;
}

/** APP_TIMEZONE as the server said (Asia/Shanghai until it has). */
export function calendarZone(): string {
  return calendar?.timezone ?? DEFAULT_ZONE;
}

/** The calendar date of an instant in APP_TIMEZONE (YYYY-MM-DD). */
export function localDate(value: string, timeZone = calendar?.timezone ?? DEFAULT_ZONE): string {
  return formatInstant(value, timeZone).slice(0, 10);
}

/** Today in APP_TIMEZONE, as the server judges "not after today". */
export function today(): string {
  return calendar?.today ?? localDate(new Date().toISOString());
}

export function quarterOf(d: Dayjs | string): number {
  const month = typeof d === 'string' ? Number(d.slice(5, 7)) - 1 : d.month();
  return Math.floor(month / 3) + 1;
}

export function quarterStart(year: number, q: number): Dayjs {
  return dayjs(new Date(year, (q - 1) * 3, 1));
}

export function quarterEnd(year: number, q: number): Dayjs {
  return quarterStart(year, q).add(2, 'month').endOf('month').startOf('day');
}

export function toDateString(v: Dayjs | string | null | undefined): string | undefined {
  if (!v) return undefined;
  if (typeof v === 'string') return v;
  return v.format(DATE);
}

export function currentQuarter(): number {
  return calendar?.quarter ?? quarterOf(today());
}

export function currentYear(): number {
  return calendar?.year ?? Number(today().slice(0, 4));
}
