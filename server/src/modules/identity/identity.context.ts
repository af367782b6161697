// What the identity service's functions are given (ADR 0019): its settings, the database, the clock, the sealer
// of the accounts' numbers and the role → permissions table it reads through; and where an unauthenticated
// request (a login step, a registration) comes from. A file of its own so that the parts (accounts, proxies) and
// the service that joins them do not import each other.
import type { Database } from '../../platform/db.ts';
import type { Permission } from '../../platform/auth.ts';
import type { PiiSealer } from '../../platform/pii.ts';
import type { OtpPolicy } from './identity.domain.ts';

export interface IdentityOptions {
  sessionTtlHours: number;
  /** LOGIN_OTP: who needs a one-time code after the password. */
  loginOtp: OtpPolicy;
  /** 'dev': codes stay readable through GET /api/v1/dev/otp (never in production); 'outbox': a delivery relay sends them. */
  otpDelivery: 'dev' | 'outbox';
}

/**
 * Where a request without a session comes from: what rate limits and audit rows need. Authenticated requests
 * carry a RequestContext (platform/request-context.ts) instead.
 */
export interface LoginContext {
  ip: string;
  requestId: string;
  userAgent?: string | null | undefined;
}

/** The dependencies of every identity function. */
export interface IdentityDeps {
  db: Database;
  /** Encrypts, opens and hashes the accounts' ID and phone numbers (platform/pii.ts). */
  pii: PiiSealer;
  options: IdentityOptions;
  now(): Date;
  /** The permissions of a set of roles, from role_permissions (kept a minute: identity.service.ts). */
  permissionsOf(roles: readonly string[]): Promise<Permission[]>;
}
