import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { calendarYears } from './calendar.tables.ts';

export type CalendarYearRow = typeof calendarYears.$inferSelect;

export async function listYears(ex: Executor): Promise<CalendarYearRow[]> {
  return ex.db.select().from(calendarYears).orderBy(asc(calendarYears.year));
}

/** A cheap fingerprint of what is loaded, so that a cached calendar is rebuilt when another instance loads a year. */
export async function yearsStamp(ex: Executor): Promise<string> {
  const { rows } = await ex.query<{ stamp: string | null }>(
    `SELECT string_agg(year::text || '@' || loaded_at::text, ',' ORDER BY year) AS stamp FROM calendar_years`,
  );
  return rows[0]?.stamp ?? '';
}

export async function upsertYear(
  ex: Executor,
  year: number,
  file: Record<string, unknown>,
  loadedBy: string | null,
): Promise<void> {
  await ex.db
    .insert(calendarYears)
    .values({ year, file, loadedBy })
    .onConflictDoUpdate({ target: calendarYears.year, set: { file, loadedBy, loadedAt: new Date() } });
}

export async function findYear(ex: Executor, year: number): Promise<CalendarYearRow | undefined> {
  const rows = await ex.db.select().from(calendarYears).where(eq(calendarYears.year, year)).limit(1);
  return rows[0];
}
