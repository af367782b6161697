// The calendar's routes as contracts: what each takes and what it answers, for the server's route schemas (and so
// the OpenAPI document) and the web's calls alike.
import { z } from 'zod';
import { CalendarSource, CalendarYearFile } from './year-file.ts';

/** A day in a URL or a query: shaped like YYYY-MM-DD; whether it is a real date is the calendar's to say. */
export const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
/** A year in a URL. */
export const CalendarYearNumber = z.coerce.number().int().min(2000).max(2100);

/** A stop of the clock (补正), from the notice day to the day the applicant answered; see `addWorkdays`. */
export const Pause = z.object({ from: z.string(), to: z.string() });
export type Pause = z.infer<typeof Pause>;

/** "2026-02-10/2026-02-24,2026-03-01/2026-03-02": the clock's pauses (补正) as from/to pairs. */
export const PausesQuery = z
  .string()
  .max(2000)
  .transform((s, ctx) => {
    const out: Array<{ from: string; to: string }> = [];
    for (const [i, part] of s.split(',').entries()) {
      const m = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(part.trim());
      if (!m?.[1] || !m[2]) {
        ctx.addIssue({ code: 'custom', path: [i], message: 'a pause is FROM/TO, both YYYY-MM-DD' });
        return z.NEVER;
      }
      out.push({ from: m[1], to: m[2] });
    }
    return out;
  });

export const DeadlineQuery = z.object({
  start: CalendarDate,
  workdays: z.coerce.number().int().min(0).max(3650),
  pauses: PausesQuery.optional(),
});
export type DeadlineQuery = z.infer<typeof DeadlineQuery>;

export const DeadlineView = z.object({
  due: z.string(),
  provisional: z
    .literal(true)
    .optional()
    .describe(
      'the due date falls in the year after the latest loaded one, counted before its holiday notice is loaded; it may still move',
    ),
});
export type DeadlineView = z.infer<typeof DeadlineView>;

export const DayParams = z.object({ date: CalendarDate });
export const YearParams = z.object({ year: CalendarYearNumber });

/** A loaded year in the list: its notice and how many holidays it sets. */
export const CalendarYearSummary = z.object({
  year: z.number().int(),
  source: CalendarSource,
  holidays: z.number().int(),
  loadedAt: z.string(),
});
export type CalendarYearSummary = z.infer<typeof CalendarYearSummary>;

/** One loaded year: the file as it was loaded (holidays with their days off and adjusted working days). */
export const CalendarYearView = z.object({ year: z.number().int(), file: CalendarYearFile, loadedAt: z.string() });
export type CalendarYearView = z.infer<typeof CalendarYearView>;

/** What loading a year answers. */
export const LoadedYear = z.object({ year: z.number().int(), holidays: z.number().int() });
export type LoadedYear = z.infer<typeof LoadedYear>;
