import dayjs, { type Dayjs } from 'dayjs';

export const DATE = 'YYYY-MM-DD';

export function quarterOf(d: Dayjs | string): number {
  const x = typeof d === 'string' ? dayjs(d) : d;
  return Math.floor(x.month() / 3) + 1;
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
  return quarterOf(dayjs());
}
