// SQL of identity. The only reader and writer of the personal-data columns of accounts and of the registers: ID and
// phone numbers are stored as AES-256-GCM envelopes with keyed hashes for lookups (platform/pii.ts, migrations 0006
// and 0014). Callers see AccountRow with the numbers decrypted; what leaves the server is masked by the services.
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { JsonValue, ProxyConsent } from '@onething/shared/identity';
import type { Executor } from '../../platform/db.ts';
import type { Permission, Role } from '../../platform/auth.ts';
import {
  accountRoles,
  accounts,
  consentChallenges,
  enterpriseAgents,
  enterpriseRegister,
  loginChallenges,
  personRegister,
  proxies,
  registerImports,
  sessions,
} from './identity.tables.ts';
import { containsPiiText, maskText, personalNumberKind, type PiiSealer } from '../../platform/pii.ts';

type StoredAccount = typeof accounts.$inferSelect;
type StoredColumns =
  | 'legacyIdNumber'
  | 'legacyPhone'
  | 'idNumberEnc'
  | 'idNumberHash'
  | 'phoneEnc'
  | 'phoneHash'
  | 'claimedIdNumberEnc'
  | 'claimedIdNumberHash';
/** An account with its numbers decrypted: `idNumber` is bound (proved), `claimedIdNumber` only claimed. */
export type AccountRow = Omit<StoredAccount, StoredColumns> & {
  idNumber: string | null;
  phone: string | null;
  claimedIdNumber: string | null;
};
export type NewAccount = Omit<typeof accounts.$inferInsert, StoredColumns> & {
  idNumber?: string | null | undefined;
  phone?: string | null | undefined;
  claimedIdNumber?: string | null | undefined;
};
export type ProxyRow = typeof proxies.$inferSelect;
export type ChallengeRow = typeof loginChallenges.$inferSelect;

// ---- accounts --------------------------------------------------------------------------------------------------------

/** The stored row with its personal numbers decrypted. */
function toAccount(pii: PiiSealer, r: StoredAccount): AccountRow {
  const {
    legacyIdNumber,
    legacyPhone,
    idNumberEnc,
    idNumberHash,
    phoneEnc,
    phoneHash,
    claimedIdNumberEnc,
    claimedIdNumberHash,
    ...rest
  } = r;
  // A plaintext value can only be there before the data step of migration 0006 ran, which precedes serving.
  return {
    ...rest,
    idNumber: pii.decryptNullable(idNumberEnc) ?? legacyIdNumber,
    phone: pii.decryptNullable(phoneEnc) ?? legacyPhone,
    claimedIdNumber: pii.decryptNullable(claimedIdNumberEnc),
  };
}

/**
 * The columns that store an account's personal numbers: ciphertext and keyed hash, never the plaintext. A
 * display name is shown everywhere (queues, proxies, the audit trail's actors) and no role needs a number in it:
 * one typed into it (张三 13951000001) is kept masked.
 */
function toStored<
  T extends {
    idNumber?: string | null | undefined;
    phone?: string | null | undefined;
    claimedIdNumber?: string | null | undefined;
  },
>(
  pii: PiiSealer,
  a: T,
): Omit<T, 'idNumber' | 'phone' | 'claimedIdNumber'> & Partial<Pick<StoredAccount, StoredColumns>> {
  const { idNumber, phone, claimedIdNumber, ...rest } = a;
  return {
    ...rest,
    ...('displayName' in rest && typeof rest.displayName === 'string'
      ? { displayName: maskText(rest.displayName) }
      : {}),
    ...(claimedIdNumber !== undefined
      ? {
          claimedIdNumberEnc: pii.encryptNullable(claimedIdNumber?.trim().toUpperCase()),
          claimedIdNumberHash: pii.blindIndexNullable(claimedIdNumber, 'id_number'),
        }
      : {}),
    ...(idNumber !== undefined
      ? {
          idNumberEnc: pii.encryptNullable(idNumber?.trim().toUpperCase()),
          idNumberHash: pii.blindIndexNullable(idNumber, 'id_number'),
        }
      : {}),
    ...(phone !== undefined
      ? { phoneEnc: pii.encryptNullable(phone), phoneHash: pii.blindIndexNullable(phone, 'phone') }
      : {}),
  };
}

export async function findAccountByUsername(
  ex: Executor,
  pii: PiiSealer,
  username: string,
): Promise<AccountRow | undefined> {
  const rows = await ex.db.select().from(accounts).where(eq(accounts.username, username)).limit(1);
  return rows[0] && toAccount(pii, rows[0]);
}

export async function findAccountById(ex: Executor, pii: PiiSealer, id: string): Promise<AccountRow | undefined> {
  if (!isUuid(id)) return undefined;
  const rows = await ex.db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
  return rows[0] && toAccount(pii, rows[0]);
}

/** Found by the keyed hash of the number (upper-case X), never by comparing plaintext. */
export async function findPersonByIdNumber(
  ex: Executor,
  pii: PiiSealer,
  idNumber: string,
): Promise<AccountRow | undefined> {
  const rows = await ex.db
    .select()
    .from(accounts)
    .where(and(eq(accounts.kind, 'person'), eq(accounts.idNumberHash, pii.blindIndex(idNumber, 'id_number'))))
    .limit(1);
  return rows[0] && toAccount(pii, rows[0]);
}

