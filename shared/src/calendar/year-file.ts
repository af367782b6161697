// A year's file: the State Council's holiday notice (国务院办公厅关于X年部分节假日安排的通知) transcribed, with
// every day off and every adjusted working day (调休上班). The same shape is shipped in server/data/calendar/,
// loaded by an administrator, stored, and served to the portal.
import { z } from 'zod';
import { isWeekend, toDayNumber, WEEKDAY_NAMES, weekdayOf, yearOf } from './days.ts';
import type { CalendarDataIssue, CalendarResult } from './problems.ts';

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
export type CalendarSource = z.infer<typeof CalendarSource>;

/** A zod issue path as a reader writes it: holidays[0].days[1]. */
export const formatPath = (path: readonly PropertyKey[]): string =>
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

/** Validates one year; `origin` (a file name, say) goes with the problem, which lists every issue with its path. */
export function parseCalendarYear(input: unknown, origin = 'calendar year'): CalendarResult<CalendarYear> {
  const result = CalendarYearFile.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issues: CalendarDataIssue[] = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  return { ok: false, error: { code: 'calendar.invalid_data', origin, issues } };
}
