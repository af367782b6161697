// The only reader of process.env. One schema, parsed once at start-up; defaults are for development only.
import path from 'node:path';
import { z } from 'zod';
import { isLoopback, parseTrustedProxies } from './platform/net.ts';

const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The interface to listen on: loopback unless set (a proxy on the same machine, or development). */
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * The reverse proxies whose X-Forwarded-For names the client (addresses, CIDR ranges, "loopback"; "none"). The
   * client's address keys login lockouts and rate limits: behind a proxy not listed here every client would be
   * the proxy, and one guesser would lock everyone out; a header from any other peer is ignored. Default:
   * loopback, for nginx on the same machine (system-tests/nginx.conf.template).
   */
  TRUSTED_PROXIES: z
    .string()
    .default('loopback')
    .transform((v, ctx) => {
      const parsed = parseTrustedProxies(v);
      if ('entries' in parsed) return parsed.entries;
      ctx.addIssue({
        code: 'custom',
        message: `"${parsed.invalid}" is not an address, a CIDR range, loopback, linklocal, uniquelocal or none`,
      });
      return z.NEVER;
    }),
  /** PostgreSQL 15 connection string; when absent the embedded PGlite database in DATA_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  /** Where PGlite keeps its data and uploads are stored. */
  DATA_DIR: z.string().min(1).default('data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seed demo data (accounts, catalogue, calendar) into an empty database at start-up. */
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** With SEED_DEMO: a demo application in several states (seed.ts seedDemoApplications), once. */
  SEED_DEMO_APPLICATIONS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Session lifetime in hours. */
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /**
   * Whether the cookies the platform sets (the session's and the SSO provider's) are Secure. Unset: Secure when
   * PUBLIC_URL is https or NODE_ENV is production; false is refused there (loadConfig).
   */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** Largest request body in bytes (the catalogue import is the largest legitimate body). */
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(5 * 1024 * 1024),
  /** Run the job workers in this process. */
  JOBS_WORKERS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * The address people and department systems reach this server at (scheme, host, port; no path). The SSO
   * issuer is PUBLIC_URL + '/oidc'. An https address means a TLS-terminating proxy in front, whose
   * X-Forwarded-Proto the SSO provider then trusts.
   */
  PUBLIC_URL: z
    .string()
    .url()
    .default('http://localhost:3000')
    .transform((v) => v.replace(/\/+$/, ''))
    .refine((v) => {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.pathname === '/' && !u.search && !u.hash;
    }, 'an http(s) origin without path, e.g. https://onething.example.gov.cn'),
  /**
   * Seals the SSO signing and cookie keys in the database (AES-256-GCM); any long random string. Required in
   * production: a key stored in clear would let whoever holds a database copy or a backup sign ID tokens.
   * Unset elsewhere: stored in clear, for development.
   */
  SSO_KEY_ENCRYPTION_KEY: z.string().min(32).optional(),
  /**
   * Keys that encrypt ID and phone numbers and uploaded files at rest (AES-256-GCM): "keyId:base64key,…", each key
   * 32 random bytes (openssl rand -base64 32). The first encrypts; all decrypt, so an old key stays listed until
   * `onething pii rotate` has re-encrypted everything. Required in production; elsewhere a fixed development key.
   */
  PII_KEYS: z
    .string()
    .regex(
      /^\s*[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]+\s*(,\s*[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]+\s*)*$/,
      'keyId:base64key[,keyId:base64key…]',
    )
    .optional(),
  /** The key of the keyed hash (HMAC-SHA256) that finds ID and phone numbers: base64 of at least 32 bytes. Required in production. */
  PII_HASH_KEY: z.string().min(44).optional(),
  /**
   * Keys that authenticate the audit log (HMAC-SM3 over each row and each checkpoint; docs/adr/0021):
   * "keyId:base64key,…", each at least 32 random bytes (openssl rand -base64 32). The first signs; all verify, so
   * a replaced key stays listed while rows made with it are kept. Required in production; elsewhere a development
   * key derived from a published string is used (platform/audit-keys.ts), which authenticates nothing.
   */
  AUDIT_KEY: z
    .string()
    .regex(
      /^\s*[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]+\s*(,\s*[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]+\s*)*$/,
      'keyId:base64key[,keyId:base64key…]',
    )
    .optional(),
  /**
   * Abuse limits per account and minute, kept by each server instance in memory (with N instances an account
   * gets at most N times as many): submissions (POST /api/v1/applications, replays included) and uploads.
   */
  SUBMISSIONS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(10),
  UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Who needs a one-time code after the password: every account, staff (others may opt in), or nobody. */
  LOGIN_OTP: z.enum(['all', 'staff', 'off']).default('staff'),
  /**
   * Where one-time codes go. 'outbox': the notification outbox only, for an SMS relay to deliver. 'dev': also
   * readable at GET /api/v1/dev/otp (by loopback clients) and in the log; refused in production and when HOST is
   * not loopback. Default: 'dev' unless production.
   */
  OTP_DELIVERY: z.enum(['dev', 'outbox']).optional(),
  /** CLI only: a running server to talk to, and the administrator it logs in as. */
  ONETHING_SERVER: z.string().url().optional(),
  ONETHING_USER: z.string().min(1).optional(),
  ONETHING_PASSWORD: z.string().min(1).optional(),
});