/** The other accounts that claim (have not proved) a number. */
export async function accountsClaiming(
  ex: Executor,
  pii: PiiSealer,
  idNumber: string,
  except: string,
): Promise<string[]> {
  const { rows } = await ex.query<{ id: string }>(
    'SELECT id FROM accounts WHERE claimed_id_number_hash = $1 AND id <> $2 ORDER BY id',
    [pii.blindIndex(idNumber, 'id_number'), except],
  );
  return rows.map((r) => r.id);
}

export async function findEnterpriseByUscc(
  ex: Executor,
  pii: PiiSealer,
  uscc: string,
): Promise<AccountRow | undefined> {
  const rows = await ex.db
    .select()
    .from(accounts)
    .where(and(eq(accounts.kind, 'enterprise'), eq(accounts.uscc, uscc)))
    .limit(1);
  return rows[0] && toAccount(pii, rows[0]);
}

export async function insertAccount(ex: Executor, pii: PiiSealer, account: NewAccount): Promise<void> {
  await ex.db.insert(accounts).values(toStored(pii, account));
}

export async function updateAccount(ex: Executor, pii: PiiSealer, id: string, set: Partial<NewAccount>): Promise<void> {
  if (Object.keys(set).length === 0) return;
  await ex.db.update(accounts).set(toStored(pii, set)).where(eq(accounts.id, id));
}

export async function countAccounts(ex: Executor): Promise<number> {
  const { rows } = await ex.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  return rows[0]?.n ?? 0;
}

export async function rolesOf(ex: Executor, accountId: string): Promise<Role[]> {
  const { rows } = await ex.query<{ role: Role }>(
    'SELECT role FROM account_roles WHERE account_id = $1 ORDER BY role',
    [accountId],
  );
  return rows.map((r) => r.role);
}

export async function setRoles(
  ex: Executor,
  accountId: string,
  roles: readonly Role[],
  grantedBy: string | null,
): Promise<void> {
  await ex.query('DELETE FROM account_roles WHERE account_id = $1 AND NOT (role = ANY($2::text[]))', [
    accountId,
    roles,
  ]);
  for (const role of roles) {
    await ex.db.insert(accountRoles).values({ accountId, role, grantedBy }).onConflictDoNothing();
  }
}

/** The roles that exist, with who may hold them. */
export async function roleCatalogue(ex: Executor): Promise<Array<{ code: string; audience: 'citizen' | 'staff' }>> {
  const { rows } = await ex.query<{ code: string; audience: 'citizen' | 'staff' }>(
    'SELECT code, audience FROM roles ORDER BY code',
  );
  return rows;
}

export async function permissionsOfRoles(ex: Executor, roles: readonly string[]): Promise<Permission[]> {
  if (roles.length === 0) return [];
  const { rows } = await ex.query<{ permission: Permission }>(
    'SELECT DISTINCT permission FROM role_permissions WHERE role = ANY($1::text[]) ORDER BY permission',
    [roles],
  );
  return rows.map((r) => r.permission);
}

export async function rolePermissionTable(ex: Executor): Promise<Array<{ role: string; permission: string }>> {
  const { rows } = await ex.query<{ role: string; permission: string }>(
    'SELECT role, permission FROM role_permissions ORDER BY role, permission',
  );
  return rows;
}

export async function permissionTable(ex: Executor): Promise<Array<{ code: string; scope: string }>> {
  const { rows } = await ex.query<{ code: string; scope: string }>('SELECT code, scope FROM permissions ORDER BY code');
  return rows;
}

export interface StaffFilter {
  jurisdiction: string;
  role?: string | undefined;
  departmentCode?: string | undefined;
  limit: number;
  offset: number;
}

/** Staff accounts whose jurisdiction lies within the given one (division_within, migration 0004). */
export async function listStaff(
  ex: Executor,
  pii: PiiSealer,
  f: StaffFilter,
): Promise<Array<AccountRow & { roles: Role[] }>> {
  const params: unknown[] = [f.jurisdiction];
  const where = [`a.kind = 'staff'`, `division_within(a.jurisdiction, $1)`];
  if (f.role) {
    params.push(f.role);
    where.push(`EXISTS (SELECT 1 FROM account_roles r WHERE r.account_id = a.id AND r.role = $${params.length})`);
  }
  if (f.departmentCode) {
    params.push(f.departmentCode);
    where.push(`a.department_code = $${params.length}`);
  }
  const { rows } = await ex.query<{ id: string }>(
    `SELECT a.id FROM accounts a WHERE ${where.join(' AND ')} ORDER BY a.username LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`,
    params,
  );
  const out: Array<AccountRow & { roles: Role[] }> = [];
  for (const { id } of rows) {
    const a = (await findAccountById(ex, pii, id))!;
    out.push({ ...a, roles: await rolesOf(ex, id) });
  }
  return out;
}

