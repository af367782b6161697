// Drizzle tables of identity (migrations 0001, 0004 and 0014): accounts and sessions, roles and permissions,
// enterprises' agents, proxies, login counters and the registers (一人一档, 一企一档) proofing checks against. The SQL files are the source of truth; test/platform.test.ts checks that the
// two agree column by column.
import {
  bigserial,
  boolean,
  char,
  date,
  integer,
  smallint,
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
  // Identity proofing (migration 0014): the number a person registered with and has not proved (not unique), the
  // real-name level, how and by whom it was proved; a frozen account is disabled with its reason.
  claimedIdNumberEnc: text('claimed_id_number_enc'),
  claimedIdNumberHash: text('claimed_id_number_hash'),
  realNameLevel: smallint('real_name_level').$type<1 | 2 | 3>().notNull().default(1),
  proofingMethod: text('proofing_method').$type<'register_phone' | 'window' | 'seed'>(),
  proofedAt: ts('proofed_at'),
  proofedBy: uuid('proofed_by'),
  frozenAt: ts('frozen_at'),
  frozenReason: text('frozen_reason').$type<'id_number_reclaimed'>(),
  frozenBy: uuid('frozen_by'),
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
  // Proofing codes (migration 0014): sent to the phone on record (sealed here for the relay), proving a claim.
  purpose: text('purpose').$type<'login' | 'proofing'>().notNull().default('login'),
  destinationEnc: text('destination_enc'),
  idNumberHash: text('id_number_hash'),
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

export const registerImports = pgTable('register_imports', {
  id: uuid('id').primaryKey(),
  register: text('register').$type<'population' | 'enterprise'>().notNull(),
  source: text('source').notNull(),
  asOf: date('as_of', { mode: 'string' }).notNull(),
  sha256: text('sha256').notNull(),
  rows: integer('rows').notNull(),
  created: integer('created').notNull(),
  updated: integer('updated').notNull(),
  skipped: integer('skipped').notNull(),
  importedBy: uuid('imported_by'),
  importedAt: ts('imported_at').notNull().defaultNow(),
});

export const personRegister = pgTable('person_register', {
  idNumberHash: text('id_number_hash').primaryKey(),
  idNumberEnc: text('id_number_enc').notNull(),
  name: text('name').notNull(),
  phoneEnc: text('phone_enc'),
  phoneHash: text('phone_hash'),
  regionCode: char('region_code', { length: 6 }).notNull(),
  asOf: date('as_of', { mode: 'string' }).notNull(),
  importId: uuid('import_id').notNull(),
});

export const enterpriseRegister = pgTable('enterprise_register', {
  uscc: text('uscc').primaryKey(),
  name: text('name').notNull(),
  legalRepresentativeName: text('legal_representative_name').notNull(),
  legalRepresentativeIdNumberEnc: text('legal_representative_id_number_enc').notNull(),
  legalRepresentativeIdNumberHash: text('legal_representative_id_number_hash').notNull(),
  asOf: date('as_of', { mode: 'string' }).notNull(),
  importId: uuid('import_id').notNull(),
});
