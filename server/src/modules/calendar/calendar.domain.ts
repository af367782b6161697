// The working-day calendar as the server's rules use it. The calendar itself (working days, due dates, pauses,
// the year file) is the shared one, @onething/shared/calendar, which answers results. The case clock and the
// statistics compute many dates in one go and turn any failure into one problem for the request, so they use it
// through WorkCalendar below, whose methods give the answer or throw a CalendarError carrying the result's code.
import {
  type CalendarProblem,
  type CalendarResult,
  type CalendarYear,
  type ClockFlags,
  createWorkdays,
  type DayInfo,
  NEAR_DUE_WORKDAYS,
  type Pause,
  parseCalendarYear as parseYear,
  flags as sharedFlags,
  type Workdays,
  type WorkdaysOptions,
} from '@onething/shared/calendar';

export type { CalendarYear, ClockFlags, DayInfo, Pause } from '@onething/shared/calendar';

// ---------------------------------------------------------------------------------------------------------------
// Errors: plain Error subclasses with a stable `code`, so the API layer can map them without string matching.

export abstract class CalendarError extends Error {
  abstract readonly code: CalendarProblem['code'];
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

function toError(problem: CalendarProblem): CalendarError {
  switch (problem.code) {
    case 'calendar.year_not_loaded':
      return new CalendarYearNotLoadedError(problem.year, problem.date);
    case 'calendar.invalid_date':
      return new InvalidDateError(problem.field, problem.value);
    case 'calendar.invalid_argument':
      return new InvalidArgumentError(problem.field, problem.message);
    case 'calendar.invalid_data':
      return new CalendarDataError(problem.origin, problem.issues);
  }
}

/** The answer of a calendar result, or its problem thrown as a CalendarError. */
export function getOrThrow<T>(result: CalendarResult<T>): T {
  if (result.ok) return result.value;
  throw toError(result.error);
}

/** Validates one year; `origin` (a file name, say) prefixes the error, which lists every issue with its path. */
export function parseCalendarYear(input: unknown, origin = 'calendar year'): CalendarYear {
  return getOrThrow(parseYear(input, origin));
}

// ---------------------------------------------------------------------------------------------------------------
// The calendar.

export type WorkCalendarOptions = Pick<WorkdaysOptions, 'provisionalFollowingYear'>;

/** The shared calendar's answers as values, its problems as thrown CalendarErrors; see `Workdays` for each method. */
export class WorkCalendar {
  /** The shared calendar, for the shared rules that take it (the promised date). */
  readonly workdays: Workdays;

  /** Built from parsed year files; each is validated again here, so no unchecked data can slip in. */
  constructor(years: readonly CalendarYear[], options: WorkCalendarOptions = {}) {
    const files = years.map((input, index) => parseCalendarYear(input, `years[${index}]`));
    // Years not loaded are refused: the server decides due dates and never guesses a year's holidays.
    this.workdays = getOrThrow(createWorkdays(files, { ...options, unloadedYears: 'refuse' }));
  }

  loadedYears(): number[] {
    return this.workdays.loadedYears();
  }

  provisionalYear(): number | undefined {
    return this.workdays.provisionalYear();
  }

  isProvisional(date: string): boolean {
    return getOrThrow(this.workdays.isProvisional(date));
  }

  isWorkday(date: string): boolean {
    return getOrThrow(this.workdays.isWorkday(date));
  }

  dayInfo(date: string): DayInfo {
    return getOrThrow(this.workdays.dayInfo(date));
  }

  addWorkdays(start: string, n: number, pauses: readonly Pause[] = []): string {
    return getOrThrow(this.workdays.addWorkdays(start, n, pauses));
  }

  countWorkdays(fromExclusive: string, toInclusive: string): number {
    return getOrThrow(this.workdays.countWorkdays(fromExclusive, toInclusive));
  }
}

/** Working days left, near due and overdue (see the shared `flags`). */
export function flags(due: string, today: string, cal: WorkCalendar, nearDueWithin = NEAR_DUE_WORKDAYS): ClockFlags {
  return getOrThrow(sharedFlags(due, today, cal.workdays, nearDueWithin));
}
