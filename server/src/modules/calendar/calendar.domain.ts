// The official working-day calendar that case clocks run on: Monday–Friday, minus the State Council's holidays,
// plus its adjusted working weekend days (调休上班). The holidays are data, one file per year transcribed from the
// 国务院办公厅 notice (published each November), never computed: the arrangement is a yearly political decision.
// Pure: no I/O here, the shipped files are read by calendar.data.ts.
//
// Dates are 'YYYY-MM-DD' strings (calendar days in China, no time, no zone). Internally a date is a day number
// (days since 1970-01-01) computed in UTC, so the host's time zone can never shift a day.
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------------------------
// Errors: plain Error subclasses with a stable `code`, so the API layer can map them without string matching.

export abstract class CalendarError extends Error {
  abstract readonly code: string;
}

/** A date falls in a year whose notice is not loaded: we refuse rather than guess that year's holidays. */
export class CalendarYearNotLoadedError extends CalendarError {
  readonly code = 'calendar.year_not_loaded' as const;
  readonly year: number;
  /** The first date met in that year (an input, or a day the computation walked through). */
  readonly date: string;
  constructor(year: number, date: string) {
    super(`the working-day calendar for ${year} is not loaded (needed for ${date})`);
    this.name = 'CalendarYearNotLoadedError';
    this.year = year;
    this.date = date;
  }
}

/** An input is not a real date written as YYYY-MM-DD. */
export class InvalidDateError extends CalendarError {
  readonly code = 'calendar.invalid_date' as const;
  /** Which argument was wrong, e.g. 'start' or 'pauses[1].to'. */
  readonly field: string;
  readonly value: unknown;
  constructor(field: string, value: unknown) {
    super(`${field}: ${JSON.stringify(value)} is not a real date as YYYY-MM-DD`);
    this.name = 'InvalidDateError';
    this.field = field;
    this.value = value;
  }
}

/** Any other bad argument: a negative day count, a pause that ends before it starts, overlapping pauses. */
export class InvalidArgumentError extends CalendarError {
  readonly code = 'calendar.invalid_argument' as const;
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'InvalidArgumentError';
    this.field = field;
  }
}

