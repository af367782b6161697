// Drizzle tables of identity (migrations 0001 and 0004): accounts and sessions, roles and permissions, enterprises'
// agents, proxies and login counters. The SQL files are the source of truth; test/platform.test.ts checks that the
// two agree column by column.
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
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

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

export const permissions = pgTable('permissions', {
  code: text('code').primaryKey(),
  scope: text('scope').$type<'subject' | 'department' | 'jurisdiction' | 'province' | 'any'>().notNull(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
});

export const roles = pgTable('roles', {
  code: text('code').primaryKey(),
  audience: text('audience').$type<'citizen' | 'staff'>().notNull(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
});

export const rolePermissions = pgTable(
  'role_permissions',
  {
    role: text('role').notNull(),
    permission: text('permission').notNull(),
  },
  (t) => [primaryKey({ columns: [t.role, t.permission] })],
);

export const accountRoles = pgTable(
  'account_roles',
  {
    accountId: uuid('account_id').notNull(),
    role: text('role').notNull(),
    grantedBy: uuid('granted_by'),
    grantedAt: ts('granted_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.role] })],
);

export const enterpriseAgents = pgTable('enterprise_agents', {
  id: uuid('id').primaryKey(),
  enterpriseId: uuid('enterprise_id').notNull(),
  personId: uuid('person_id').notNull(),
  role: text('role').$type<'legal_representative' | 'agent'>().notNull(),
  grantedBy: uuid('granted_by'),
  grantedAt: ts('granted_at').notNull().defaultNow(),
  revokedAt: ts('revoked_at'),
  revokedBy: uuid('revoked_by'),
});

export const proxies = pgTable('proxies', {
  id: uuid('id').primaryKey(),
  grantorId: uuid('grantor_id').notNull(),
  granteeId: uuid('grantee_id').notNull(),
  kind: text('kind').$type<'window_consent' | 'family'>().notNull(),
  scope: jsonb('scope').$type<{ all: true } | { bundles: string[] }>().notNull(),
  validFrom: ts('valid_from').notNull(),
  validUntil: ts('valid_until').notNull(),
  consent: jsonb('consent').$type<Record<string, unknown>>().notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  revokedAt: ts('revoked_at'),
  revokedBy: uuid('revoked_by'),
  revokeReason: text('revoke_reason'),
});

export const loginChallenges = pgTable('login_challenges', {
  id: uuid('id').primaryKey(),
  accountId: uuid('account_id').notNull(),
  codeHash: text('code_hash').notNull(),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  consumedAt: ts('consumed_at'),
  ip: text('ip'),
});

/** Codes sent to a person for a window consent (migration 0016). */
export const consentChallenges = pgTable('consent_challenges', {
  id: uuid('id').primaryKey(),
  personId: uuid('person_id').notNull(),
  staffId: uuid('staff_id').notNull(),
  codeHash: text('code_hash').notNull(),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  consumedAt: ts('consumed_at'),
});

export const loginAttempts = pgTable('login_attempts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: ts('at').notNull(),
  username: text('username').notNull(),
  accountId: uuid('account_id'),
  ip: text('ip').notNull(),
  outcome: text('outcome').notNull(),
});

export const loginLocks = pgTable('login_locks', {
  key: text('key').primaryKey(),
  lockedUntil: ts('locked_until').notNull(),
  lockedAt: ts('locked_at').notNull(),
});
