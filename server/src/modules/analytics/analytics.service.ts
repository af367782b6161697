import { SLOWEST_STEPS_DEFAULT, type CaseStats } from '@onething/shared/analytics';
import type { Database } from '../../platform/db.ts';
import type { Principal } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import { calendarErrorToAppError, type CalendarService, type WorkCalendar } from '../calendar/index.ts';
import { lookupDivision } from '../identifiers/index.ts';
import * as repo from './analytics.repository.ts';

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;

/** Shifts a YYYY-MM-DD day by n calendar days. */
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A mean rounded to two decimals, so the API, the page and a test's SQL give the same figure. */
const mean = (sum: number, n: number) => Math.round((sum / n) * 100) / 100;

/**
 * Working days a concluded case used: those in (acceptance, conclusion] less those its 补正 pauses stopped, each
 * (from, to] — the same counting `addWorkdays` does for the due date, so `used <= promisedDays` exactly when the
 * case was concluded by its due date. Neither cases nor case_events store this figure; it is counted here with the
 * calendar's `countWorkdays`.
 */
export function workdaysUsed(
  cal: WorkCalendar,
  acceptedOn: string,
  concludedOn: string,
  pauses: ReadonlyArray<{ from: string; to: string }>,
): number {
  return cal.countWorkdays(acceptedOn, concludedOn) - pauses.reduce((n, p) => n + cal.countWorkdays(p.from, p.to), 0);
}

export function createAnalyticsService(db: Database, deps: { clock: Clock; calendar: CalendarService }) {
  /** Counts with the working calendar; a day it cannot count (a year not loaded) is the calendar's 422 problem. */
  function counting<T>(cal: WorkCalendar, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('calendar.'))
        calendarErrorToAppError(err);
      throw err;
    }
  }

  return {
    /**
     * Use of each bundle over the last `days` days up to today, within the caller's jurisdiction: applications
     * submitted, cases concluded and those concluded by their due date (the same counting as caseStats). Nothing
     * for a staff account without a jurisdiction.
     */
    async bundleUsage(p: Principal, days = 30) {
      const to = deps.clock.today();
      const from = addDays(to, -(days - 1));
      const usage = new Map<string, { applications: number; concluded: number; onTime: number }>();
      if (!p.jurisdiction) return { from, to, usage };
      const [perBundle, onTime] = await Promise.all([
        repo.applicationsPerBundle(db, p.jurisdiction, from, to),
        repo.onTimeByBundle(db, p.jurisdiction, from, to),
      ]);
      const at = (code: string) =>
        usage.get(code) ?? usage.set(code, { applications: 0, concluded: 0, onTime: 0 }).get(code)!;
      for (const r of perBundle) at(r.bundleCode).applications = r.count;
      for (const r of onTime) Object.assign(at(r.bundleCode), { concluded: r.concluded, onTime: r.onTime });
      return { from, to, usage };
    },

    /**
     * Case figures now, and over the window [from, to] (the last 30 days unless given): submissions per day and per
     * bundle, the on-time rate, working days per item and the slowest steps, within the caller's jurisdiction. A
     * staff account without a jurisdiction sees nothing rather than everything.
     */
    async caseStats(
      p: Principal,
      range: { from?: string | undefined; to?: string | undefined; top?: number | undefined },
    ): Promise<CaseStats> {
      const to = range.to ?? deps.clock.today();
      const from = range.from ?? addDays(to, -29);
      const top = range.top ?? SLOWEST_STEPS_DEFAULT;
      if (!p.jurisdiction) {
        return {
          jurisdiction: null,
          from,
          to,
          byStatus: [],
          byDepartment: [],
          open: 0,
          overdue: 0,
          nearDue: 0,
          submissionsPerDay: [],
          perBundle: [],
          onTime: { concluded: 0, onTime: 0, rate: null, byDepartment: [] },
          overdueByRegion: [],
          workdaysPerItem: [],
          slowestSteps: [],
        };
      }
      const j = p.jurisdiction;
      // The calendar first: PGlite has one connection, and the figures' queries run side by side on it.
      const cal = await deps.calendar.calendar();
      const [cases, perDay, perBundle, onTimeRows, regions, spans, stays] = await Promise.all([
        repo.caseFigures(db, j),
        repo.submissionsPerDay(db, j, from, to),
        repo.applicationsPerBundle(db, j, from, to),
        repo.onTimeByDepartment(db, j, from, to),
        repo.overdueByRegion(db, j),
        repo.concludedSpans(db, j, from, to),
        repo.stateStays(db, j, from, to),
      ]);

      const rate = (onTime: number, concluded: number) =>
        concluded === 0 ? null : Math.round((onTime / concluded) * 10_000) / 10_000;
      const concluded = onTimeRows.reduce((n, d) => n + d.concluded, 0);
      const onTime = onTimeRows.reduce((n, d) => n + d.onTime, 0);

      const perItem = new Map<string, { cases: number; days: number }>();
      counting(cal, () => {
        for (const s of spans) {
          const acc = perItem.get(s.itemCode) ?? { cases: 0, days: 0 };
          acc.cases += s.count;
          acc.days += s.count * workdaysUsed(cal, s.acceptedOn, s.concludedOn, s.pauses);
          perItem.set(s.itemCode, acc);
        }
      });
      const workdaysPerItem = [...perItem]
        .map(([itemCode, a]) => ({ itemCode, concluded: a.cases, avgWorkdays: mean(a.days, a.cases) }))
        .sort((a, b) => b.avgWorkdays - a.avgWorkdays || a.itemCode.localeCompare(b.itemCode));

      // A stay's length in working days: those in (day entered, day left], as the clock counts (same day: 0).
      const perStep = new Map<string, { itemCode: string; status: string; stays: number; days: number }>();
      counting(cal, () => {
        for (const s of stays) {
          const key = `${s.itemCode}\u0000${s.status}`;
          const acc = perStep.get(key) ?? { itemCode: s.itemCode, status: s.status, stays: 0, days: 0 };
          acc.stays += s.count;
          acc.days += s.count * cal.countWorkdays(s.enteredOn, s.leftOn);
          perStep.set(key, acc);
        }
      });
      const slowestSteps = [...perStep.values()]
        .map((a) => ({ itemCode: a.itemCode, status: a.status, stays: a.stays, avgWorkdays: mean(a.days, a.stays) }))
        .sort(
          (a, b) =>
            b.avgWorkdays - a.avgWorkdays ||
            b.stays - a.stays ||
            a.itemCode.localeCompare(b.itemCode) ||
            a.status.localeCompare(b.status),
        )
        .slice(0, top);

      return {
        jurisdiction: j,
        from,
        to,
        ...cases,
        submissionsPerDay: perDay,
        perBundle,
        onTime: {
          concluded,
          onTime,
          rate: rate(onTime, concluded),
          byDepartment: onTimeRows.map((d) => ({ ...d, rate: rate(d.onTime, d.concluded) })),
        },
        overdueByRegion: regions.map((r) => ({ ...r, regionName: lookupDivision(r.regionCode).name ?? null })),
        workdaysPerItem,
        slowestSteps,
      };
    },
  };
}
