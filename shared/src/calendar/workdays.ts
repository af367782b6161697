// The official working-day calendar that case clocks run on: Monday–Friday, minus the State Council's holidays,
// plus its adjusted working weekend days (调休上班). The holidays are data, one file per year (year-file.ts), never
// computed: the arrangement is a yearly political decision. One implementation for the server, which decides every
// due date, and the portal, which counts what is left and projects dates for receipts.
import { z } from 'zod';
import { firstDayOf, isWeekend, toDayNumber, toIsoDate, yearOf } from './days.ts';
import { type CalendarProblem, type CalendarResult, fail, ok } from './problems.ts';
import { type CalendarHoliday, HolidayName } from './year-file.ts';

export const DAY_KINDS = ['workday', 'weekend', 'holiday', 'adjusted_workday'] as const;
export const DayKind = z.enum(DAY_KINDS);
export type DayKind = z.infer<typeof DayKind>;

/** What the calendar says of one day. */
export const DayInfo = z.object({
  date: z.string(),
  workday: z.boolean(),
  kind: DayKind,
  /** The holiday a day off belongs to, or the holiday an adjusted working day pays for. */
  holidayName: HolidayName.optional(),
  /** The day lies in the provisionally counted year: its notice is not loaded yet. */
  provisional: z.literal(true).optional(),
});
export type DayInfo = z.infer<typeof DayInfo>;

