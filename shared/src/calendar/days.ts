// Dates as the calendar counts them: 'YYYY-MM-DD' strings (calendar days in China, no time, no zone) outside, day
// numbers (whole days since 1970-01-01, computed in UTC so the host's zone can never shift a day) inside. Counting
// a range then walks integers instead of making and reading a date per day: the staff queue counts one per row.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** The day number of a real 'YYYY-MM-DD' date, or undefined ('2025-02-30' and '2025-2-3' are not dates). */
export function toDayNumber(value: string): number | undefined {
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo, d);
  const back = new Date(ms);
  // Date.UTC rolls 02-30 over to 03-02; a round trip catches it.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo || back.getUTCDate() !== d) return undefined;
  return ms / MS_PER_DAY;
}

export function toIsoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The day number of 1 January of a year. */
export function firstDayOf(year: number): number {
  return Date.UTC(year, 0, 1) / MS_PER_DAY;
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

/** Today in China (UTC+8, no daylight saving), which is the day the statutory clock counts in. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
