// Pure rules of the SSO context: which redirect URIs a department system may register, what the real-name level
// (实名等级) of an account is, which claims each scope releases, and the client metadata oidc-provider reads.
import crypto from 'node:crypto';
import { SsoFieldErrors, type AuthMethod, type Scope } from '@onething/shared/sso';
import { fieldError, type FieldDef, type FieldError } from '@onething/shared/problem';

// The scopes and authentication methods a client may be registered with are the shared contract's.
export { AUTH_METHODS, SCOPES, type AuthMethod, type Scope } from '@onething/shared/sso';

/** Which claims each scope releases (to the ID token and to userinfo). */
export const SCOPE_CLAIMS: Record<Scope, string[]> = {
  openid: ['sub', 'real_name_level'],
  profile: ['name', 'preferred_username'],
  onething: ['account_kind', 'roles', 'department_code', 'jurisdiction', 'region_code'],
};

/**
 * The authentication context of a login (the `acr` claim): how the person proved who they are this time, with
 * the methods (`amr`, RFC 8176) behind it. Staff always add a one-time code (identity's LOGIN_OTP policy).
 */
export const ACR_PASSWORD = 'urn:onething:acr:password';
export const ACR_PASSWORD_OTP = 'urn:onething:acr:password+otp';
export const ACR_VALUES = [ACR_PASSWORD, ACR_PASSWORD_OTP] as const;

/** The acr and amr of a login from the methods identity reports for the session it issued. */
export function authContext(methods: readonly string[]): { acr: string; amr: string[] } {
  return methods.includes('otp') ? { acr: ACR_PASSWORD_OTP, amr: ['pwd', 'otp'] } : { acr: ACR_PASSWORD, amr: ['pwd'] };
}

/**
 * 实名等级, the `real_name_level` claim: how well the person behind the account is known (identity proofing),
 * independent of how they logged in this time (that is `acr`). After the levels of the national platform's
 * unified identity authentication:
 *   1 注册 — an account and a password; at most an ID number it claims and has not proved.
 *   2 实名 — the number is bound: the name matches the population register (一人一档) and the person entered the code
 *           sent to the phone on record there.
 *   3 实人 — verified in person: window staff saw the ID card. Staff accounts are opened by their department for an
 *           appointed official who shows up in person, so they are level 3.
 * Enterprises (and their agents acting for them) are not persons: their own accounts are level 1 here; an agent
 * signs in with their personal account and gets its level. Identity decides the level (realNameLevelOf).
 */
export type RealNameLevel = 1 | 2 | 3;

/** What the identity context tells other contexts about an account (IdentityService.accountClaims). */
export interface SsoAccount {
  id: string;
  kind: 'person' | 'enterprise' | 'staff';
  username: string;
  displayName: string;
  roles: string[];
  departmentCode: string | null;
  regionCode: string | null;
  /** Staff: the GB/T 2260 division (6, 9 or 12 digits) they serve, and everything below it. */
  jurisdiction: string | null;
  realNameLevel: RealNameLevel;
}

export function realNameLevel(account: Pick<SsoAccount, 'kind' | 'realNameLevel'>): RealNameLevel {
  if (account.kind === 'staff') return 3;
  return account.kind === 'person' ? account.realNameLevel : 1;
}

/** Every claim the account has; oidc-provider releases only those of the granted scopes (SCOPE_CLAIMS). */
export function accountClaims(account: SsoAccount): { sub: string } & Record<string, unknown> {
  return {
    sub: account.id,
    real_name_level: realNameLevel(account),
    name: account.displayName,
    preferred_username: account.username,
    account_kind: account.kind,
    roles: account.roles,
    // Staff: their department and jurisdiction (管辖范围), which a department system needs to scope what they see.
    ...(account.departmentCode ? { department_code: account.departmentCode } : {}),
    ...(account.jurisdiction ? { jurisdiction: account.jurisdiction } : {}),
    ...(account.regionCode ? { region_code: account.regionCode } : {}),
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a redirect URI may not be registered, or null when it may. Exact URIs only (oidc-provider compares them
 * exactly): https anywhere; plain http only to this machine, for development; no fragment and no credentials.
 */
export function redirectUriProblem(value: string): FieldDef | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return SsoFieldErrors.redirectUriNotAbsolute;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    return SsoFieldErrors.redirectUriInsecure;
  if (url.hash || value.includes('#')) return SsoFieldErrors.redirectUriFragment;
  if (url.username || url.password) return SsoFieldErrors.redirectUriCredentials;
  return null;
}

/** The parts of a registration (or of a change to one) whose form the domain checks. */
export interface ClientInput {
  redirectUris?: string[] | undefined;
  postLogoutRedirectUris?: string[] | undefined;
  scopes?: string[] | undefined;
}

/** Every problem of the URIs and scopes given, as field errors with JSON Pointers into the request body. */
export function clientInputProblems(input: ClientInput): FieldError[] {
  const errors: FieldError[] = [];
  const uris = (key: 'redirectUris' | 'postLogoutRedirectUris', list: string[]) => {
    list.forEach((uri, i) => {
      const p = redirectUriProblem(uri);
      if (p) errors.push(fieldError(`/${key}/${i}`, p));
    });
    if (new Set(list).size !== list.length) errors.push(fieldError(`/${key}`, SsoFieldErrors.duplicateUri));
  };
  uris('redirectUris', input.redirectUris ?? []);
  uris('postLogoutRedirectUris', input.postLogoutRedirectUris ?? []);
  if (input.scopes && !input.scopes.includes('openid'))
    errors.push(fieldError('/scopes', SsoFieldErrors.openidRequired));
  return errors;
}

/** A jurisdiction as staff jurisdictions are written: a GB/T 2260 code of 6 digits, or 9/12 below a county. */
export function isJurisdictionCode(value: string): boolean {
  return /^\d{6}(\d{3}(\d{3})?)?$/.test(value);
}

/** A registered client as the repository gives it. */
export interface ClientRecord {
  clientId: string;
  name: string;
  departmentCode: string | null;
  /** GB/T 2260: who manages the client (administrators whose jurisdiction contains it). */
  jurisdiction: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  authMethod: AuthMethod;
  secretSha256: string | null;
  scopes: string[];
  firstParty: boolean;
  createdBy: string | null;
  createdAt: Date;
}

/** The extra client metadata property that marks a first-party client inside oidc-provider. */
export const FIRST_PARTY = 'onething_first_party';

/**
 * The client as oidc-provider reads it. For confidential clients `client_secret` holds the SHA-256 of the secret,
 * never the secret: the provider's secret comparison is replaced (sso.provider.ts) to hash what the client sends.
 * That is safe only because no HMAC (HS*) or symmetric-encryption algorithm is enabled, which would use the
 * stored value as a key.
 */
export function providerMetadata(c: ClientRecord): Record<string, unknown> {
  return {
    client_id: c.clientId,
    client_name: c.name,
    redirect_uris: c.redirectUris,
    post_logout_redirect_uris: c.postLogoutRedirectUris,
    token_endpoint_auth_method: c.authMethod,
    ...(c.secretSha256 ? { client_secret: c.secretSha256 } : {}),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    scope: c.scopes.join(' '),
    [FIRST_PARTY]: c.firstParty,
  };
}

export function sha256Hex(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented client secret with the stored SHA-256. */
export function secretMatches(presented: string, storedSha256: string | undefined): boolean {
  if (!storedSha256 || !/^[0-9a-f]{64}$/.test(storedSha256)) return false;
  return crypto.timingSafeEqual(Buffer.from(sha256Hex(presented), 'hex'), Buffer.from(storedSha256, 'hex'));
}
