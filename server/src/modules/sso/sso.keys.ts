// The provider's keys: an RS256 and an ES256 signing key (JWKs) and a cookie-signing key, generated on the first
// start and kept in sso_keys, so restarts keep issued tokens valid and several instances sign alike. Private key
// material is never logged. With SSO_KEY_ENCRYPTION_KEY set (always in production) it is sealed at rest with
// AES-256-GCM, and a key stored in clear refuses the start: whoever holds a copy of the database could sign ID
// tokens with it. `onething sso seal-keys` (ops/sso-keys.ts) replaces such keys (docs/adr/0020). Rotation (add a
// key, publish it, sign with it, retire the old one after the longest token lifetime) is not built yet: rows have
// retired_at for it.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from '../../platform/db.ts';
import * as repo from './sso.repository.ts';

const generateKeyPair = promisify(crypto.generateKeyPair);

export type Jwk = crypto.JsonWebKey & { kid: string; alg: string; use: 'sig' };

export interface ProviderKeys {
  /** Private JWKs, the RS256 key first (the default ID token algorithm). */
  jwks: { keys: Jwk[] };
  /** Keys that sign the provider's cookies (keygrip: the first signs, all verify). */
  cookieKeys: string[];
}

/** A key row's material: in clear (development only) or sealed under the key-encryption key. */
export type KeyMaterial =
  | { sealed: false; value: unknown }
  | { sealed: 'A256GCM'; iv: string; tag: string; data: string };
type Material = KeyMaterial;

export function isSealed(material: unknown): boolean {
  return (material as { sealed?: unknown } | null)?.sealed === 'A256GCM';
}

/** The key-encryption key: HKDF of the configured secret, so any long random string will do. */
export function deriveKek(secret: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, 'onething.sso.keys', 'A256GCM key-encryption key v1', 32));
}

// The row id is the additional authenticated data, so a sealed value cannot be moved to another row.
export function seal(kek: Buffer | null, id: string, value: unknown): Material {
  if (!kek) return { sealed: false, value };
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', kek, iv).setAAD(Buffer.from(id));
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return {
    sealed: 'A256GCM',
    iv: iv.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
    data: data.toString('base64url'),
  };
}

