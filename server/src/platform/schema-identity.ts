// Drizzle tables of identity (migration 0004); re-exported by schema.ts. identity.repository.ts is their only user.
import { bigserial, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

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
