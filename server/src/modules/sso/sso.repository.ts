// SQL of the SSO context: registered clients, the provider's keys and its stored state (oidc_payloads).
// Raw SQL through the platform's Executor, so that the same statements run on PGlite and on PostgreSQL.
import type { Executor } from '../../platform/db.ts';
import type { AuthMethod, ClientRecord } from './sso.domain.ts';

// ---- clients ----

interface ClientRow {
  client_id: string;
  name: string;
  department_code: string | null;
  jurisdiction: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  auth_method: AuthMethod;
  secret_sha256: string | null;
  scopes: string[];
  first_party: boolean;
  created_by: string | null;
  created_at: Date | string;
}

function toClient(r: ClientRow): ClientRecord {
  return {
    clientId: r.client_id,
    name: r.name,
    departmentCode: r.department_code,
    jurisdiction: r.jurisdiction,
    redirectUris: r.redirect_uris,
    postLogoutRedirectUris: r.post_logout_redirect_uris,
    authMethod: r.auth_method,
    secretSha256: r.secret_sha256,
    scopes: r.scopes,
    firstParty: r.first_party,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
  };
}

export async function insertClient(ex: Executor, c: Omit<ClientRecord, 'createdAt'>): Promise<void> {
  await ex.query(
    `INSERT INTO sso_clients (client_id, name, department_code, jurisdiction, redirect_uris, post_logout_redirect_uris, auth_method, secret_sha256, scopes, first_party, created_by)
     VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7, $8, $9::text[], $10, $11)`,
    [
      c.clientId,
      c.name,
      c.departmentCode,
      c.jurisdiction,
      c.redirectUris,
      c.postLogoutRedirectUris,
      c.authMethod,
      c.secretSha256,
      c.scopes,
      c.firstParty,
      c.createdBy,
    ],
  );
}

/** What an administrator may change of a registered client (the secret and method are fixed at registration). */
export type ClientChanges = Pick<
  ClientRecord,
  'name' | 'departmentCode' | 'jurisdiction' | 'redirectUris' | 'postLogoutRedirectUris' | 'scopes' | 'firstParty'
>;

export async function updateClient(ex: Executor, clientId: string, c: ClientChanges): Promise<void> {
  await ex.query(
    `UPDATE sso_clients SET name = $2, department_code = $3, jurisdiction = $4, redirect_uris = $5::text[],
            post_logout_redirect_uris = $6::text[], scopes = $7::text[], first_party = $8
      WHERE client_id = $1`,
    [
      clientId,
      c.name,
      c.departmentCode,
      c.jurisdiction,
      c.redirectUris,
      c.postLogoutRedirectUris,
      c.scopes,
      c.firstParty,
    ],
  );
}

export async function findClient(ex: Executor, clientId: string): Promise<ClientRecord | undefined> {
  const { rows } = await ex.query<ClientRow>('SELECT * FROM sso_clients WHERE client_id = $1', [clientId]);
  return rows[0] ? toClient(rows[0]) : undefined;
}

/** The client, locked until the transaction ends (a change reads, decides and writes it). */
export async function lockClient(ex: Executor, clientId: string): Promise<ClientRecord | undefined> {
  const { rows } = await ex.query<ClientRow>('SELECT * FROM sso_clients WHERE client_id = $1 FOR UPDATE', [clientId]);
  return rows[0] ? toClient(rows[0]) : undefined;
}

export async function listClients(ex: Executor): Promise<ClientRecord[]> {
  const { rows } = await ex.query<ClientRow>('SELECT * FROM sso_clients ORDER BY created_at, client_id');
  return rows.map(toClient);
}

/** Removes a client and everything the provider holds for it (codes, tokens, grants), so nothing it was issued works. */
export async function deleteClient(ex: Executor, clientId: string): Promise<boolean> {
  const { rowCount } = await ex.query('DELETE FROM sso_clients WHERE client_id = $1', [clientId]);
  if (rowCount === 0) return false;
  await revokeIssuedTo(ex, clientId);
  return true;
}

/** Everything the provider issued to a client (grants, codes, tokens, interactions): none of it works afterwards. */
export async function revokeIssuedTo(ex: Executor, clientId: string): Promise<number> {
  const { rowCount } = await ex.query(`DELETE FROM oidc_payloads WHERE payload->>'clientId' = $1`, [clientId]);
  return rowCount;
}

/** A department's region (GB/T 2260), or nothing when there is no such department: a read of the catalogue's. */
export async function departmentRegion(ex: Executor, code: string): Promise<string | undefined> {
  const { rows } = await ex.query<{ region_code: string }>(
    'SELECT trim(region_code) AS region_code FROM departments WHERE code = $1',
    [code],
  );
  return rows[0]?.region_code;
}

