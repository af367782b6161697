// Drizzle table definitions: the typed view of the tables that server/migrations/*.sql create.
// The SQL files are the source of truth; schema.test.ts checks that the two agree column by column.
import {
  bigserial,
  boolean,
  char,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  regionCode: char('region_code', { length: 6 }).notNull(),
  sector: text('sector').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const accounts = pgTable('accounts', {
  id: uuid('id').primaryKey(),
  kind: text('kind').$type<'person' | 'enterprise' | 'staff'>().notNull(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  // Null: the account cannot log in (an enterprise, or a person registered at a window who has not signed up).
  passwordHash: text('password_hash'),
  departmentCode: text('department_code'),
  regionCode: char('region_code', { length: 6 }),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  // Identity (migration 0004). ID and phone numbers are personal data: only identity.repository.ts reads them.
  // Since migration 0006 they are AES-256-GCM envelopes with keyed hashes for lookups (platform/pii.ts); the
  // plaintext columns are always empty (a constraint keeps them so) until a later migration drops them.
  legacyIdNumber: text('id_number'),
  legacyPhone: text('phone'),
  idNumberEnc: text('id_number_enc'),
  idNumberHash: text('id_number_hash'),
  phoneEnc: text('phone_enc'),
  phoneHash: text('phone_hash'),
  uscc: text('uscc'),
  jurisdiction: text('jurisdiction'),
  loginOtp: boolean('login_otp').notNull().default(false),
  createdBy: uuid('created_by'),
});

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: uuid('account_id').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
  revokedAt: ts('revoked_at'),
  // Whom the session acts for (migration 0004): an enterprise, or the grantor of a proxy.
  actingKind: text('acting_kind').$type<'enterprise' | 'proxy'>(),
  actingSubjectId: uuid('acting_subject_id'),
  proxyId: uuid('proxy_id'),
  methods: text('methods').array().notNull().default(['password']),
  ip: text('ip'),
  userAgent: text('user_agent'),
});

export const serviceItems = pgTable('service_items', {
  code: text('code').primaryKey(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const serviceItemVersions = pgTable(
  'service_item_versions',
  {
    itemCode: text('item_code').notNull(),
    version: integer('version').notNull(),
    status: text('status').$type<'draft' | 'published'>().notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    contentSha256: text('content_sha256').notNull(),
    departmentCode: text('department_code').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    publishedBy: uuid('published_by'),
    publishedAt: ts('published_at'),
  },
  (t) => [primaryKey({ columns: [t.itemCode, t.version] })],
);

export const bundles = pgTable('bundles', {
  code: text('code').primaryKey(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const bundleVersions = pgTable(
  'bundle_versions',
  {
    bundleCode: text('bundle_code').notNull(),
    version: integer('version').notNull(),
    status: text('status').$type<'draft' | 'published'>().notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    contentSha256: text('content_sha256').notNull(),
    stage: text('stage').notNull(),
    audience: text('audience').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    publishedBy: uuid('published_by'),
    publishedAt: ts('published_at'),
  },
  (t) => [primaryKey({ columns: [t.bundleCode, t.version] })],
);

export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  file: jsonb('file').$type<Record<string, unknown>>().notNull(),
  loadedBy: uuid('loaded_by'),
  loadedAt: ts('loaded_at').notNull().defaultNow(),
});

// Append-only and hash-chained per subject (migration 0002); rows are written by platform/audit.ts only.
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    requestId: text('request_id'),
    seq: integer('seq').notNull(),
    prevHash: text('prev_hash'),
    hash: text('hash').notNull(),
  },
  (t) => [unique('audit_events_chain_position').on(t.subjectType, t.subjectId, t.seq)],
);

// Intake and cases (migration 0003).
export * from './schema-intake.ts';
// Roles, permissions, enterprises' agents, proxies and login counters (migration 0004).
export * from './schema-identity.ts';
