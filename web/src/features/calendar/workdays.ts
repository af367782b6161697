// Working-day arithmetic for display, from the official calendar the server publishes (holidays and
// adjusted working days, 调休). The server decides every due date; the portal only counts what is left and
// projects each item's promised date for the receipt. Dates are calendar days in China, "YYYY-MM-DD".

export interface CalendarYearFile {
  year: number;
  holidays: Array<{ days: string[]; adjustedWorkdays: string[] }>;
}

export interface WorkCalendar {
  isWorkday(day: string): boolean;
  /** The n-th working day after `start` (day 0 is `start` itself, as the server counts). */
  addWorkdays(start: string, n: number): string;
  /** Working days after `from` up to and including `to`; negative when `to` is before `from`. */
  workdaysBetween(from: string, to: string): number;
}

function toUtc(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DAY = 86_400_000;

function dayNumber(day: string): number {
  return Math.round(toUtc(day) / DAY);
}

export function buildCalendar(years: CalendarYearFile[]): WorkCalendar {
  // Days as whole numbers (days since 1970-01-01), so that counting a range walks integers instead of making and
  // reading a date string per day: the queue counts one range per row on every render.
  const off = new Set<number>();
  const on = new Set<number>();
  for (const y of years) {
    for (const h of y.holidays) {
      h.days.forEach((d) => off.add(dayNumber(d)));
      h.adjustedWorkdays.forEach((d) => on.add(dayNumber(d)));
    }
  }
  const workday = (n: number) => {
    if (on.has(n)) return true;
    if (off.has(n)) return false;
    const wd = (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 is Sunday
    return wd !== 0 && wd !== 6;
  };
  return {
    isWorkday: (day) => workday(dayNumber(day)),
    addWorkdays(start, n) {
      let d = dayNumber(start);
      let left = n;
      while (left > 0) {
        d += 1;
        if (workday(d)) left -= 1;
      }
      return fromUtc(d * DAY);
    },
    workdaysBetween(from, to) {
      const a = dayNumber(from);
      const b = dayNumber(to);
      let count = 0;
      for (let d = Math.min(a, b) + 1; d <= Math.max(a, b); d += 1) if (workday(d)) count += 1;
      return b >= a ? count : -count;
    },
  };
}

/**
 * A year whose State Council notice is not loaded: only the holidays the law fixes by solar date (《全国年节及纪念日
 * 放假办法》), as the server's provisional count (calendar.domain.ts) has them.
 */
export function provisionalYear(year: number): CalendarYearFile {
  const days = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'].map((md) => `${year}-${md}`);
  return { year, holidays: [{ days, adjustedWorkdays: [] }] };
}

/** Today in China (UTC+8, no daylight saving), which is the day the statutory clock counts in. */
export function todayInChina(now: Date = new Date()): string {
  return fromUtc(now.getTime() + 8 * 3_600_000);
}

/**
 * Each item's promised finish if every department accepts on its day: an item starts when its last
 * prerequisite finishes, and a case already on the clock keeps its own due date (the server's rule).
 */
export function projectDueDates(
  items: ReadonlyArray<{ code: string; dependsOn: string[]; promisedDays: number; dueDate: string | null }>,
  submittedOn: string,
  cal: WorkCalendar,
): Map<string, string> {
  const byCode = new Map(items.map((i) => [i.code, i]));
  const finish = new Map<string, string>();
  const visit = (code: string, seen: Set<string>): string => {
    const known = finish.get(code);
    if (known) return known;
    const it = byCode.get(code)!;
    let f: string;
    if (it.dueDate) f = it.dueDate;
    else {
      const next = new Set(seen).add(code);
      const start = it.dependsOn
        .filter((d) => byCode.has(d) && !next.has(d))
        .map((d) => visit(d, next))
        .reduce((a, b) => (a > b ? a : b), submittedOn);
      f = cal.addWorkdays(start, it.promisedDays);
    }
    finish.set(code, f);
    return f;
  };
  for (const i of items) visit(i.code, new Set());
  return finish;
}