export async function departmentRegion(ex: Executor, code: string): Promise<string | undefined> {
  // A read of the catalogue's departments: staff belong to one of them.
  const { rows } = await ex.query<{ region_code: string }>(
    'SELECT trim(region_code) AS region_code FROM departments WHERE code = $1',
    [code],
  );
  return rows[0]?.region_code;
}

// ---- sessions ----------------------------------------------------------------------------------------------------------

export async function insertSession(
  ex: Executor,
  s: {
    tokenHash: string;
    accountId: string;
    expiresAt: Date;
    methods: string[];
    ip: string | null;
    userAgent: string | null;
    createdAt: Date;
  },
): Promise<void> {
  await ex.db.insert(sessions).values(s);
}

export interface LiveSession {
  account: AccountRow;
  roles: Role[];
  actingKind: 'enterprise' | 'proxy' | null;
  actingSubjectId: string | null;
  proxyId: string | null;
}

export async function findLiveSession(
  ex: Executor,
  pii: PiiSealer,
  tokenHash: string,
  now: Date,
): Promise<LiveSession | undefined> {
  // One statement per request: the session, its account and the account's roles.
  const rows = await ex.db
    .select({
      account: accounts,
      roles: sql<
        Role[]
      >`ARRAY(SELECT ar.role FROM account_roles ar WHERE ar.account_id = ${accounts.id} ORDER BY ar.role)`,
      actingKind: sessions.actingKind,
      actingSubjectId: sessions.actingSubjectId,
      proxyId: sessions.proxyId,
    })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(
      and(
        eq(sessions.tokenHash, tokenHash),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        eq(accounts.disabled, false),
      ),
    )
    .limit(1);
  const r = rows[0];
  if (!r) return undefined;
  return {
    account: toAccount(pii, r.account),
    roles: r.roles,
    actingKind: r.actingKind ?? null,
    actingSubjectId: r.actingSubjectId,
    proxyId: r.proxyId,
  };
}

export async function revokeSession(ex: Executor, tokenHash: string, now: Date): Promise<void> {
  await ex.db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
}

export async function revokeAllSessions(ex: Executor, accountId: string, now: Date): Promise<number> {
  const rows = await ex.db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt)))
    .returning({ t: sessions.tokenHash });
  return rows.length;
}

export async function setSessionActing(
  ex: Executor,
  tokenHash: string,
  acting: { kind: 'enterprise' | 'proxy'; subjectId: string; proxyId: string | null } | null,
): Promise<void> {
  await ex.db
    .update(sessions)
    .set(
      acting
        ? { actingKind: acting.kind, actingSubjectId: acting.subjectId, proxyId: acting.proxyId }
        : { actingKind: null, actingSubjectId: null, proxyId: null },
    )
    .where(eq(sessions.tokenHash, tokenHash));
}

/** Sessions that act under a proxy stop acting when it is revoked: they are refused until they switch back. */
export async function sessionsActingUnder(ex: Executor, proxyId: string): Promise<number> {
  const { rows } = await ex.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM sessions WHERE proxy_id = $1 AND revoked_at IS NULL',
    [proxyId],
  );
  return rows[0]?.n ?? 0;
}

// ---- login attempts, locks, challenges -----------------------------------------------------------------------------------

export type AttemptOutcome =
  | 'password_failed'
  | 'password_ok'
  | 'otp_failed'
  | 'session'
  | 'locked'
  | 'rate_limited'
  | 'register';

/**
 * What a login attempt or lock records of the username typed. Usernames start with a letter, but people type
 * their phone or ID number into the field too: those are kept only as their keyed hash.
 */
function typedUsername(pii: PiiSealer, username: string): string {
  return containsPiiText(username)
    ? `pii:${pii.blindIndex(username, personalNumberKind(username) ?? 'id_number')}`
    : username;
}

function lockKey(pii: PiiSealer, key: string): string {
  return key.startsWith('user:') ? `user:${typedUsername(pii, key.slice(5))}` : key;
}

export async function recordAttempt(
  ex: Executor,
  pii: PiiSealer,
  a: { at: Date; username: string; accountId: string | null; ip: string; outcome: AttemptOutcome },
): Promise<void> {
  await ex.query('INSERT INTO login_attempts (at, username, account_id, ip, outcome) VALUES ($1, $2, $3, $4, $5)', [
    a.at.toISOString(),
    typedUsername(pii, a.username),
    a.accountId,
    a.ip,
    a.outcome,
  ]);
}

/** Failed steps for a username since the later of `since` and its last successful login. */
export async function failuresOfUsername(ex: Executor, pii: PiiSealer, username: string, since: Date): Promise<number> {
  const { rows } = await ex.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM login_attempts
      WHERE username = $1 AND outcome IN ('password_failed', 'otp_failed')
        AND at > greatest($2::timestamptz, coalesce((SELECT max(at) FROM login_attempts WHERE username = $1 AND outcome = 'session'), '-infinity'::timestamptz))`,
    [typedUsername(pii, username), since.toISOString()],
  );
  return rows[0]?.n ?? 0;
}

export async function failuresOfIp(ex: Executor, ip: string, since: Date): Promise<number> {
  const { rows } = await ex.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM login_attempts WHERE ip = $1 AND outcome IN ('password_failed', 'otp_failed') AND at > $2::timestamptz`,
    [ip, since.toISOString()],
  );
  return rows[0]?.n ?? 0;
}

