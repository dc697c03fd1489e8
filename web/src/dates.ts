import dayjs, { type Dayjs } from 'dayjs';
import { localTime } from '../../workflows/local-time';

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
}

/**
 * The one way an instant (`createdAt`, an audit event's `at` …) is shown to people (SPEC §10): local date
 * and time in APP_TIMEZONE, saying which offset — `2026-12-01 15:11 (UTC+8)`. Anything unreadable comes back
 * as it is; nothing is `—`.
 */
export function formatInstant(value: string | null | undefined, timeZone = calendar?.timezone ?? DEFAULT_ZONE): string {
  if (!value) return '—';
  return localTime(value, timeZone, 'minutes');
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
