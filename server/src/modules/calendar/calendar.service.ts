// The working-day calendar as the platform uses it: the years loaded in the database (shipped 2024–2026,
// later years loaded by an administrator from the State Council's notice), one WorkCalendar built from them.
import type {
  CalendarYearSummary,
  CalendarYearView,
  DayInfo,
  DeadlineView,
  LoadedYear,
} from '@onething/shared/calendar';
import type { Database } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import {
  CalendarDataError,
  CalendarError,
  CalendarYearNotLoadedError,
  InvalidArgumentError,
  InvalidDateError,
  WorkCalendar,
  parseCalendarYear,
  type CalendarYear,
  type Pause,
} from './calendar.domain.ts';
import { loadShippedYears } from './calendar.data.ts';
import * as repo from './calendar.repository.ts';
import { CalendarErrors, CalendarFieldErrors } from '@onething/shared/calendar';
import { fieldError } from '@onething/shared/problem';

/** Maps the pure calendar's errors to API errors that name the field. */
export function toAppError(err: unknown, fieldPointer: (field: string) => string = (f) => `/${f}`): never {
  if (err instanceof CalendarYearNotLoadedError) {
    throw new AppError(CalendarErrors.yearNotLoaded, { year: err.year }, [
      fieldError(fieldPointer('start'), CalendarFieldErrors.yearNotLoaded, { year: err.year, date: err.date }),
    ]);
  }
  if (err instanceof InvalidDateError) {
    throw new AppError(CalendarErrors.invalidDate, {}, [
      fieldError(fieldPointer(err.field), CalendarFieldErrors.invalidDate, { value: String(err.value) }),
    ]);
  }
  if (err instanceof InvalidArgumentError) {
    throw new AppError(CalendarErrors.invalidArgument, {}, [
      { pointer: fieldPointer(err.field), code: err.code, detail: { zh: err.message, en: err.message } },
    ]);
  }
  if (err instanceof CalendarDataError) {
    throw new AppError(
      CalendarErrors.invalidYearFile,
      {},
      err.issues.map((i) => ({
        pointer:
          '/' +
          i.path
            .replace(/\[(\d+)\]/g, '.$1')
            .split('.')
            .filter(Boolean)
            .join('/'),
        code: err.code,
        detail: { zh: i.message, en: i.message },
      })),
    );
  }
  throw err;
}

export function createCalendarService(db: Database) {
  let cached: { stamp: string; calendar: WorkCalendar } | undefined;
  // On PostgreSQL another instance may load a year: every use compares the years' stamp (one small read). An
  // embedded PGlite directory belongs to this process alone (the CLI goes through its API), and every write of the
  // years goes through this service, which drops the cache: the calendar built once holds until then.
  const shared = db.kind !== 'pglite';
  // Bumped when a year is written: a calendar built from reads made before the write is not kept.
  let generation = 0;
  const drop = () => {
    cached = undefined;
    generation++;
  };

  async function calendar(): Promise<WorkCalendar> {
    if (cached && !shared) return cached.calendar;
    const readAt = generation;
    const stamp = await repo.yearsStamp(db);
    if (cached?.stamp === stamp) return cached.calendar;
    const rows = await repo.listYears(db);
    // Clocks may run into the next year before its notice is out (see WorkCalendarOptions); what lands there is
    // marked provisional and the clock sweep computes it again once the year is loaded.
    const built = new WorkCalendar(
      rows.map((r) => r.file as unknown as CalendarYear),
      { provisionalFollowingYear: true },
    );
    if (readAt === generation) cached = { stamp, calendar: built };
    return built;
  }

  return {
    calendar,

    async deadline(start: string, workdays: number, pauses: Pause[] = []): Promise<DeadlineView> {
      const cal = await calendar();
      try {
        const due = cal.addWorkdays(start, workdays, pauses);
        return cal.isProvisional(due) ? { due, provisional: true } : { due };
      } catch (err) {
        if (err instanceof CalendarError) toAppError(err);
        throw err;
      }
    },

    async day(date: string): Promise<DayInfo> {
      const cal = await calendar();
      try {
        return cal.dayInfo(date);
      } catch (err) {
        if (err instanceof CalendarError) toAppError(err, () => '/date');
        throw err;
      }
    },

    async listYears(): Promise<CalendarYearSummary[]> {
      return (await repo.listYears(db)).map((r) => {
        const f = r.file as unknown as CalendarYear;
        return { year: r.year, source: f.source, holidays: f.holidays.length, loadedAt: r.loadedAt.toISOString() };
      });
    },

    async getYear(year: number): Promise<CalendarYearView> {
      const row = await repo.findYear(db, year);
      if (!row) throw new AppError(CalendarErrors.yearNotFound, { year });
      return { year, file: row.file as unknown as CalendarYear, loadedAt: row.loadedAt.toISOString() };
    },

    /** Loads (or corrects) one year's notice. The year must be internally valid before anything is written. */
    async loadYear(
      year: number,
      input: unknown,
      actor: { accountId: string | null; requestId?: string },
    ): Promise<LoadedYear> {
      let file: CalendarYear;
      try {
        file = parseCalendarYear(input);
      } catch (err) {
        toAppError(err);
      }
      if (file.year !== year) throw new AppError(CalendarErrors.yearMismatch, { got: file.year, want: year });
      await db.transaction(async (tx) => {
        const existing = await repo.findYear(tx, year);
        await repo.upsertYear(tx, year, file as unknown as Record<string, unknown>, actor.accountId);
        await recordAudit(tx, {
          actorId: actor.accountId,
          action: existing ? 'calendar.year_replaced' : 'calendar.year_loaded',
          subjectType: 'calendar_year',
          subjectId: String(year),
          data: { source: file.source },
          requestId: actor.requestId ?? null,
        });
      });
      drop();
      return { year, holidays: file.holidays.length };
    },

    /** Puts the shipped years (2024–2026) into an empty or older database; never overwrites a loaded year. */
    async ensureShippedYears(): Promise<number[]> {
      const loaded = new Set((await repo.listYears(db)).map((r) => r.year));
      const added: number[] = [];
      for (const file of loadShippedYears()) {
        if (loaded.has(file.year)) continue;
        await db.transaction(async (tx) => {
          await repo.upsertYear(tx, file.year, file as unknown as Record<string, unknown>, null);
          await recordAudit(tx, {
            actorId: null,
            action: 'calendar.year_loaded',
            subjectType: 'calendar_year',
            subjectId: String(file.year),
            data: { source: file.source, shipped: true },
          });
        });
        added.push(file.year);
      }
      if (added.length) drop();
      return added;
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
