// The provider's keys: an RS256 and an ES256 signing key (JWKs) and a cookie-signing key, generated on the first
// start and kept in sso_keys, so restarts keep issued tokens valid and several instances sign alike. Private key
// material is never logged; with SSO_KEY_ENCRYPTION_KEY set it is sealed at rest with AES-256-GCM. Rotation
// (add a key, publish it, sign with it, retire the old one after the longest token lifetime) is not built yet:
// rows have retired_at for it.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from '../../platform/db.ts';
import * as repo from './sso.repository.ts';

const generateKeyPair = promisify(crypto.generateKeyPair);

type Jwk = crypto.JsonWebKey & { kid: string; alg: string; use: 'sig' };

export interface ProviderKeys {
  /** Private JWKs, the RS256 key first (the default ID token algorithm). */
  jwks: { keys: Jwk[] };
  /** Keys that sign the provider's cookies (keygrip: the first signs, all verify). */
  cookieKeys: string[];
}

type Material = { sealed: false; value: unknown } | { sealed: 'A256GCM'; iv: string; tag: string; data: string };

/** The key-encryption key: HKDF of the configured secret, so any long random string will do. */
function deriveKek(secret: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, 'onething.sso.keys', 'A256GCM key-encryption key v1', 32));
}

// The row id is the additional authenticated data, so a sealed value cannot be moved to another row.
function seal(kek: Buffer | null, id: string, value: unknown): Material {
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

function unseal(kek: Buffer | null, id: string, material: Material): unknown {
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

async function newSigningKeys(): Promise<Jwk[]> {
  const rsa = await generateKeyPair('rsa', { modulusLength: 2048 });
  const ec = await generateKeyPair('ec', { namedCurve: 'P-256' });
  return [
    { ...rsa.privateKey.export({ format: 'jwk' }), alg: 'RS256' },
    { ...ec.privateKey.export({ format: 'jwk' }), alg: 'ES256' },
  ].map((jwk) => ({ ...jwk, use: 'sig' as const, kid: thumbprint(jwk) }));
}

export async function loadOrCreateKeys(
  db: Database,
  options: { encryptionKey?: string | undefined },
): Promise<ProviderKeys> {
  const kek = options.encryptionKey ? deriveKek(options.encryptionKey) : null;
  const complete = (rows: repo.KeyRow[]) =>
    rows.some((r) => r.use === 'signing') && rows.some((r) => r.use === 'cookie');

  let rows = await repo.listLiveKeys(db);
  if (!complete(rows)) {
    // Generate outside the lock (RSA takes a moment), insert under it: two instances starting together end up
    // with one set, whichever committed first.
    const signing = await newSigningKeys();
    const cookie = crypto.randomBytes(32).toString('base64url');
    rows = await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('onething.sso.keys'))`);
      const existing = await repo.listLiveKeys(tx);
      if (!existing.some((r) => r.use === 'signing')) {
        for (const jwk of signing)
          await repo.insertKey(tx, { id: jwk.kid, use: 'signing', material: seal(kek, jwk.kid, jwk) });
      }
      if (!existing.some((r) => r.use === 'cookie')) {
        const id = `cookie-${crypto.randomBytes(6).toString('hex')}`;
        await repo.insertKey(tx, { id, use: 'cookie', material: seal(kek, id, cookie) });
      }
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
