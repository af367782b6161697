// What the calendar answers when it cannot give a date: values, not throws, so each caller decides what a failure
// means (the server a 422 or 400 problem naming the field, the portal no figure).

export type CalendarProblem =
  /** A date falls in a year whose notice is not loaded: the calendar refuses rather than guess its holidays. */
  | {
      code: 'calendar.year_not_loaded';
      year: number;
      /** The first date met in that year (an input, or a day the computation walked through). */
      date: string;
    }
  /** An input is not a real date written as YYYY-MM-DD; `field` names the argument, e.g. 'start' or 'pauses[1].to'. */
  | { code: 'calendar.invalid_date'; field: string; value: unknown }
  /** Any other bad argument: a negative day count, a pause that ends before it starts, overlapping pauses. */
  | { code: 'calendar.invalid_argument'; field: string; message: string }
  /** A year file fails its schema; every issue names its field path. */
  | { code: 'calendar.invalid_data'; origin: string; issues: CalendarDataIssue[] };

export interface CalendarDataIssue {
  path: string;
  message: string;
}

export type CalendarResult<T> = { ok: true; value: T } | { ok: false; error: CalendarProblem };

export const ok = <T>(value: T): CalendarResult<T> => ({ ok: true, value });
export const fail = (error: CalendarProblem): { ok: false; error: CalendarProblem } => ({ ok: false, error });
