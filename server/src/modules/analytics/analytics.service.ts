import type { Database } from '../../platform/db.ts';
import type { Principal } from '../../platform/auth.ts';
import type { Clock } from '../../platform/clock.ts';
import * as repo from './analytics.repository.ts';

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;

/** Shifts a YYYY-MM-DD day by n calendar days. */
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function createAnalyticsService(db: Database, deps: { clock: Clock }) {
  return {
    /**
     * Case figures now and submissions per day (the last 30 days unless given), within the caller's jurisdiction.
     * A staff account without a jurisdiction sees nothing rather than everything.
     */
    async caseStats(p: Principal, range: { from?: string | undefined; to?: string | undefined }) {
      const to = range.to ?? deps.clock.today();
      const from = range.from ?? addDays(to, -29);
      if (!p.jurisdiction) return { jurisdiction: null, from, to, byStatus: [], byDepartment: [], open: 0, overdue: 0, nearDue: 0, submissionsPerDay: [] };
      const [cases, perDay] = await Promise.all([repo.caseFigures(db, p.jurisdiction), repo.submissionsPerDay(db, p.jurisdiction, from, to)]);
      return { jurisdiction: p.jurisdiction, from, to, ...cases, submissionsPerDay: perDay };
    },
  };
}