export type Config = Omit<z.infer<typeof ConfigSchema>, 'OTP_DELIVERY' | 'COOKIE_SECURE'> & {
  OTP_DELIVERY: 'dev' | 'outbox';
  /** Resolved: true when set so, or when PUBLIC_URL is https or NODE_ENV is production. */
  COOKIE_SECURE: boolean;
  dataDir: string;
};

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const otpDelivery = parsed.data.OTP_DELIVERY ?? (parsed.data.NODE_ENV === 'production' ? 'outbox' : 'dev');
  if (otpDelivery === 'dev' && parsed.data.NODE_ENV === 'production') {
    throw new Error(
      'Invalid configuration:\n  OTP_DELIVERY: dev shows one-time codes to anyone; it is not allowed in production',
    );
  }
  if (otpDelivery === 'dev' && !isLoopback(parsed.data.HOST)) {
    throw new Error(
      `Invalid configuration:\n  OTP_DELIVERY: dev shows every one-time code (staff logins, consents) to whoever reaches the server, and HOST=${parsed.data.HOST} is not loopback. Unset HOST (127.0.0.1), or set OTP_DELIVERY=outbox`,
    );
  }
  if (parsed.data.NODE_ENV === 'production' && (!parsed.data.PII_KEYS || !parsed.data.PII_HASH_KEY)) {
    throw new Error(
      'Invalid configuration:\n  PII_KEYS, PII_HASH_KEY: required in production (personal data is encrypted at rest; see README)',
    );
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.SSO_KEY_ENCRYPTION_KEY) {
    throw new Error(
      'Invalid configuration:\n  SSO_KEY_ENCRYPTION_KEY: required in production (the SSO signing keys are sealed with it in the database; any random string of at least 32 characters, e.g. openssl rand -base64 32; see README)',
    );
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.AUDIT_KEY) {
    throw new Error(
      'Invalid configuration:\n  AUDIT_KEY: required in production (the audit log is authenticated with it; see docs/adr/0021)',
    );
  }
  // A Secure cookie is only sent back over https; an http address outside production (development) needs it off.
  const mustBeSecure = parsed.data.NODE_ENV === 'production' || new URL(parsed.data.PUBLIC_URL).protocol === 'https:';
  if (mustBeSecure && parsed.data.COOKIE_SECURE === false) {
    throw new Error(
      'Invalid configuration:\n  COOKIE_SECURE: false is not allowed when PUBLIC_URL is https or NODE_ENV=production (cookies must be Secure)',
    );
  }
  return {
    ...parsed.data,
    OTP_DELIVERY: otpDelivery,
    COOKIE_SECURE: parsed.data.COOKIE_SECURE ?? mustBeSecure,
    dataDir: path.resolve(parsed.data.DATA_DIR),
  };
}
