// The keys that authenticate the audit log (docs/adr/0021): each row's hash and each checkpoint is an HMAC-SM3
// under a key the database never holds, so that whoever can write the tables still cannot write a row, a chain or a
// checkpoint that verifies. AUDIT_KEY lists them as "keyId:base64key,…": the first signs, every one verifies; an old
// key stays listed for as long as rows or checkpoints made with it are to be verified.
import crypto from 'node:crypto';
import type { Config } from '../config.ts';

export interface AuditKey {
  id: string;
  secret: Buffer;
}

export interface AuditKeyRing {
  /** The first key signs new rows and checkpoints; all of them verify. */
  keys: AuditKey[];
}

/** HMAC-SM3 (GB/T 32905) of `text` under `key`, lower-case hex: 64 characters, as a SHA-256 digest is. */
export function auditMac(key: AuditKey, text: string): string {
  return crypto.createHmac('sm3', key.secret).update(text).digest('hex');
}

export function signingKey(ring: AuditKeyRing): AuditKey {
  return ring.keys[0]!;
}

export function findAuditKey(ring: AuditKeyRing, id: string): AuditKey | undefined {
  return ring.keys.find((k) => k.id === id);
}

/** Parses AUDIT_KEY ("keyId:base64key,…", each key at least 32 bytes). */
export function parseAuditKeys(spec: string): AuditKeyRing {
  const keys: AuditKey[] = [];
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(part);
    if (!m) throw new Error(`AUDIT_KEY: expected keyId:base64key, got "${part.split(':')[0]}:…"`);
    const secret = Buffer.from(m[2]!, 'base64');
    if (secret.length < 32) throw new Error(`AUDIT_KEY: key ${m[1]} is ${secret.length} bytes; at least 32 are needed`);
    if (keys.some((k) => k.id === m[1])) throw new Error(`AUDIT_KEY: key id ${m[1]} appears twice`);
    keys.push({ id: m[1]!, secret });
  }
  if (keys.length === 0) throw new Error('AUDIT_KEY: no key');
  // A Node built against an OpenSSL without SM3 (some distributions leave it out) must fail here, not at the first
  // audit row of the first request.
  auditMac(keys[0]!, '');
  return { keys };
}

/**
 * The development key: SHA-256 of a fixed, published string, under the id "dev", so that a development or test
 * database verifies across restarts. It authenticates nothing (anyone can derive it); config.ts refuses to start
 * production without AUDIT_KEY.
 */
export function developmentAuditKeys(): AuditKeyRing {
  const secret = crypto.createHash('sha256').update('onething development only: audit key').digest();
  return { keys: [{ id: 'dev', secret }] };
}

export function auditKeysFromConfig(config: Pick<Config, 'AUDIT_KEY'>): AuditKeyRing {
  return config.AUDIT_KEY ? parseAuditKeys(config.AUDIT_KEY) : developmentAuditKeys();
}
