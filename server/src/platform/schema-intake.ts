// Drizzle tables of intake and cases (migration 0003); re-exported by schema.ts.
import {
  bigserial,
  boolean,
  char,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const day = (name: string) => date(name, { mode: 'string' });

export const files = pgTable('files', {
  id: uuid('id').primaryKey(),
  ownerId: uuid('owner_id').notNull(),
  fileName: text('file_name').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const applicationDrafts = pgTable('application_drafts', {
  id: uuid('id').primaryKey(),
  applicantId: uuid('applicant_id').notNull(),
  bundleCode: text('bundle_code').notNull(),
  bundleVersion: integer('bundle_version').notNull(),
  answers: jsonb('answers').$type<Record<string, unknown>>().notNull().default({}),
  form: jsonb('form').$type<Record<string, unknown>>().notNull().default({}),
  materials: jsonb('materials').$type<unknown[]>().notNull().default([]),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const applications = pgTable('applications', {
  id: uuid('id').primaryKey(),
  number: text('number').notNull().unique(),
  applicantId: uuid('applicant_id').notNull(),
  bundleCode: text('bundle_code').notNull(),
  bundleVersion: integer('bundle_version').notNull(),
  regionCode: char('region_code', { length: 6 }).notNull(),
  channel: text('channel').$type<'web' | 'window' | 'api'>().notNull(),
  status: text('status').$type<'in_progress' | 'completed' | 'withdrawn'>().notNull(),
  answers: jsonb('answers').$type<Record<string, unknown>>().notNull(),
  form: jsonb('form').$type<Record<string, unknown>>().notNull(),
  materials: jsonb('materials').$type<unknown[]>().notNull(),
  declaredGaps: jsonb('declared_gaps').$type<Record<string, string[]>>().notNull().default({}),
  idempotencyKey: text('idempotency_key'),
  requestSha256: text('request_sha256').notNull(),
  submittedOn: day('submitted_on').notNull(),
  promisedDate: day('promised_date'),
  submittedAt: ts('submitted_at').notNull().defaultNow(),
  completedAt: ts('completed_at'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  // Who acted (migration 0004): the applicant, an enterprise's agent, a family member or window staff.
  submittedBy: uuid('submitted_by').notNull(),
  onBehalf: jsonb('on_behalf').$type<Record<string, unknown>>(),
});

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

export const profileAttributes = pgTable(
  'profile_attributes',
  {
    accountId: uuid('account_id').notNull(),
    attribute: text('attribute').notNull(),
    value: jsonb('value').notNull(),
    source: text('source').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.attribute] })],
);
