// What the identity service's parts share: its settings, where a request comes from, the database and clock
// they work on and the sealer of the accounts' numbers. A file of its own so that the parts (accounts, proxies)
// and the service that joins them do not import each other.
import type { Database } from '../../platform/db.ts';
import type { PiiSealer } from '../../platform/pii.ts';
import type { OtpPolicy } from './identity.domain.ts';

export interface IdentityOptions {
  sessionTtlHours: number;
  /** LOGIN_OTP: who needs a one-time code after the password. */
  loginOtp: OtpPolicy;
  /** 'dev': codes stay readable through GET /api/v1/dev/otp (never in production); 'outbox': a delivery relay sends them. */
  otpDelivery: 'dev' | 'outbox';
}

/** Where a request comes from: what rate limits and audit rows need. */
export interface RequestContext {
  ip: string;
  requestId: string;
  userAgent?: string | null | undefined;
}

/** Shared by the identity service's parts. */
export interface IdentityContext {
  db: Database;
  /** Encrypts, opens and hashes the accounts' ID and phone numbers (platform/pii.ts). */
  pii: PiiSealer;
  options: IdentityOptions;
  now(): Date;
}
