// Personal data at rest: resident ID numbers (GB 11643) and phone numbers (mobile and fixed-line, in any common
// spelling: modules/identifiers, personal-numbers.domain.ts) are stored encrypted (AES-256-GCM under a key ring
// from configuration), found by a keyed hash (HMAC-SHA256, a "blind index"), and shown masked
// (3201**********1234, 139****0001, +86 138 **** 8000) wherever a caller's role does not need the full value.
// See docs/adr/0005-personal-data-at-rest.md and 0023.
//
// An encrypted value is one string, so that it can stand in a text column or in place of a string inside jsonb:
//   pii1.<keyId>.<nonce>.<ciphertext>.<tag>      (base64url parts; the prefix and key id are authenticated data)
// An uploaded file is sealed whole, as bytes: FILE_MAGIC, the key id's length and the key id, a nonce, the
// ciphertext and the tag, under a key derived from the same PII_KEYS key (HKDF, "onething file v1"), with the
// file's id authenticated too, so that one person's file cannot be put in place of another's (docs/adr/0023).
// What needs the keys holds a PiiSealer, made once from configuration (createServices in app.ts; the CLI's and
// the restore's own composition) and handed to the repositories, reads and operator passes that encrypt, open or
// hash. Recognising and masking plaintext numbers needs no key and is plain functions.
import crypto from 'node:crypto';
import type { Config } from '../config.ts';
import { findPersonalNumbers, maskPersonalNumbers } from '../modules/identifiers/index.ts';

export type PiiKind = 'id_number' | 'phone';

export interface PiiKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  /** The first key encrypts; every key decrypts. */
  keys: PiiKey[];
  hashKey: Buffer;
}

const PREFIX = 'pii1';
const ENVELOPE = /^pii1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{22})$/;

/** Hex digests are never personal data, whatever digit runs they contain. */
const HEX_DIGEST = /^[0-9a-f]{32,}$/;

/** Parses PII_KEYS ("keyId:base64key,…", each key 32 bytes) and PII_HASH_KEY (base64, at least 32 bytes). */
export function parseKeyRing(keys: string, hashKey: string): KeyRing {
  const ring: PiiKey[] = [];
  for (const part of keys
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(part);
    if (!m) throw new Error(`PII_KEYS: expected keyId:base64key, got "${part.split(':')[0]}:…"`);
    const key = Buffer.from(m[2]!, 'base64');
    if (key.length !== 32) throw new Error(`PII_KEYS: key ${m[1]} is ${key.length} bytes; AES-256 needs 32`);
    if (ring.some((k) => k.id === m[1])) throw new Error(`PII_KEYS: key id ${m[1]} appears twice`);
    ring.push({ id: m[1]!, key });
  }
  if (ring.length === 0) throw new Error('PII_KEYS: no key');
  const hk = Buffer.from(hashKey, 'base64');
  if (hk.length < 32) throw new Error('PII_HASH_KEY: needs at least 32 bytes (base64)');
  return { keys: ring, hashKey: hk };
}

/**
 * The development key ring: derived from fixed strings, so that a development or test database stays readable
 * across restarts. config.ts refuses to start production without PII_KEYS and PII_HASH_KEY.
 */
export function developmentKeyRing(): KeyRing {
  const derive = (label: string) => crypto.createHash('sha256').update(`onething development only: ${label}`).digest();
  return { keys: [{ id: 'dev', key: derive('pii encryption key') }], hashKey: derive('pii hash key') };
}

export function keyRingFromConfig(config: Pick<Config, 'PII_KEYS' | 'PII_HASH_KEY'>): KeyRing {
  if (!config.PII_KEYS || !config.PII_HASH_KEY) return developmentKeyRing();
  return parseKeyRing(config.PII_KEYS, config.PII_HASH_KEY);
}

// ---- the sealer ------------------------------------------------------------------------------------------------------

/** What encrypts, opens and hashes personal data, bound to one key ring. */
export interface PiiSealer {
  /** The id of the key new envelopes are made with (the first of PII_KEYS). */
  readonly activeKeyId: string;
  encrypt(plaintext: string): string;
  /** Decrypts an envelope; a changed byte, an unknown key or anything that is not an envelope throws. */
  decrypt(envelope: string): string;
  encryptNullable(value: string | null | undefined): string | null;
  decryptNullable(value: string | null | undefined): string | null;
  /** HMAC-SHA256 over the kind and the normalised value, hex: equal numbers give equal hashes, nothing else. */
  blindIndex(value: string, kind: PiiKind): string;
  blindIndexNullable(value: string | null | undefined, kind: PiiKind): string | null;
  /**
   * Encrypts, in a copy, every string of a JSON document that holds an ID or phone number (the whole string, so
   * that "call 139…" in a note is protected too). Structure, keys and every other value stay readable for SQL.
   */
  sealJson<T>(value: T): T;
  /** The document with its encrypted strings decrypted: the full values, for a caller whose role needs them. */
  openJson<T>(value: T): T;
  /** The document as everyone else sees it: encrypted strings decrypted and masked, plaintext numbers masked. */
  maskJson<T>(value: T): T;
  /** Whether a document holds an encrypted value made with a key other than the active one. */
  hasStaleEnvelope(value: unknown): boolean;
  /** An uploaded file's bytes sealed under the active key, bound to the file's id. */
  sealFile(bytes: Buffer, fileId: string): Buffer;
  /** The bytes of a sealed file; a changed byte, another file's id or a key PII_KEYS does not hold throws. */
  openFile(sealed: Buffer, fileId: string): Buffer;
}

