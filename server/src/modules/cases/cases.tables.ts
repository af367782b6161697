// Drizzle tables of cases (migration 0003): cases, their events and correction notices (补正一次性告知). The SQL
// files are the source of truth; test/platform.test.ts checks that the two agree column by column.
import { bigserial, boolean, char, date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const day = (name: string) => date(name, { mode: 'string' });

export const cases = pgTable('cases', {
  id: uuid('id').primaryKey(),
  applicationId: uuid('application_id').notNull(),
  itemCode: text('item_code').notNull(),
  itemVersion: integer('item_version').notNull(),
  departmentCode: text('department_code').notNull(),
  regionCode: char('region_code', { length: 6 }).notNull(),
  status: text('status').notNull(),
  dependsOn: text('depends_on').array().notNull().default([]),
  data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  inputs: jsonb('inputs').$type<unknown[]>().notNull().default([]),
  outputs: jsonb('outputs').$type<unknown[]>().notNull().default([]),
  promisedDays: integer('promised_days').notNull(),
  statutoryDays: integer('statutory_days'),
  receivedOn: day('received_on'),
  acceptedOn: day('accepted_on'),
  dueDate: day('due_date'),
  statutoryDueDate: day('statutory_due_date'),
  pauses: jsonb('pauses').$type<Array<{ from: string; to: string }>>().notNull().default([]),
  pausedSince: day('paused_since'),
  correctionReturn: text('correction_return'),
  decision: text('decision').$type<'approve' | 'deny'>(),
  decisionReason: text('decision_reason'),
  toleratedGap: jsonb('tolerated_gap').$type<{ materials: string[]; commitment: string; dueDate: string }>(),
  gapDueDate: day('gap_due_date'),
  gapStatus: text('gap_status').$type<'open' | 'supplied' | 'overdue'>(),
  nearDue: boolean('near_due').notNull().default(false),
  overdue: boolean('overdue').notNull().default(false),
  clockProvisional: boolean('clock_provisional').notNull().default(false),
  closedAt: ts('closed_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const caseEvents = pgTable('case_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: uuid('case_id').notNull(),
  at: ts('at').notNull().defaultNow(),
  onDay: day('on_day').notNull(),
  actorId: uuid('actor_id'),
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status').notNull(),
  reason: text('reason'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
});

export const correctionNotices = pgTable('correction_notices', {
  id: uuid('id').primaryKey(),
  caseId: uuid('case_id').notNull(),
  issuedOn: day('issued_on').notNull(),
  issuedBy: uuid('issued_by'),
  problems: jsonb('problems').$type<Array<{ material: string; problem: string }>>().notNull(),
  note: text('note'),
  suppliedOn: day('supplied_on'),
  supplied: jsonb('supplied').$type<unknown[]>(),
});
