// Pure rules of identity: password and token hashing, one-time codes, the lockout thresholds, the password and
// name policies, masking. No I/O.
//
// scrypt (in Node's crypto, memory-hard) for passwords; random 256-bit opaque tokens for sessions, of which only a
// SHA-256 is stored, so a database leak yields no sessions.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { ProxyScope } from '@onething/shared/identity';
import type { LocalText } from '@onething/shared/problem';

const scrypt = promisify(crypto.scrypt) as (
  pw: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  len: number,
  opts: crypto.ScryptOptions,
) => Promise<Buffer>;

const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEYLEN, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, 'base64url');
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(saltB64, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return crypto.timingSafeEqual(key, expected);
}

/** A hash to verify against when the user does not exist, so that timing does not reveal usernames. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return decoy;
}

export function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

// ---- one-time codes ----------------------------------------------------------------------------------------------

export const OTP = { digits: 6, ttlMs: 5 * 60_000, maxAttempts: 5 } as const;

export function newOtpCode(): string {
  return String(crypto.randomInt(0, 10 ** OTP.digits)).padStart(OTP.digits, '0');
}

/** Bound to its challenge, so the same code in two challenges hashes differently. */
export function otpHash(challengeId: string, code: string): string {
  return crypto.createHash('sha256').update(`${challengeId}:${code}`).digest('hex');
}

export function otpMatches(challengeId: string, code: string, storedHash: string): boolean {
  const a = Buffer.from(otpHash(challengeId, code), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** LOGIN_OTP: who needs a one-time code after the password. */
export type OtpPolicy = 'all' | 'staff' | 'off';

/** Staff always under the default policy; persons when they asked for it; enterprises never log in themselves. */
export function needsOtp(
  policy: OtpPolicy,
  account: { kind: 'person' | 'enterprise' | 'staff'; loginOtp: boolean },
): boolean {
  if (policy === 'off') return false;
  if (policy === 'all') return true;
  return account.kind === 'staff' || account.loginOtp;
}

// ---- lockout and rate limits -----------------------------------------------------------------------------------------

/**
 * Failed passwords and codes lock a username after 5 within 15 minutes (counted since its last successful login),
 * and an address after 20; a lock lasts 15 minutes. Any address may start at most 60 login steps a minute. A lock
 * on a username is also a way to keep its owner out for a while: the price of stopping password guessing, kept
 * short, and staff have the address lock and the one-time code besides.
 */
export const LIMITS = {
  user: { failures: 5, windowMinutes: 15, lockMinutes: 15 },
  ip: { failures: 20, windowMinutes: 15, lockMinutes: 15 },
  stepsPerIpPerMinute: 60,
  registrationsPerIpPerHour: 20,
} as const;

// ---- policies ---------------------------------------------------------------------------------------------------------

export interface Problem {
  code: string;
  detail: LocalText;
}

/** Usernames people choose: lower-case, starting with a letter, so they never look like an ID number or a credit code. */
export const USERNAME = /^[a-z][a-z0-9._-]{2,39}$/;

export function passwordProblems(password: string, username: string): Problem[] {
  const out: Problem[] = [];
  if ([...password].length < 10)
    out.push({
      code: 'identity.password_too_short',
      detail: { zh: '密码至少 10 个字符', en: 'at least 10 characters' },
    });
  if (password.trim().toLowerCase() === username.trim().toLowerCase())
    out.push({
      code: 'identity.password_is_username',
      detail: { zh: '密码不能与用户名相同', en: 'must not be the username' },
    });
  if (/^(.)\1*$/u.test(password))
    out.push({
      code: 'identity.password_repetitive',
      detail: { zh: '密码不能由同一个字符组成', en: 'must not be one character repeated' },
    });
  return out;
}

/** A real name as on the ID card: Chinese or Latin letters, with the middle dot of minority and foreign names. */
export function isRealName(name: string): boolean {
  return /^[\p{Script=Han}\p{L}·• .'-]{2,40}$/u.test(name) && /\p{L}/u.test(name);
}

export const PHONE = /^1[3-9]\d{9}$/;

/** '13951000001' → '139****0001'. */
export function maskPhone(phone: string): string {
  return phone.length >= 7
    ? `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`
    : '*'.repeat(phone.length);
}

// ---- proxies ----------------------------------------------------------------------------------------------------------

/**
 * How long a proxy lasts unless told, and at most, in hours. A window consent covers the visit: the clerk acts
 * while the person is there (a later visit records a new one). A family proxy is renewed every few years.
 */
export const PROXY_HOURS = {
  window_consent: { byDefault: 4, max: 8 },
  family: { byDefault: 24, max: 3 * 366 * 24 },
} as const;

/** A code that confirms a window consent: read out by the person at the window, so minutes, once, five tries. */
export const CONSENT_CODE = { ttlMs: 10 * 60_000, maxAttempts: 5, perPersonPerHour: 5 } as const;

/**
 * The jurisdiction a window consent is checked against. A person's region is known to the county only (the ID
 * number's first six digits, or the county given at registration), so the staff of a township or village
 * service centre (9 or 12 digits) reach the persons of its county.
 */
export function consentJurisdiction(jurisdiction: string | null): string | null {
  return jurisdiction && jurisdiction.length > 6 ? jurisdiction.slice(0, 6) : jurisdiction;
}

export type { ProxyScope };

export function scopeBundles(scope: ProxyScope): string[] | null {
  return 'bundles' in scope ? scope.bundles : null;
}

// ---- identity proofing ----------------------------------------------------------------------------------------------

/**
 * 实名等级 as other contexts see it: a person's proofing level (1 registered, 2 register name and phone on record,
 * 3 seen in person with the ID card); staff are appointed officials who showed up in person (3); enterprises are
 * not persons (1: an agent signs in with their own account and its level).
 */
export function realNameLevelOf(account: {
  kind: 'person' | 'enterprise' | 'staff';
  realNameLevel: number;
}): 1 | 2 | 3 {
  if (account.kind === 'staff') return 3;
  if (account.kind === 'person' && (account.realNameLevel === 2 || account.realNameLevel === 3))
    return account.realNameLevel;
  return 1;
}

/** A name as written on an ID card or in a register, for comparison: NFKC, spaces gone, one kind of middle dot. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\s\u00a0]+/g, '')
    .replace(/[·•・‧.]/g, '·');
}

export function isSameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}

/** An enterprise name for comparison: NFKC (full-width brackets and letters become half-width), no spaces. */
export function isSameEnterpriseName(a: string, b: string): boolean {
  const key = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
  return key(a) === key(b);
}

/** Proofing codes an account may be sent a day: each one is an SMS to someone's phone on record. */
export const PROOFING = { codesPerAccountPerDay: 5 } as const;

/**
 * What a proofing code is hashed from when it must never match (no register entry, another name, a number
 * another account holds): not six digits, so no code typed can hit it, yet stored and checked like any other.
 */
export function unusableOtpCode(): string {
  return `unusable:${crypto.randomBytes(16).toString('hex')}`;
}