export function createPiiSealer(ring: KeyRing): PiiSealer {
  if (ring.keys.length === 0) throw new Error('pii: a key ring needs a key');
  const active = ring.keys[0]!.id;
  const nullable =
    <A extends unknown[]>(f: (value: string, ...rest: A) => string) =>
    (value: string | null | undefined, ...rest: A): string | null =>
      value === null || value === undefined ? null : f(value, ...rest);
  const encryptOne = (plaintext: string) => encrypt(plaintext, ring);
  const decryptOne = (envelope: string) => decrypt(envelope, ring);
  const hash = (value: string, kind: PiiKind) => blindIndex(value, kind, ring);
  // File keys are derived from the ring's keys, so that the string envelopes and the files, each with its own
  // random nonces, never share a key.
  const fileKeys = new Map(
    ring.keys.map((k) => [k.id, Buffer.from(crypto.hkdfSync('sha256', k.key, Buffer.alloc(0), FILE_KEY_INFO, 32))]),
  );
  return Object.freeze({
    activeKeyId: active,
    encrypt: encryptOne,
    decrypt: decryptOne,
    encryptNullable: nullable(encryptOne),
    decryptNullable: nullable(decryptOne),
    blindIndex: hash,
    blindIndexNullable: nullable(hash),
    sealJson: <T>(value: T): T =>
      mapStrings(value, (s) => (!isEnvelope(s) && containsPiiText(s) ? encryptOne(s) : s)) as T,
    openJson: <T>(value: T): T => mapStrings(value, (s) => (isEnvelope(s) ? decryptOne(s) : s)) as T,
    maskJson: <T>(value: T): T => mapStrings(value, (s) => maskText(isEnvelope(s) ? decryptOne(s) : s)) as T,
    hasStaleEnvelope: (value: unknown) => someString(value, (s) => isEnvelope(s) && envelopeKeyId(s) !== active),
    sealFile: (bytes: Buffer, fileId: string) => sealFile(bytes, fileId, active, fileKeys.get(active)!),
    openFile: (sealed: Buffer, fileId: string) => openFile(sealed, fileId, fileKeys),
  });
}

// ---- files -----------------------------------------------------------------------------------------------------------

/** The first bytes of a sealed file. No upload starts with them: uploads are PDF, JPEG or PNG, checked by theirs. */
const FILE_MAGIC = Buffer.from('OTF1');
const FILE_KEY_INFO = Buffer.from('onething file v1');
const NONCE = 12;
const TAG = 16;

function fileHeader(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([FILE_MAGIC, Buffer.from([id.length]), id]);
}

/** The id of the key a sealed file was made with, or null when the bytes are not a sealed file. */
function fileKeyId(stored: Buffer): string | null {
  if (stored.length < FILE_MAGIC.length + 1 || !stored.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC)) return null;
  const n = stored[FILE_MAGIC.length]!;
  const id = stored.subarray(FILE_MAGIC.length + 1, FILE_MAGIC.length + 1 + n).toString('ascii');
  return /^[A-Za-z0-9_-]{1,32}$/.test(id) && stored.length >= FILE_MAGIC.length + 1 + n + NONCE + TAG ? id : null;
}

function sealFile(bytes: Buffer, fileId: string, keyId: string, key: Buffer): Buffer {
  const header = fileHeader(keyId);
  const nonce = crypto.randomBytes(NONCE);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.concat([header, Buffer.from(fileId)]));
  const ct = Buffer.concat([cipher.update(bytes), cipher.final()]);
  return Buffer.concat([header, nonce, ct, cipher.getAuthTag()]);
}

function openFile(sealed: Buffer, fileId: string, keys: Map<string, Buffer>): Buffer {
  const keyId = fileKeyId(sealed);
  if (keyId === null) throw new Error(`pii: file ${fileId} is not a sealed file`);
  const key = keys.get(keyId);
  if (!key) throw new Error(`pii: file ${fileId} was sealed with key ${keyId}, which PII_KEYS does not hold`);
  const header = fileHeader(keyId);
  const nonce = sealed.subarray(header.length, header.length + NONCE);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.concat([header, Buffer.from(fileId)]));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(header.length + NONCE, sealed.length - TAG)),
      decipher.final(),
    ]);
  } catch {
    throw new Error(
      `pii: file ${fileId}, sealed with key ${keyId}, does not open with that key (another key under the same id, another file's bytes, or changed bytes)`,
    );
  }
}

// ---- encryption ------------------------------------------------------------------------------------------------------

export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && ENVELOPE.test(value);
}