export async function stepsOfIp(ex: Executor, ip: string, since: Date, outcomes?: AttemptOutcome[]): Promise<number> {
  const { rows } = await ex.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM login_attempts WHERE ip = $1 AND at > $2::timestamptz ${outcomes ? 'AND outcome = ANY($3::text[])' : ''}`,
    outcomes ? [ip, since.toISOString(), outcomes] : [ip, since.toISOString()],
  );
  return rows[0]?.n ?? 0;
}

/** The latest end of any live lock on these keys. */
export async function lockedUntil(ex: Executor, pii: PiiSealer, keys: string[], now: Date): Promise<Date | null> {
  const { rows } = await ex.query<{ until: Date | null }>(
    'SELECT max(locked_until) AS until FROM login_locks WHERE key = ANY($1::text[]) AND locked_until > $2::timestamptz',
    [keys.map((k) => lockKey(pii, k)), now.toISOString()],
  );
  const until = rows[0]?.until;
  return until ? new Date(until) : null;
}

export async function lock(ex: Executor, pii: PiiSealer, key: string, until: Date, now: Date): Promise<void> {
  await ex.query(
    `INSERT INTO login_locks (key, locked_until, locked_at) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET locked_until = greatest(login_locks.locked_until, EXCLUDED.locked_until), locked_at = EXCLUDED.locked_at`,
    [lockKey(pii, key), until.toISOString(), now.toISOString()],
  );
}

export async function insertChallenge(ex: Executor, c: typeof loginChallenges.$inferInsert): Promise<void> {
  await ex.db.insert(loginChallenges).values(c);
}

/** A new code makes the older ones of the account for the same purpose useless. */
export async function closeOpenChallenges(
  ex: Executor,
  accountId: string,
  now: Date,
  purpose: ChallengeRow['purpose'] = 'login',
): Promise<void> {
  await ex.query(
    'UPDATE login_challenges SET expires_at = least(expires_at, $2::timestamptz) WHERE account_id = $1 AND purpose = $3 AND consumed_at IS NULL AND expires_at > $2',
    [accountId, now.toISOString(), purpose],
  );
}

/** A challenge of the purpose given: a proofing code never opens a session, a login code never proves a number. */
export async function findChallenge(
  ex: Executor,
  id: string,
  purpose: ChallengeRow['purpose'] = 'login',
): Promise<ChallengeRow | undefined> {
  if (!isUuid(id)) return undefined;
  const rows = await ex.db
    .select()
    .from(loginChallenges)
    .where(and(eq(loginChallenges.id, id), eq(loginChallenges.purpose, purpose)))
    .limit(1);
  return rows[0];
}

/** Proofing codes the account was sent since a time (a limit on how often a claim may be tried). */
export async function proofingChallengesSince(ex: Executor, accountId: string, since: Date): Promise<number> {
  const { rows } = await ex.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM login_challenges WHERE account_id = $1 AND purpose = 'proofing' AND created_at > $2::timestamptz`,
    [accountId, since.toISOString()],
  );
  return rows[0]?.n ?? 0;
}

/**
 * A proofing code's challenge: the claim it proves (keyed hash) and where the relay sends it, the phone on record
 * (sealed; none when the code was never sent).
 */
export async function insertProofingChallenge(
  ex: Executor,
  pii: PiiSealer,
  c: Omit<typeof loginChallenges.$inferInsert, 'purpose' | 'destinationEnc' | 'idNumberHash'> & {
    idNumber: string;
    destination: string | null;
  },
): Promise<void> {
  const { idNumber, destination, ...rest } = c;
  await ex.db.insert(loginChallenges).values({
    ...rest,
    purpose: 'proofing',
    destinationEnc: pii.encryptNullable(destination),
    idNumberHash: pii.blindIndex(idNumber, 'id_number'),
  });
}

/** Whether a challenge's claim is this number. */
export function provesNumber(pii: PiiSealer, challenge: ChallengeRow, idNumber: string): boolean {
  return challenge.idNumberHash === pii.blindIndex(idNumber, 'id_number');
}

/** An import of the same file into the same register, if one was made. */
export async function findRegisterImport(
  ex: Executor,
  register: RegisterImportRow['register'],
  sha256: string,
): Promise<RegisterImportRow | undefined> {
  const rows = await ex.db
    .select()
    .from(registerImports)
    .where(and(eq(registerImports.register, register), eq(registerImports.sha256, sha256)))
    .limit(1);
  return rows[0];
}

/**
 * Spends one attempt, atomically: returns the challenge after the increment, or nothing when it was used up,
 * consumed or expired in the meantime. Two guesses in parallel cannot both get the fifth attempt.
 */
export async function spendAttempt(
  ex: Executor,
  id: string,
  maxAttempts: number,
  now: Date,
): Promise<ChallengeRow | undefined> {
  const rows = await ex.db
    .update(loginChallenges)
    .set({ attempts: sql`${loginChallenges.attempts} + 1` })
    .where(
      and(
        eq(loginChallenges.id, id),
        isNull(loginChallenges.consumedAt),
        lt(loginChallenges.attempts, maxAttempts),
        gt(loginChallenges.expiresAt, now),
      ),
    )
    .returning();
  return rows[0];
}