/** A year file (or a year handed to WorkCalendar) fails the schema; every issue names its field path. */
export class CalendarDataError extends CalendarError {
  readonly code = 'calendar.invalid_data' as const;
  readonly origin: string;
  readonly issues: { path: string; message: string }[];
  constructor(origin: string, issues: { path: string; message: string }[]) {
    super(`${origin}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'CalendarDataError';
    this.origin = origin;
    this.issues = issues;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Date arithmetic on day numbers.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** The day number of a real 'YYYY-MM-DD' date, or undefined ('2025-02-30' and '2025-2-3' are not dates). */
function toDayNumber(value: string): number | undefined {
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

function toIso(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

function parseDate(value: unknown, field: string): number {
  const day = typeof value === 'string' ? toDayNumber(value) : undefined;
  if (day === undefined) throw new InvalidDateError(field, value);
  return day;
}

// ---------------------------------------------------------------------------------------------------------------
// The year file.

/** A real calendar date written as YYYY-MM-DD. */
export const IsoDate = z.string().refine((s) => toDayNumber(s) !== undefined, 'not a real date as YYYY-MM-DD');

export const HolidayName = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
export type HolidayName = z.infer<typeof HolidayName>;

export const CalendarHoliday = z.strictObject({
  name: HolidayName,
  /** Every day off, weekends inside the break included, as the notice's "X月X日至X日放假" reads. */
  days: z.array(IsoDate).min(1, 'a holiday lists at least one day off'),
  /** The weekend days worked in exchange (调休上班); empty when the notice says 不调休 or 连休. */
  adjustedWorkdays: z.array(IsoDate),
  /** Anything a maintainer should know when checking this entry against the notice. */
  note: z.string().min(1).optional(),
});
export type CalendarHoliday = z.infer<typeof CalendarHoliday>;

export const CalendarSource = z.strictObject({
  title: z.string().min(1),
  /** 文号, e.g. 国办发明电〔2024〕12号; omitted when no copy of the notice at hand shows it. */
  number: z.string().min(1).optional(),
  published: IsoDate,
  url: z.url().optional(),
});

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );

export const CalendarYearFile = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    source: CalendarSource,
    holidays: z.array(CalendarHoliday).min(1),
  })
  .superRefine((file, ctx) => {
    // Where each date was first listed, so a repeat can point at both places.
    const seen = new Map<string, string>();
    file.holidays.forEach((holiday, i) => {
      for (const list of ['days', 'adjustedWorkdays'] as const) {
        holiday[list].forEach((date, j) => {
          const path = ['holidays', i, list, j];
          const day = toDayNumber(date);
          if (day === undefined) return; // already reported by IsoDate
          if (yearOf(day) !== file.year) {
            ctx.addIssue({ code: 'custom', path, message: `${date} is outside the year ${file.year}` });
          }
          if (list === 'adjustedWorkdays' && !isWeekend(day)) {
            const weekday = WEEKDAY_NAMES[weekdayOf(day)] ?? '?';
            ctx.addIssue({
              code: 'custom',
              path,
              message: `${date} is a ${weekday}; an adjusted working day must be a Saturday or Sunday`,
            });
          }
          const first = seen.get(date);
          if (first !== undefined) {
            ctx.addIssue({ code: 'custom', path, message: `${date} is already listed at ${first}` });
          } else {
            seen.set(date, formatPath(path));
          }
        });
      }
    });
  });
export type CalendarYear = z.infer<typeof CalendarYearFile>;

/** Validates one year; `origin` (a file name, say) prefixes the error, which lists every issue with its path. */
export function parseCalendarYear(input: unknown, origin = 'calendar year'): CalendarYear {
  const result = CalendarYearFile.safeParse(input);
  if (result.success) return result.data;
  throw new CalendarDataError(
    origin,
    result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The calendar.

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted_workday';

export interface DayInfo {
  date: string;
  workday: boolean;
  kind: DayKind;
  /** The holiday a day off belongs to, or the holiday an adjusted working day pays for. */
  holidayName?: HolidayName;
  /** The day lies in the provisionally counted year: its notice is not loaded yet. */
  provisional?: true;
}

/**
 * A stop of the clock while the case waits for the applicant (补正), or for an excluded special step.
 * `from` is the day the notice went out, `to` the day the supplement arrived; both inclusive calendar dates.
 *
 * Semantics: the paused working days are those in (from, to] — after the notice day, up to and including the
 * arrival day. The notice day still counts as a clock day (the department worked the case that day and the
 * applicant cannot act before receiving the notice); on the arrival day the clock still stands, and it runs
 * again from the next working day. The due date is then simply moved later by exactly that many working days:
 *
 *   addWorkdays(start, n, pauses) === addWorkdays(start, n + Σ countWorkdays(p.from, p.to))
 *
 * Equivalently, the working days left until due (negative when overdue) at the end of the notice day equal
 * those left at the end of the arrival day: a pause freezes the remaining time, it neither gives nor takes
 * any. A same-day pause (from === to) moves nothing. Pauses may not start before `start` nor overlap.
 */
export interface Pause {
  from: string;
  to: string;
}

interface Mark {
  kind: 'holiday' | 'adjusted_workday';
  name: HolidayName;
}

/**
 * The statutory days off whose dates are fixed in the solar calendar by 《全国年节及纪念日放假办法》 (as amended
 * in 2024): 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October. The other holidays (春节, 清明, 端午, 中秋) move
 * with the lunar calendar and every break's length and its 调休 are set by each year's notice, so these are the
 * only days a year's calendar is known to contain before its notice is published.
 */
const STATUTORY_SOLAR_HOLIDAYS: ReadonlyArray<{ month: number; days: readonly number[]; name: HolidayName }> = [
  { month: 1, days: [1], name: { zh: '元旦', en: "New Year's Day" } },
  { month: 5, days: [1, 2], name: { zh: '劳动节', en: 'Labour Day' } },
  { month: 10, days: [1, 2, 3], name: { zh: '国庆节', en: 'National Day' } },
];

export interface WorkCalendarOptions {
  /**
   * Lets clocks run into the year after the latest loaded one before its notice is published (the notice comes in
   * November; a 20-working-day limit accepted in December ends in January). That year counts by the weekday rule
   * minus the statutory solar-date holidays above; whatever falls in it is provisional (`isProvisional`) and is
   * computed again once the year is loaded. Years further ahead, and years before the first loaded one, still throw.
   */
  provisionalFollowingYear?: boolean;
}

export class WorkCalendar {
  readonly #years = new Set<number>();
  /** Day number → what the notice says about it; days not listed follow the weekday rule. */
  readonly #marks = new Map<number, Mark>();
  /** The year counted provisionally, if any. */
  readonly #provisionalYear: number | undefined;

  /** Built from parsed year files; each is validated again here, so no unchecked data can slip in. */
  constructor(years: readonly CalendarYear[], options: WorkCalendarOptions = {}) {
    years.forEach((input, index) => {
      const file = parseCalendarYear(input, `years[${index}]`);
      if (this.#years.has(file.year))
        throw new InvalidArgumentError(`years[${index}]`, `year ${file.year} is given twice`);
      this.#years.add(file.year);
      for (const holiday of file.holidays) {
        for (const d of holiday.days) this.#marks.set(parseDate(d, 'days'), { kind: 'holiday', name: holiday.name });
        for (const d of holiday.adjustedWorkdays) {
          this.#marks.set(parseDate(d, 'adjustedWorkdays'), { kind: 'adjusted_workday', name: holiday.name });
        }
      }
    });
    const latest = Math.max(...this.#years);
    if (options.provisionalFollowingYear && Number.isFinite(latest)) {
      this.#provisionalYear = latest + 1;
      for (const h of STATUTORY_SOLAR_HOLIDAYS) {
        for (const d of h.days)
          this.#marks.set(Date.UTC(latest + 1, h.month - 1, d) / MS_PER_DAY, { kind: 'holiday', name: h.name });
      }
    }
  }

  loadedYears(): number[] {
    return [...this.#years].sort((a, b) => a - b);
  }

  /** The year counted by the provisional rule (see `WorkCalendarOptions`), if any. */
  provisionalYear(): number | undefined {
    return this.#provisionalYear;
  }

  /** Whether a date lies in the provisionally counted year, so that anything computed to fall on it may still move. */
  isProvisional(date: string): boolean {
    return this.#provisionalYear !== undefined && yearOf(parseDate(date, 'date')) === this.#provisionalYear;
  }

  isWorkday(date: string): boolean {
    return this.#isWorkday(parseDate(date, 'date'));
  }

  dayInfo(date: string): DayInfo {
    const day = parseDate(date, 'date');
    this.#requireLoaded(day);
    const mark = this.#marks.get(day);
    const iso = toIso(day);
    const p = yearOf(day) === this.#provisionalYear ? { provisional: true as const } : {};
    if (mark?.kind === 'holiday') return { date: iso, workday: false, kind: 'holiday', holidayName: mark.name, ...p };
    if (mark?.kind === 'adjusted_workday')
      return { date: iso, workday: true, kind: 'adjusted_workday', holidayName: mark.name, ...p };
    return isWeekend(day)
      ? { date: iso, workday: false, kind: 'weekend', ...p }
      : { date: iso, workday: true, kind: 'workday', ...p };
  }

  /**
   * The n-th working day after `start` (the acceptance day, day 0); n = 0 gives `start` itself, whatever day it
   * is. Each pause moves the result later by the working days it stops (see `Pause`). Every day walked through
   * must lie in a loaded year.
   */
  addWorkdays(start: string, n: number, pauses: readonly Pause[] = []): string {
    const startDay = parseDate(start, 'start');
    this.#requireLoaded(startDay);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new InvalidArgumentError('n', `${n} is not a whole number of working days ≥ 0`);
    const windows = pauses.map((p, i) => {
      const from = parseDate(p.from, `pauses[${i}].from`);
      const to = parseDate(p.to, `pauses[${i}].to`);
      if (to < from) throw new InvalidArgumentError(`pauses[${i}]`, `ends (${p.to}) before it starts (${p.from})`);
      if (from < startDay)
        throw new InvalidArgumentError(`pauses[${i}]`, `starts (${p.from}) before the start day (${start})`);
      this.#requireLoaded(from);
      this.#requireLoaded(to);
      return { i, from, to };
    });
    // (from, to] windows that overlap would count the shared days twice.
    const sorted = [...windows].sort((a, b) => a.from - b.from);
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1];
      const cur = sorted[k];
      if (prev && cur && cur.from < prev.to)
        throw new InvalidArgumentError(`pauses[${cur.i}]`, `overlaps pauses[${prev.i}]`);
    }
    const paused = windows.reduce((sum, w) => sum + this.#count(w.from, w.to), 0);
    let day = startDay;
    for (let left = n + paused; left > 0; ) {
      day += 1;
      if (this.#isWorkday(day)) left -= 1;
    }
    return toIso(day);
  }

  /**
   * Working days in (fromExclusive, toInclusive]. Signed: when toInclusive is earlier the result is the negated
   * count of the reverse range, so count(a, b) + count(b, c) === count(a, c) for any three dates.
   */
  countWorkdays(fromExclusive: string, toInclusive: string): number {
    const from = parseDate(fromExclusive, 'fromExclusive');
    const to = parseDate(toInclusive, 'toInclusive');
    this.#requireLoaded(from);
    this.#requireLoaded(to);
    if (to >= from) return this.#count(from, to);
    const back = this.#count(to, from);
    return back === 0 ? 0 : -back; // never -0, which toBe(0) and Object.is treat as different
  }

  #count(fromExclusive: number, toInclusive: number): number {
    let count = 0;
    for (let day = fromExclusive + 1; day <= toInclusive; day++) if (this.#isWorkday(day)) count += 1;
    return count;
  }

  #isWorkday(day: number): boolean {
    this.#requireLoaded(day);
    const mark = this.#marks.get(day);
    if (mark) return mark.kind === 'adjusted_workday';
    return !isWeekend(day);
  }

  #requireLoaded(day: number): void {
    const year = yearOf(day);
    if (!this.#years.has(year) && year !== this.#provisionalYear)
      throw new CalendarYearNotLoadedError(year, toIso(day));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Clock flags.

/** "Near due" starts when this many working days or fewer are left (DESIGN.md, "The clock"). */
export const NEAR_DUE_WORKDAYS = 2;

export interface ClockFlags {
  /** Working days after today up to and including due: 0 on the due day itself, negative once past it. */
  workdaysLeft: number;
  /** workdaysLeft ≤ nearDueWithin and not overdue. */
  nearDue: boolean;
  /** Today is a later calendar date than due; so the weekend after a Friday due date is already overdue. */
  overdue: boolean;
}

export function flags(due: string, today: string, cal: WorkCalendar, nearDueWithin = NEAR_DUE_WORKDAYS): ClockFlags {
  const dueDay = parseDate(due, 'due');
  const todayDay = parseDate(today, 'today');
  const workdaysLeft = cal.countWorkdays(today, due);
  const overdue = todayDay > dueDay;
  return { workdaysLeft, nearDue: !overdue && workdaysLeft <= nearDueWithin, overdue };
}
