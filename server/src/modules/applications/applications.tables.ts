// Drizzle tables of applications (migrations 0003, 0015): uploaded files, drafts, applications and the profile attributes
// that prefill forms. The SQL files are the source of truth; test/platform.test.ts checks that the two agree column
// by column.
import { char, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
  /** The bytes on disk, sealed (migration 0015); null: stored as uploaded, before files were sealed. */
  storedSha256: text('stored_sha256'),
  storedSize: integer('stored_size'),
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
