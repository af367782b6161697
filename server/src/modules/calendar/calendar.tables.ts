// Drizzle table of the calendar (migration 0001): one State Council holiday notice per year. The SQL files are the
// source of truth; test/platform.test.ts checks that the two agree column by column.
import { integer, jsonb, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  file: jsonb('file').$type<Record<string, unknown>>().notNull(),
  loadedBy: uuid('loaded_by'),
  loadedAt: ts('loaded_at').notNull().defaultNow(),
});