/** Single use: only one caller can consume a challenge. */
export async function consumeChallenge(ex: Executor, id: string, now: Date): Promise<boolean> {
  const rows = await ex.db
    .update(loginChallenges)
    .set({ consumedAt: now })
    .where(and(eq(loginChallenges.id, id), isNull(loginChallenges.consumedAt)))
    .returning({ id: loginChallenges.id });
  return rows.length > 0;
}

/** The development sink: the newest pending code (login, proofing, window consent) the outbox holds for a username. */
export async function latestPendingCode(
  ex: Executor,
  username: string,
  now: Date,
): Promise<{ code: string; challengeId: string; expiresAt: string } | undefined> {
  // Login, proofing and window-consent codes alike: the SMS would show any of them.
  const { rows } = await ex.query<{ code: string; challenge_id: string; expires_at: Date }>(
    `SELECT code, challenge_id, expires_at FROM (
       SELECT n.payload->>'code' AS code, c.id AS challenge_id, c.expires_at, n.created_at
         FROM accounts a
         JOIN notifications n ON n.recipient_id = a.id AND n.kind IN ('auth.otp', 'identity.proofing_code')
         JOIN login_challenges c ON c.id::text = n.payload->>'challengeId'
        WHERE a.username = $1 AND c.consumed_at IS NULL AND c.expires_at > $2::timestamptz
       UNION ALL
       SELECT n.payload->>'code', c.id, c.expires_at, n.created_at
         FROM accounts a
         JOIN notifications n ON n.recipient_id = a.id AND n.kind = 'proxy.consent_code'
         JOIN consent_challenges c ON c.id::text = n.payload->>'challengeId'
        WHERE a.username = $1 AND c.consumed_at IS NULL AND c.expires_at > $2::timestamptz
     ) pending ORDER BY created_at DESC LIMIT 1`,
    [username, now.toISOString()],
  );
  const r = rows[0];
  return r ? { code: r.code, challengeId: r.challenge_id, expiresAt: new Date(r.expires_at).toISOString() } : undefined;
}

// ---- window consent codes ------------------------------------------------------------------------------------------

export type ConsentChallengeRow = typeof consentChallenges.$inferSelect;

/** A new code for the same person and staff member makes the older ones useless. */
export async function openConsentChallenge(ex: Executor, c: typeof consentChallenges.$inferInsert): Promise<void> {
  await ex.query(
    `UPDATE consent_challenges SET expires_at = least(expires_at, $3::timestamptz)
      WHERE person_id = $1 AND staff_id = $2 AND consumed_at IS NULL AND expires_at > $3::timestamptz`,
    [c.personId, c.staffId, c.createdAt.toISOString()],
  );
  await ex.db.insert(consentChallenges).values(c);
}

