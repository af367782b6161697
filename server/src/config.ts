// The only reader of process.env. One schema, parsed once at start-up; defaults are for development only.
import path from 'node:path';
import { z } from 'zod';

const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
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
  /** Set behind TLS so that session cookies are Secure. */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
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
  /** Seals the SSO signing and cookie keys in the database (AES-256-GCM); any long random string. Unset: stored unsealed. */
  SSO_KEY_ENCRYPTION_KEY: z.string().min(32).optional(),
  /**
   * Keys that encrypt ID and phone numbers at rest (AES-256-GCM): "keyId:base64key,…", each key 32 random bytes
   * (openssl rand -base64 32). The first encrypts; all decrypt, so an old key stays listed until `onething pii
   * rotate` has re-encrypted everything. Required in production; elsewhere a fixed development key is used.
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
   * readable at GET /api/v1/dev/otp and in the log; refused in production. Default: 'dev' unless production.
   */
  OTP_DELIVERY: z.enum(['dev', 'outbox']).optional(),
  /** CLI only: a running server to talk to, and the administrator it logs in as. */
  ONETHING_SERVER: z.string().url().optional(),
  ONETHING_USER: z.string().min(1).optional(),
  ONETHING_PASSWORD: z.string().min(1).optional(),
});

export type Config = Omit<z.infer<typeof ConfigSchema>, 'OTP_DELIVERY'> & {
  OTP_DELIVERY: 'dev' | 'outbox';
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
  if (parsed.data.NODE_ENV === 'production' && (!parsed.data.PII_KEYS || !parsed.data.PII_HASH_KEY)) {
    throw new Error(
      'Invalid configuration:\n  PII_KEYS, PII_HASH_KEY: required in production (personal data is encrypted at rest; see README)',
    );
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.AUDIT_KEY) {
    throw new Error(
      'Invalid configuration:\n  AUDIT_KEY: required in production (the audit log is authenticated with it; see docs/adr/0021)',
    );
  }
  return { ...parsed.data, OTP_DELIVERY: otpDelivery, dataDir: path.resolve(parsed.data.DATA_DIR) };
}