// ---- keys ----

export interface KeyRow {
  id: string;
  use: 'signing' | 'cookie';
  material: unknown;
}

export async function listLiveKeys(ex: Executor): Promise<KeyRow[]> {
  const { rows } = await ex.query<KeyRow>(
    'SELECT id, use, material FROM sso_keys WHERE retired_at IS NULL ORDER BY created_at, id',
  );
  return rows;
}

/** Every key row, retired ones included (their material is in the backups as much as the live ones'). */
export async function listAllKeys(ex: Executor): Promise<Array<KeyRow & { retired_at: Date | string | null }>> {
  const { rows } = await ex.query<KeyRow & { retired_at: Date | string | null }>(
    'SELECT id, use, material, retired_at FROM sso_keys ORDER BY created_at, id',
  );
  return rows;
}

export async function insertKey(ex: Executor, key: KeyRow): Promise<void> {
  await ex.query('INSERT INTO sso_keys (id, use, material) VALUES ($1, $2, $3::jsonb)', [
    key.id,
    key.use,
    JSON.stringify(key.material),
  ]);
}

/** Replaces a key's material (with its sealed form) and retires it, if it was live. */
export async function sealAndRetireKey(ex: Executor, id: string, material: unknown): Promise<void> {
  await ex.query('UPDATE sso_keys SET material = $2::jsonb, retired_at = coalesce(retired_at, now()) WHERE id = $1', [
    id,
    JSON.stringify(material),
  ]);
}

// ---- oidc-provider's stored state ----

export interface PayloadRow {
  payload: Record<string, unknown>;
  consumed_at: Date | string | null;
}

export async function upsertPayload(
  ex: Executor,
  p: {
    kind: string;
    id: string;
    payload: unknown;
    grantId: string | null;
    userCode: string | null;
    uid: string | null;
    expiresAt: Date | null;
  },
): Promise<void> {
  await ex.query(
    `INSERT INTO oidc_payloads (kind, id, payload, grant_id, user_code, uid, expires_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)
     ON CONFLICT (kind, id) DO UPDATE
       SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, user_code = EXCLUDED.user_code,
           uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
    [p.kind, p.id, JSON.stringify(p.payload), p.grantId, p.userCode, p.uid, p.expiresAt],
  );
}

const LIVE = '(expires_at IS NULL OR expires_at > now())';

export async function findPayload(
  ex: Executor,
  kind: string,
  column: 'id' | 'uid' | 'user_code',
  value: string,
): Promise<PayloadRow | undefined> {
  const { rows } = await ex.query<PayloadRow>(
    `SELECT payload, consumed_at FROM oidc_payloads WHERE kind = $1 AND ${column} = $2 AND ${LIVE} LIMIT 1`,
    [kind, value],
  );
  return rows[0];
}

/** Marks a payload consumed; false when it already was (or is gone), which is how a concurrent second use shows. */
export async function consumePayload(ex: Executor, kind: string, id: string): Promise<boolean> {
  const { rowCount } = await ex.query(
    `UPDATE oidc_payloads SET consumed_at = now() WHERE kind = $1 AND id = $2 AND consumed_at IS NULL`,
    [kind, id],
  );
  return rowCount > 0;
}

export async function grantIdOf(ex: Executor, kind: string, id: string): Promise<string | null> {
  const { rows } = await ex.query<{ grant_id: string | null }>(
    'SELECT grant_id FROM oidc_payloads WHERE kind = $1 AND id = $2',
    [kind, id],
  );
  return rows[0]?.grant_id ?? null;
}

export async function destroyPayload(ex: Executor, kind: string, id: string): Promise<void> {
  await ex.query('DELETE FROM oidc_payloads WHERE kind = $1 AND id = $2', [kind, id]);
}

/** Everything of one kind issued under a grant; oidc-provider revokes a grant kind by kind. */
export async function destroyByGrant(ex: Executor, kind: string, grantId: string): Promise<void> {
  await ex.query('DELETE FROM oidc_payloads WHERE kind = $1 AND grant_id = $2', [kind, grantId]);
}

/** A grant and everything issued under it, of every kind: what a replayed code costs its grant. */
export async function destroyGrantEverywhere(ex: Executor, grantId: string): Promise<void> {
  await ex.query(`DELETE FROM oidc_payloads WHERE grant_id = $1 OR (kind = 'Grant' AND id = $1)`, [grantId]);
}

/** Drops rows expired for more than a grace period (kept briefly so that "expired" stays distinguishable in logs). */
export async function pruneExpired(ex: Executor): Promise<number> {
  const { rowCount } = await ex.query(`DELETE FROM oidc_payloads WHERE expires_at < now() - interval '1 hour'`);
  return rowCount;
}