/** The id of the key an envelope was made with, or null when the value is not one. */
export function envelopeKeyId(value: string): string | null {
  return ENVELOPE.exec(value)?.[1] ?? null;
}

function encrypt(plaintext: string, ring: KeyRing): string {
  const { id, key } = ring.keys[0]!;
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(`${PREFIX}.${id}`));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    PREFIX,
    id,
    nonce.toString('base64url'),
    ct.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

function decrypt(envelope: string, ring: KeyRing): string {
  const m = ENVELOPE.exec(envelope);
  if (!m) throw new Error('pii: not an encrypted value');
  const key = ring.keys.find((k) => k.id === m[1]);
  if (!key) throw new Error(`pii: value encrypted with key ${m[1]}, which PII_KEYS does not hold`);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key.key, Buffer.from(m[2]!, 'base64url'));
  decipher.setAAD(Buffer.from(`${PREFIX}.${key.id}`));
  decipher.setAuthTag(Buffer.from(m[4]!, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(m[3]!, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // GCM's own message ("Unsupported state or unable to authenticate data") tells an operator nothing.
    throw new Error(
      `pii: a value sealed with key ${key.id} does not open with the key PII_KEYS holds under that id (a different key given the same id, or the value was changed)`,
    );
  }
}

// ---- keyed hash (blind index) ---------------------------------------------------------------------------------------

/** ID numbers trimmed and upper-cased; a phone number as its one spelling (+86 138 0013 8000 → 13800138000). */
export function normalise(value: string, kind: PiiKind): string {
  const v = value.trim();
  if (kind === 'id_number') return v.toUpperCase();
  const [only] = findPersonalNumbers(v);
  return only && only.kind !== 'id_number' && only.text === v ? only.normalized : v.replace(/[\s-]/g, '');
}

function blindIndex(value: string, kind: PiiKind, ring: KeyRing): string {
  return crypto
    .createHmac('sha256', ring.hashKey)
    .update(`${kind}:${normalise(value, kind)}`)
    .digest('hex');
}

// ---- masking ---------------------------------------------------------------------------------------------------------

/** 320102199001011234 → 3201**********1234; 13951000001 → 139****0001. */
export function mask(value: string, kind: PiiKind): string {
  const v = kind === 'id_number' ? value.trim().toUpperCase() : value.trim();
  const [head, tail] = kind === 'id_number' ? [4, 4] : [3, 4];
  if (v.length <= head + tail) return '*'.repeat(v.length);
  return v.slice(0, head) + '*'.repeat(v.length - head - tail) + v.slice(-tail);
}

/** The kind of the personal number a string is, as a whole (a username typed as a phone number), or null. */
export function personalNumberKind(s: string): PiiKind | null {
  const v = s.trim();
  const found = findPersonalNumbers(v);
  if (found.length !== 1 || found[0]!.text !== v) return null;
  return found[0]!.kind === 'id_number' ? 'id_number' : 'phone';
}

/** Whether a string holds an ID or phone number anywhere in it. */
export function containsPiiText(s: string): boolean {
  if (HEX_DIGEST.test(s)) return false;
  return findPersonalNumbers(s).length > 0;
}

/** Masks every ID and phone number inside a string, leaving the rest of it as it is. */
export function maskText(s: string): string {
  if (HEX_DIGEST.test(s)) return s;
  return maskPersonalNumbers(s);
}

// ---- JSON documents (form data, profile attributes, case data, event data) ------------------------------------------

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mapStrings(v, f)]));
  }
  return value;
}

function someString(value: unknown, test: (s: string) => boolean): boolean {
  if (typeof value === 'string') return test(value);
  if (Array.isArray(value)) return value.some((v) => someString(v, test));
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return Object.values(value as Record<string, unknown>).some((v) => someString(v, test));
  return false;
}

/** What a record that holds no key (an audit row, the outbox) keeps of an encrypted string. */
export const SEALED_MARK = '[sealed]';

/**
 * A document for a record that outlives keys and is never re-encrypted (the audit log, the notification outbox):
 * plaintext numbers masked, and an encrypted string, which only a mistake would hand here, replaced by a mark
 * rather than opened, so that these writers need no key.
 */
export function maskForRecord<T>(value: T): T {
  return mapStrings(value, (s) => (isEnvelope(s) ? SEALED_MARK : maskText(s))) as T;
}

/** Whether a document holds an ID or phone number in plaintext. */
export function hasPlaintextPii(value: unknown): boolean {
  return someString(value, (s) => !isEnvelope(s) && containsPiiText(s));
}

/** Whether a document holds any encrypted value (a full-value read of it is audited). */
export function hasEnvelope(value: unknown): boolean {
  return someString(value, isEnvelope);
}

/** The JSON pointers of a document's encrypted strings: which fields a full-value read revealed. */
export function envelopePointers(value: unknown, at = ''): string[] {
  if (isEnvelope(value)) return [at || '/'];
  if (Array.isArray(value)) return value.flatMap((v, i) => envelopePointers(v, `${at}/${i}`));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      envelopePointers(v, `${at}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`),
    );
  }
  return [];
}
