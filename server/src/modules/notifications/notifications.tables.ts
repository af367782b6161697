// Drizzle table of notifications (migration 0003): the outbox every change writes into. The SQL files are the
// source of truth; test/platform.test.ts checks that the two agree column by column.
import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey(),
  recipientId: uuid('recipient_id').notNull(),
  applicationId: uuid('application_id'),
  caseId: uuid('case_id'),
  kind: text('kind').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  readAt: ts('read_at'),
  deliveredAt: ts('delivered_at'),
});