/** How many codes were sent to a person since a time: what keeps staff from flooding someone's phone. */
export async function consentCodesSentTo(ex: Executor, personId: string, since: Date): Promise<number> {
  const { rows } = await ex.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM consent_challenges WHERE person_id = $1 AND created_at > $2::timestamptz',
    [personId, since.toISOString()],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Spends one attempt of a code the staff member asked for this person, atomically (as spendAttempt does): the
 * challenge after the increment, or nothing when it is not theirs, used up, consumed or expired.
 */
export async function spendConsentAttempt(
  ex: Executor,
  c: { id: string; personId: string; staffId: string },
  maxAttempts: number,
  now: Date,
): Promise<ConsentChallengeRow | undefined> {
  if (!isUuid(c.id)) return undefined;
  const rows = await ex.db
    .update(consentChallenges)
    .set({ attempts: sql`${consentChallenges.attempts} + 1` })
    .where(
      and(
        eq(consentChallenges.id, c.id),
        eq(consentChallenges.personId, c.personId),
        eq(consentChallenges.staffId, c.staffId),
        isNull(consentChallenges.consumedAt),
        lt(consentChallenges.attempts, maxAttempts),
        gt(consentChallenges.expiresAt, now),
      ),
    )
    .returning();
  return rows[0];
}

/** Single use: only one caller can consume a code. */
export async function consumeConsentChallenge(ex: Executor, id: string, now: Date): Promise<boolean> {
  const rows = await ex.db
    .update(consentChallenges)
    .set({ consumedAt: now })
    .where(and(eq(consentChallenges.id, id), isNull(consentChallenges.consumedAt)))
    .returning({ id: consentChallenges.id });
  return rows.length > 0;
}

// ---- enterprises and agents -------------------------------------------------------------------------------------------

export interface Agency {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  uscc: string;
  role: 'legal_representative' | 'agent';
}

/** The enterprises a person may act for now. */
export async function agenciesOf(ex: Executor, personId: string): Promise<Agency[]> {
  const { rows } = await ex.query<{
    id: string;
    enterprise_id: string;
    name: string;
    uscc: string;
    role: Agency['role'];
  }>(
    `SELECT g.id, g.enterprise_id, e.display_name AS name, e.uscc, g.role
       FROM enterprise_agents g JOIN accounts e ON e.id = g.enterprise_id
      WHERE g.person_id = $1 AND g.revoked_at IS NULL AND NOT e.disabled
      ORDER BY e.display_name`,
    [personId],
  );
  return rows.map((r) => ({
    id: r.id,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.name,
    uscc: r.uscc,
    role: r.role,
  }));
}

export async function liveAgency(ex: Executor, enterpriseId: string, personId: string): Promise<Agency | undefined> {
  return (await agenciesOf(ex, personId)).find((a) => a.enterpriseId === enterpriseId);
}

export async function insertAgency(ex: Executor, a: typeof enterpriseAgents.$inferInsert): Promise<void> {
  await ex.db.insert(enterpriseAgents).values(a);
}

export async function agentsOf(
  ex: Executor,
  pii: PiiSealer,
  enterpriseId: string,
): Promise<Array<{ personId: string; name: string; idNumber: string | null; role: Agency['role']; grantedAt: Date }>> {
  const { rows } = await ex.query<{
    person_id: string;
    name: string;
    id_number: string | null;
    role: Agency['role'];
    granted_at: Date;
  }>(
    `SELECT g.person_id, p.display_name AS name, p.id_number_enc AS id_number, g.role, g.granted_at
       FROM enterprise_agents g JOIN accounts p ON p.id = g.person_id
      WHERE g.enterprise_id = $1 AND g.revoked_at IS NULL
      ORDER BY g.role DESC, p.display_name`,
    [enterpriseId],
  );
  return rows.map((r) => ({
    personId: r.person_id,
    name: r.name,
    idNumber: pii.decryptNullable(r.id_number),
    role: r.role,
    grantedAt: new Date(r.granted_at),
  }));
}

/** Ends every agency of a person (an account frozen for misuse of a number); what it was, for the audit. */
export async function revokeAgenciesOf(
  ex: Executor,
  personId: string,
  by: string,
  now: Date,
): Promise<Array<{ enterpriseId: string; role: Agency['role'] }>> {
  const { rows } = await ex.query<{ enterprise_id: string; role: Agency['role'] }>(
    `UPDATE enterprise_agents SET revoked_at = $2, revoked_by = $3 WHERE person_id = $1 AND revoked_at IS NULL
     RETURNING enterprise_id, role`,
    [personId, now.toISOString(), by],
  );
  return rows.map((r) => ({ enterpriseId: r.enterprise_id, role: r.role }));
}

export async function revokeAgency(
  ex: Executor,
  enterpriseId: string,
  personId: string,
  by: string,
  now: Date,
): Promise<boolean> {
  const { rowCount } = await ex.query(
    `UPDATE enterprise_agents SET revoked_at = $3, revoked_by = $4 WHERE enterprise_id = $1 AND person_id = $2 AND revoked_at IS NULL AND role = 'agent'`,
    [enterpriseId, personId, now.toISOString(), by],
  );
  return rowCount > 0;
}

// ---- proxies -----------------------------------------------------------------------------------------------------------

export async function insertProxy(ex: Executor, pii: PiiSealer, p: typeof proxies.$inferInsert): Promise<void> {
  // A consent reference may be an ID or phone number: stored encrypted, shown masked.
  await ex.db.insert(proxies).values({ ...p, consent: pii.sealJson(p.consent) });
}

export async function findProxy(ex: Executor, pii: PiiSealer, id: string): Promise<ProxyRow | undefined> {
  if (!isUuid(id)) return undefined;
  const rows = await ex.db.select().from(proxies).where(eq(proxies.id, id)).limit(1);
  return (
    rows[0] && { ...rows[0], consent: pii.maskJson(rows[0].consent), revokeReason: pii.maskJson(rows[0].revokeReason) }
  );
}

/** A proxy with its parties' names; the consent as recorded (masked). */
export interface ProxyListRow extends Omit<ProxyRow, 'consent'> {
  consent: ProxyConsent;
  grantorName: string;
  grantorIdNumber: string | null;
  granteeName: string;
  granteeKind: 'person' | 'enterprise' | 'staff';
}

interface ProxyRaw {
  id: string;
  grantor_id: string;
  grantee_id: string;
  kind: ProxyRow['kind'];
  scope: ProxyRow['scope'];
  valid_from: Date;
  valid_until: Date;
  consent: ProxyConsent;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  grantor_name: string;
  grantor_id_number: string | null;
  grantee_name: string;
  grantee_kind: ProxyListRow['granteeKind'];
}

const PROXY_SELECT = `SELECT x.*, g.display_name AS grantor_name, g.id_number_enc AS grantor_id_number, e.display_name AS grantee_name, e.kind AS grantee_kind
       FROM proxies x JOIN accounts g ON g.id = x.grantor_id JOIN accounts e ON e.id = x.grantee_id`;

function toProxyListRow(pii: PiiSealer, r: ProxyRaw): ProxyListRow {
  const date = (v: Date | string) => new Date(v);
  return {
    id: r.id,
    grantorId: r.grantor_id,
    granteeId: r.grantee_id,
    kind: r.kind,
    scope: r.scope,
    validFrom: date(r.valid_from),
    validUntil: date(r.valid_until),
    consent: pii.maskJson(r.consent),
    createdBy: r.created_by,
    createdAt: date(r.created_at),
    revokedAt: r.revoked_at ? date(r.revoked_at) : null,
    revokedBy: r.revoked_by,
    revokeReason: pii.maskJson(r.revoke_reason),
    grantorName: r.grantor_name,
    grantorIdNumber: pii.decryptNullable(r.grantor_id_number),
    granteeName: r.grantee_name,
    granteeKind: r.grantee_kind,
  };
}

export async function proxiesOf(
  ex: Executor,
  pii: PiiSealer,
  accountId: string,
  side: 'grantor' | 'grantee',
): Promise<ProxyListRow[]> {
  const column = side === 'grantor' ? 'grantor_id' : 'grantee_id';
  const { rows } = await ex.query<ProxyRaw>(
    `${PROXY_SELECT} WHERE x.${column} = $1 ORDER BY x.created_at DESC LIMIT 200`,
    [accountId],
  );
  return rows.map((r) => toProxyListRow(pii, r));
}

export async function proxyListRow(ex: Executor, pii: PiiSealer, id: string): Promise<ProxyListRow | undefined> {
  const { rows } = await ex.query<ProxyRaw>(`${PROXY_SELECT} WHERE x.id = $1`, [id]);
  return rows[0] ? toProxyListRow(pii, rows[0]) : undefined;
}

export async function revokeProxy(
  ex: Executor,
  pii: PiiSealer,
  id: string,
  by: string,
  reason: string | null,
  now: Date,
): Promise<boolean> {
  const { rowCount } = await ex.query(
    'UPDATE proxies SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE id = $1 AND revoked_at IS NULL',
    [id, now.toISOString(), by, pii.sealJson(reason)],
  );
  return rowCount > 0;
}

/** Revokes every live proxy the account granted or holds; their ids. */
export async function revokeProxiesOf(
  ex: Executor,
  pii: PiiSealer,
  accountId: string,
  by: string,
  reason: string,
  now: Date,
): Promise<string[]> {
  const { rows } = await ex.query<{ id: string }>(
    `UPDATE proxies SET revoked_at = $2, revoked_by = $3, revoke_reason = $4
      WHERE (grantor_id = $1 OR grantee_id = $1) AND revoked_at IS NULL RETURNING id`,
    [accountId, now.toISOString(), by, pii.sealJson(reason)],
  );
  return rows.map((r) => r.id).sort();
}

/** What was done under a proxy, from the audit log (every write records the proxy it acted under). */
export async function actionsUnderProxy(
  ex: Executor,
  proxyId: string,
): Promise<
  Array<{
    at: Date;
    action: string;
    actorId: string | null;
    actorName: string | null;
    subjectType: string;
    subjectId: string;
    data: Record<string, JsonValue>;
  }>
> {
  const { rows } = await ex.query<{
    at: Date;
    action: string;
    actor_id: string | null;
    actor_name: string | null;
    subject_type: string;
    subject_id: string;
    data: Record<string, JsonValue>;
  }>(
    `SELECT e.at, e.action, e.actor_id, a.display_name AS actor_name, e.subject_type, e.subject_id, e.data
       FROM audit_events e LEFT JOIN accounts a ON a.id = e.actor_id
      WHERE e.data @> jsonb_build_object('proxyId', $1::text)
      ORDER BY e.at, e.id LIMIT 500`,
    [proxyId],
  );
  return rows.map((r) => ({
    at: new Date(r.at),
    action: r.action,
    actorId: r.actor_id,
    actorName: r.actor_name,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    data: r.data,
  }));
}

// ---- the registers (一人一档, 一企一档) -------------------------------------------------------------------------

export type RegisterImportRow = typeof registerImports.$inferSelect;

export interface PersonRecord {
  idNumber: string;
  name: string;
  phone: string | null;
  regionCode: string;
  asOf: string;
}

export interface EnterpriseRecord {
  uscc: string;
  name: string;
  legalRepresentativeName: string;
  legalRepresentativeIdNumber: string;
  asOf: string;
}

export async function insertRegisterImport(ex: Executor, r: typeof registerImports.$inferInsert): Promise<void> {
  await ex.db.insert(registerImports).values(r);
}

export async function setRegisterImportCounts(ex: Executor, id: string, count: UpsertCount): Promise<void> {
  await ex.db.update(registerImports).set(count).where(eq(registerImports.id, id));
}

export async function findRegisterImportById(ex: Executor, id: string): Promise<RegisterImportRow | undefined> {
  const rows = await ex.db.select().from(registerImports).where(eq(registerImports.id, id)).limit(1);
  return rows[0];
}

export async function listRegisterImports(ex: Executor, limit: number): Promise<RegisterImportRow[]> {
  return ex.db.select().from(registerImports).orderBy(sql`${registerImports.importedAt} DESC`).limit(limit);
}

/** What an upsert did: new rows, replaced rows, and rows left alone because the register held a newer extract. */
export interface UpsertCount {
  created: number;
  updated: number;
  skipped: number;
}

const CHUNK = 500;

/**
 * Writes a batch of the population register, replacing a person's row only with data at least as recent; counts
 * from RETURNING (xmax = 0 marks a new row), so one statement per chunk does both.
 */
/**
 * Writes a register's records a chunk at a time and counts what each upsert did: inserted (xmax = 0), updated, or
 * skipped because the stored entry comes from a more recent extract (the upsert's WHERE returned no row).
 */
async function inChunks<T>(records: T[], upsert: (chunk: T[]) => Promise<Array<{ created: boolean }>>) {
  const count: UpsertCount = { created: 0, updated: 0, skipped: 0 };
  for (let i = 0; i < records.length; i += CHUNK) {
    const chunk = records.slice(i, i + CHUNK);
    const rows = await upsert(chunk);
    const created = rows.filter((r) => r.created).length;
    count.created += created;
    count.updated += rows.length - created;
    count.skipped += chunk.length - rows.length;
  }
  return count;
}

export async function upsertPersonRecords(
  ex: Executor,
  pii: PiiSealer,
  records: Array<Omit<PersonRecord, 'asOf'>>,
  asOf: string,
  importId: string,
): Promise<UpsertCount> {
  return inChunks(records, (chunk) =>
    ex.db
      .insert(personRegister)
      .values(
        chunk.map((r) => ({
          idNumberHash: pii.blindIndex(r.idNumber, 'id_number'),
          idNumberEnc: pii.encrypt(r.idNumber.trim().toUpperCase()),
          name: r.name,
          phoneEnc: pii.encryptNullable(r.phone),
          phoneHash: pii.blindIndexNullable(r.phone, 'phone'),
          regionCode: r.regionCode,
          asOf,
          importId,
        })),
      )
      .onConflictDoUpdate({
        target: personRegister.idNumberHash,
        set: {
          idNumberEnc: sql`excluded.id_number_enc`,
          name: sql`excluded.name`,
          phoneEnc: sql`excluded.phone_enc`,
          phoneHash: sql`excluded.phone_hash`,
          regionCode: sql`excluded.region_code`,
          asOf: sql`excluded.as_of`,
          importId: sql`excluded.import_id`,
        },
        setWhere: sql`${personRegister.asOf} <= excluded.as_of`,
      })
      .returning({ created: sql<boolean>`(xmax = 0)` }),
  );
}

export async function upsertEnterpriseRecords(
  ex: Executor,
  pii: PiiSealer,
  records: Array<Omit<EnterpriseRecord, 'asOf'>>,
  asOf: string,
  importId: string,
): Promise<UpsertCount> {
  return inChunks(records, (chunk) =>
    ex.db
      .insert(enterpriseRegister)
      .values(
        chunk.map((r) => ({
          uscc: r.uscc,
          name: r.name,
          legalRepresentativeName: r.legalRepresentativeName,
          legalRepresentativeIdNumberEnc: pii.encrypt(r.legalRepresentativeIdNumber.trim().toUpperCase()),
          legalRepresentativeIdNumberHash: pii.blindIndex(r.legalRepresentativeIdNumber, 'id_number'),
          asOf,
          importId,
        })),
      )
      .onConflictDoUpdate({
        target: enterpriseRegister.uscc,
        set: {
          name: sql`excluded.name`,
          legalRepresentativeName: sql`excluded.legal_representative_name`,
          legalRepresentativeIdNumberEnc: sql`excluded.legal_representative_id_number_enc`,
          legalRepresentativeIdNumberHash: sql`excluded.legal_representative_id_number_hash`,
          asOf: sql`excluded.as_of`,
          importId: sql`excluded.import_id`,
        },
        setWhere: sql`${enterpriseRegister.asOf} <= excluded.as_of`,
      })
      .returning({ created: sql<boolean>`(xmax = 0)` }),
  );
}

/** The population register's entry for a number, found by its keyed hash. */
export async function findPersonRecord(
  ex: Executor,
  pii: PiiSealer,
  idNumber: string,
): Promise<PersonRecord | undefined> {
  const rows = await ex.db
    .select()
    .from(personRegister)
    .where(eq(personRegister.idNumberHash, pii.blindIndex(idNumber, 'id_number')))
    .limit(1);
  const r = rows[0];
  return (
    r && {
      idNumber: pii.decrypt(r.idNumberEnc),
      name: r.name,
      phone: pii.decryptNullable(r.phoneEnc),
      regionCode: r.regionCode,
      asOf: r.asOf,
    }
  );
}

export async function findEnterpriseRecord(
  ex: Executor,
  pii: PiiSealer,
  uscc: string,
): Promise<EnterpriseRecord | undefined> {
  const rows = await ex.db.select().from(enterpriseRegister).where(eq(enterpriseRegister.uscc, uscc)).limit(1);
  const r = rows[0];
  return (
    r && {
      uscc: r.uscc,
      name: r.name,
      legalRepresentativeName: r.legalRepresentativeName,
      legalRepresentativeIdNumber: pii.decrypt(r.legalRepresentativeIdNumberEnc),
      asOf: r.asOf,
    }
  );
}

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