/** What the calendar reads of a year: its days off and adjusted working days (a full year file will do). */
export interface CalendarYearDays {
  year: number;
  holidays: ReadonlyArray<Pick<CalendarHoliday, 'name' | 'days' | 'adjustedWorkdays'>>;
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
export type { Pause } from './api.ts';
import type { Pause } from './api.ts';

/**
 * The statutory days off whose dates are fixed in the solar calendar by 《全国年节及纪念日放假办法》 (as amended
 * in 2024): 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October. The other holidays (春节, 清明, 端午, 中秋) move
 * with the lunar calendar and every break's length and its 调休 are set by each year's notice, so these are the
 * only days a year's calendar is known to contain before its notice is published.
 */
const STATUTORY_SOLAR_HOLIDAYS: ReadonlyArray<{ month: string; days: readonly string[]; name: HolidayName }> = [
  { month: '01', days: ['01'], name: { zh: '元旦', en: "New Year's Day" } },
  { month: '05', days: ['01', '02'], name: { zh: '劳动节', en: 'Labour Day' } },
  { month: '10', days: ['01', '02', '03'], name: { zh: '国庆节', en: 'National Day' } },
];

/** A year whose notice is not published yet, as far as the law fixes it: the statutory solar-date holidays. */
export function provisionalYearDays(year: number): CalendarYearDays {
  return {
    year,
    holidays: STATUTORY_SOLAR_HOLIDAYS.map((h) => ({
      name: h.name,
      days: h.days.map((d) => `${year}-${h.month}-${d}`),
      adjustedWorkdays: [],
    })),
  };
}

export interface WorkdaysOptions {
  /**
   * Lets clocks run into the year after the latest loaded one before its notice is published (the notice comes in
   * November; a 20-working-day limit accepted in December ends in January). That year counts by the weekday rule
   * minus the statutory solar-date holidays; whatever falls in it is provisional (`isProvisional`) and is computed
   * again once the year is loaded.
   */
  provisionalFollowingYear?: boolean;
  /**
   * A day in a year with no file (and not the provisional one): refused, as the server does, since it decides due
   * dates and must never guess a year's holidays; or counted by the weekday rule, as the portal does for display.
   */
  unloadedYears?: 'refuse' | 'weekday_rule';
}

export interface Workdays {
  loadedYears(): number[];
  /** The year counted by the provisional rule (see `WorkdaysOptions`), if any. */
  provisionalYear(): number | undefined;
  /** Whether a date lies in the provisionally counted year, so that anything computed to fall on it may still move. */
  isProvisional(date: string): CalendarResult<boolean>;
  isWorkday(date: string): CalendarResult<boolean>;
  dayInfo(date: string): CalendarResult<DayInfo>;
  /**
   * The n-th working day after `start` (the acceptance day, day 0); n = 0 gives `start` itself, whatever day it
   * is. Each pause moves the result later by the working days it stops (see `Pause`). Every day walked through
   * must lie in a loaded year.
   */
  addWorkdays(start: string, n: number, pauses?: readonly Pause[]): CalendarResult<string>;
  /**
   * Working days in (fromExclusive, toInclusive]. Signed: when toInclusive is earlier the result is the negated
   * count of the reverse range, so count(a, b) + count(b, c) === count(a, c) for any three dates.
   */
  countWorkdays(fromExclusive: string, toInclusive: string): CalendarResult<number>;
}

interface Mark {
  kind: 'holiday' | 'adjusted_workday';
  name: HolidayName;
}

type Parsed = { ok: true; value: number } | { ok: false; error: CalendarProblem };

function parseDate(value: unknown, field: string): Parsed {
  const day = typeof value === 'string' ? toDayNumber(value) : undefined;
  if (day === undefined) return fail({ code: 'calendar.invalid_date', field, value });
  return { ok: true, value: day };
}

const notLoaded = (day: number): CalendarProblem => ({
  code: 'calendar.year_not_loaded',
  year: yearOf(day),
  date: toIsoDate(day),
});

/** The calendar of the given years; refuses a year given twice or a day that is not a real date. */
export function createWorkdays(
  years: readonly CalendarYearDays[],
  options: WorkdaysOptions = {},
): CalendarResult<Workdays> {
  const loaded = new Set<number>();
  /** Day number → what the notice says about it; days not listed follow the weekday rule. */
  const marks = new Map<number, Mark>();
  const markYear = (file: CalendarYearDays): CalendarProblem | undefined => {
    for (const holiday of file.holidays) {
      for (const [list, kind] of [
        ['days', 'holiday'],
        ['adjustedWorkdays', 'adjusted_workday'],
      ] as const) {
        for (const date of holiday[list]) {
          const day = parseDate(date, list);
          if (!day.ok) return day.error;
          marks.set(day.value, { kind, name: holiday.name });
        }
      }
    }
    return undefined;
  };
  for (const [index, file] of years.entries()) {
    if (loaded.has(file.year))
      return fail({
        code: 'calendar.invalid_argument',
        field: `years[${index}]`,
        message: `year ${file.year} is given twice`,
      });
    loaded.add(file.year);
    const problem = markYear(file);
    if (problem) return fail(problem);
  }
  const latest = Math.max(...loaded);
  const provisional = options.provisionalFollowingYear && Number.isFinite(latest) ? latest + 1 : undefined;
  if (provisional !== undefined) markYear(provisionalYearDays(provisional));

  // The loaded years as [first day, first day of the next year) spans: a check per walked day without a Date.
  const spans = [...loaded, ...(provisional === undefined ? [] : [provisional])]
    .sort((a, b) => a - b)
    .map((y) => [firstDayOf(y), firstDayOf(y + 1)] as const);
  const refuses = options.unloadedYears !== 'weekday_rule';
  const isLoaded = (day: number): boolean => !refuses || spans.some(([from, to]) => day >= from && day < to);
  const isWorkday = (day: number): boolean => {
    const mark = marks.get(day);
    if (mark) return mark.kind === 'adjusted_workday';
    return !isWeekend(day);
  };
  /** Working days in (from, to], from ≤ to, every day walked through loaded. */
  const count = (fromExclusive: number, toInclusive: number): CalendarResult<number> => {
    let n = 0;
    for (let day = fromExclusive + 1; day <= toInclusive; day++) {
      if (!isLoaded(day)) return fail(notLoaded(day));
      if (isWorkday(day)) n += 1;
    }
    return ok(n);
  };

  const calendar: Workdays = {
    loadedYears: () => [...loaded].sort((a, b) => a - b),
    provisionalYear: () => provisional,

    isProvisional(date) {
      const day = parseDate(date, 'date');
      if (!day.ok) return day;
      return ok(provisional !== undefined && yearOf(day.value) === provisional);
    },

    isWorkday(date) {
      const day = parseDate(date, 'date');
      if (!day.ok) return day;
      if (!isLoaded(day.value)) return fail(notLoaded(day.value));
      return ok(isWorkday(day.value));
    },

    dayInfo(date) {
      const parsed = parseDate(date, 'date');
      if (!parsed.ok) return parsed;
      const day = parsed.value;
      if (!isLoaded(day)) return fail(notLoaded(day));
      const mark = marks.get(day);
      const iso = toIsoDate(day);
      const p = provisional !== undefined && yearOf(day) === provisional ? { provisional: true as const } : {};
      if (mark?.kind === 'holiday')
        return ok({ date: iso, workday: false, kind: 'holiday', holidayName: mark.name, ...p });
      if (mark?.kind === 'adjusted_workday')
        return ok({ date: iso, workday: true, kind: 'adjusted_workday', holidayName: mark.name, ...p });
      return ok(
        isWeekend(day)
          ? { date: iso, workday: false, kind: 'weekend', ...p }
          : { date: iso, workday: true, kind: 'workday', ...p },
      );
    },

    addWorkdays(start, n, pauses = []) {
      const parsedStart = parseDate(start, 'start');
      if (!parsedStart.ok) return parsedStart;
      const startDay = parsedStart.value;
      if (!isLoaded(startDay)) return fail(notLoaded(startDay));
      if (!Number.isSafeInteger(n) || n < 0)
        return fail({
          code: 'calendar.invalid_argument',
          field: 'n',
          message: `${n} is not a whole number of working days ≥ 0`,
        });
      const windows: Array<{ i: number; from: number; to: number }> = [];
      for (const [i, p] of pauses.entries()) {
        const from = parseDate(p.from, `pauses[${i}].from`);
        if (!from.ok) return from;
        const to = parseDate(p.to, `pauses[${i}].to`);
        if (!to.ok) return to;
        const field = `pauses[${i}]`;
        if (to.value < from.value)
          return fail({
            code: 'calendar.invalid_argument',
            field,
            message: `ends (${p.to}) before it starts (${p.from})`,
          });
        if (from.value < startDay)
          return fail({
            code: 'calendar.invalid_argument',
            field,
            message: `starts (${p.from}) before the start day (${start})`,
          });
        if (!isLoaded(from.value)) return fail(notLoaded(from.value));
        if (!isLoaded(to.value)) return fail(notLoaded(to.value));
        windows.push({ i, from: from.value, to: to.value });
      }
      // (from, to] windows that overlap would count the shared days twice.
      const sorted = [...windows].sort((a, b) => a.from - b.from);
      for (let k = 1; k < sorted.length; k++) {
        const prev = sorted[k - 1];
        const cur = sorted[k];
        if (prev && cur && cur.from < prev.to)
          return fail({
            code: 'calendar.invalid_argument',
            field: `pauses[${cur.i}]`,
            message: `overlaps pauses[${prev.i}]`,
          });
      }
      let paused = 0;
      for (const w of windows) {
        const c = count(w.from, w.to);
        if (!c.ok) return c;
        paused += c.value;
      }
      let day = startDay;
      for (let left = n + paused; left > 0; ) {
        day += 1;
        if (!isLoaded(day)) return fail(notLoaded(day));
        if (isWorkday(day)) left -= 1;
      }
      return ok(toIsoDate(day));
    },

    countWorkdays(fromExclusive, toInclusive) {
      const from = parseDate(fromExclusive, 'fromExclusive');
      if (!from.ok) return from;
      const to = parseDate(toInclusive, 'toInclusive');
      if (!to.ok) return to;
      if (!isLoaded(from.value)) return fail(notLoaded(from.value));
      if (!isLoaded(to.value)) return fail(notLoaded(to.value));
      if (to.value >= from.value) return count(from.value, to.value);
      const back = count(to.value, from.value);
      if (!back.ok) return back;
      return ok(back.value === 0 ? 0 : -back.value); // never -0, which toBe(0) and Object.is treat as different
    },
  };
  return ok(calendar);
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

export function flags(
  due: string,
  today: string,
  cal: Pick<Workdays, 'countWorkdays'>,
  nearDueWithin = NEAR_DUE_WORKDAYS,
): CalendarResult<ClockFlags> {
  const dueDay = parseDate(due, 'due');
  if (!dueDay.ok) return dueDay;
  const todayDay = parseDate(today, 'today');
  if (!todayDay.ok) return todayDay;
  const left = cal.countWorkdays(today, due);
  if (!left.ok) return left;
  const overdue = todayDay.value > dueDay.value;
  return ok({ workdaysLeft: left.value, nearDue: !overdue && left.value <= nearDueWithin, overdue });
}