export function unseal(kek: Buffer | null, id: string, material: Material): unknown {
  if (material.sealed === false) return material.value;
  if (!kek) throw new Error('the SSO keys in the database are sealed, but SSO_KEY_ENCRYPTION_KEY is not set');
  try {
    const decipher = crypto
      .createDecipheriv('aes-256-gcm', kek, Buffer.from(material.iv, 'base64url'))
      .setAAD(Buffer.from(id));
    decipher.setAuthTag(Buffer.from(material.tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(material.data, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch {
    // Never echo the material or the cause: only which key failed.
    throw new Error(`SSO key ${id} cannot be unsealed: SSO_KEY_ENCRYPTION_KEY differs from the one it was sealed with`);
  }
}

/** RFC 7638 thumbprint: a stable kid derived from the public key. */
function thumbprint(jwk: crypto.JsonWebKey): string {
  const members =
    jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return crypto.createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

export async function newSigningKeys(): Promise<Jwk[]> {
  const rsa = await generateKeyPair('rsa', { modulusLength: 2048 });
  const ec = await generateKeyPair('ec', { namedCurve: 'P-256' });
  return [
    { ...rsa.privateKey.export({ format: 'jwk' }), alg: 'RS256' },
    { ...ec.privateKey.export({ format: 'jwk' }), alg: 'ES256' },
  ].map((jwk) => ({ ...jwk, use: 'sig' as const, kid: thumbprint(jwk) }));
}

export function newCookieKey(): { id: string; value: string } {
  return { id: `cookie-${crypto.randomBytes(6).toString('hex')}`, value: crypto.randomBytes(32).toString('base64url') };
}

function clearKeysProblem(ids: string[]): string {
  return `SSO keys stored in clear although SSO_KEY_ENCRYPTION_KEY is set (${ids.join(', ')}): run \`onething sso seal-keys\`, which replaces them with new sealed keys, then start`;
}

export interface StoredKeyCheck {
  /** Rows whose material is in clear although SSO_KEY_ENCRYPTION_KEY is set (retired ones too: they are in backups). */
  inClear: string[];
  /** Live sealed rows this setting cannot open (no key, or another one), with why. */
  unopenable: string[];
  /** Both, as lines for the operator; none when the keys can serve. */
  problems: string[];
}

/** Whether the stored keys can serve under this setting, without changing anything. */
export async function checkStoredKeys(
  db: Database,
  options: { encryptionKey?: string | undefined },
): Promise<StoredKeyCheck> {
  const kek = options.encryptionKey ? deriveKek(options.encryptionKey) : null;
  const rows = await repo.listAllKeys(db);
  const inClear = kek ? rows.filter((r) => !isSealed(r.material)).map((r) => r.id) : [];
  const unopenable: string[] = [];
  for (const r of rows.filter((x) => isSealed(x.material) && x.retired_at === null)) {
    try {
      unseal(kek, r.id, r.material as Material);
    } catch (err) {
      unopenable.push((err as Error).message);
    }
  }
  return { inClear, unopenable, problems: [...(inClear.length ? [clearKeysProblem(inClear)] : []), ...unopenable] };
}

export async function loadOrCreateKeys(
  db: Database,
  options: { encryptionKey?: string | undefined },
): Promise<ProviderKeys> {
  const kek = options.encryptionKey ? deriveKek(options.encryptionKey) : null;
  if (kek) {
    const clear = (await repo.listAllKeys(db)).filter((r) => !isSealed(r.material)).map((r) => r.id);
    if (clear.length) throw new Error(clearKeysProblem(clear));
  }
  const complete = (rows: repo.KeyRow[]) =>
    rows.some((r) => r.use === 'signing') && rows.some((r) => r.use === 'cookie');

  let rows = await repo.listLiveKeys(db);
  if (!complete(rows)) {
    // Generate outside the lock (RSA takes a moment), insert under it: two instances starting together end up
    // with one set, whichever committed first.
    const signing = await newSigningKeys();
    const cookie = newCookieKey();
    rows = await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('onething.sso.keys'))`);
      const existing = await repo.listLiveKeys(tx);
      if (!existing.some((r) => r.use === 'signing')) {
        for (const jwk of signing)
          await repo.insertKey(tx, { id: jwk.kid, use: 'signing', material: seal(kek, jwk.kid, jwk) });
      }
      if (!existing.some((r) => r.use === 'cookie'))
        await repo.insertKey(tx, { id: cookie.id, use: 'cookie', material: seal(kek, cookie.id, cookie.value) });
      return repo.listLiveKeys(tx);
    });
  }

  const keys: ProviderKeys = { jwks: { keys: [] }, cookieKeys: [] };
  for (const row of rows) {
    const value = unseal(kek, row.id, row.material as Material);
    if (row.use === 'signing') keys.jwks.keys.push(value as Jwk);
    else keys.cookieKeys.push(value as string);
  }
  // Newest cookie key signs; RS256 before ES256 so that RS256 is what a client gets unless it asks otherwise.
  keys.cookieKeys.reverse();
  keys.jwks.keys.sort((a, b) => (a.alg === 'RS256' ? 0 : 1) - (b.alg === 'RS256' ? 0 : 1));
  return keys;
}

export interface ClearKeysReplaced {
  /** Rows that held key material in clear, now sealed and retired (no longer published or used). */
  retired: string[];
  /** The new sealed keys that took their place. */
  added: string[];
}

/**
 * Seals every key stored in clear and replaces the live ones with new sealed keys. Sealing a key in place would
 * not be enough: a key that was ever in clear is in every backup and database copy taken since, and would keep
 * signing ID tokens that verify against the published JWKS. So the clear keys are retired (their material sealed
 * as well, so that no copy taken from now on holds them) and new ones generated. ID tokens signed before stop
 * verifying and sign-ins at the provider end (its cookies were signed with the old cookie key). Idempotent; the
 * same advisory lock as the first start's key generation.
 */
export async function replaceClearKeys(db: Database, options: { encryptionKey: string }): Promise<ClearKeysReplaced> {
  const kek = deriveKek(options.encryptionKey);
  const signing = await newSigningKeys();
  const cookie = newCookieKey();
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('onething.sso.keys'))`);
    const rows = await repo.listAllKeys(tx);
    const clear = rows.filter((r) => !isSealed(r.material));
    const report: ClearKeysReplaced = { retired: clear.map((r) => r.id), added: [] };
    for (const r of clear)
      await repo.sealAndRetireKey(tx, r.id, seal(kek, r.id, (r.material as { value: unknown }).value));
    const live = rows.filter((r) => r.retired_at === null && isSealed(r.material));
    const needed = new Set(rows.filter((r) => r.retired_at === null && !isSealed(r.material)).map((r) => r.use));
    if (needed.has('signing') && !live.some((r) => r.use === 'signing'))
      for (const jwk of signing) {
        await repo.insertKey(tx, { id: jwk.kid, use: 'signing', material: seal(kek, jwk.kid, jwk) });
        report.added.push(jwk.kid);
      }
    if (needed.has('cookie') && !live.some((r) => r.use === 'cookie')) {
      await repo.insertKey(tx, { id: cookie.id, use: 'cookie', material: seal(kek, cookie.id, cookie.value) });
      report.added.push(cookie.id);
    }
    return report;
  });
}
