// The console's editor of a department system (an OpenID Connect client), as pure functions over the admin API's
// shapes (ADR 0016): the form's values from a client, the registration and the change they make. The server
// decides who may manage which client (its jurisdiction; first-party ones the province's, ADR 0020); the page only
// says so beforehand.
import type { AuthMethod, Client, ClientBody, ClientPatchBody, Scope } from '@onething/shared/sso';

/** What the dialog edits; the URI lists are one address per line. */
export interface ClientValues {
  name: string;
  departmentCode: string | null;
  /** Empty: the department's region (the server's default). */
  jurisdiction: string;
  redirectUris: string;
  postLogoutRedirectUris: string;
  authMethod: AuthMethod;
  scopes: Scope[];
  firstParty: boolean;
}

export const NEW_CLIENT: ClientValues = {
  name: '',
  departmentCode: null,
  jurisdiction: '',
  redirectUris: '',
  postLogoutRedirectUris: '',
  authMethod: 'client_secret_basic',
  scopes: ['openid', 'profile'],
  firstParty: false,
};

/** The form's fields, by the names the server's field errors point at (/redirectUris/1 → redirectUris). */
export const CLIENT_FIELDS = [
  'name',
  'departmentCode',
  'jurisdiction',
  'redirectUris',
  'postLogoutRedirectUris',
  'authMethod',
  'scopes',
  'firstParty',
];

/** One address per line; blank lines and surrounding spaces do not count. */
export function parseUris(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export function clientValues(c: Client): ClientValues {
  return {
    name: c.name,
    departmentCode: c.departmentCode,
    jurisdiction: c.jurisdiction,
    redirectUris: c.redirectUris.join('\n'),
    postLogoutRedirectUris: c.postLogoutRedirectUris.join('\n'),
    authMethod: c.authMethod,
    scopes: c.scopes.filter((s): s is Scope => ['openid', 'profile', 'onething'].includes(s)),
    firstParty: c.firstParty,
  };
}

export function registration(v: ClientValues): ClientBody {
  const jurisdiction = v.jurisdiction.trim();
  return {
    name: v.name.trim(),
    departmentCode: v.departmentCode ?? '',
    ...(jurisdiction ? { jurisdiction } : {}),
    redirectUris: parseUris(v.redirectUris),
    postLogoutRedirectUris: parseUris(v.postLogoutRedirectUris),
    authMethod: v.authMethod,
    scopes: v.scopes,
    firstParty: v.firstParty,
  };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: readonly string[], b: readonly string[]) => sameList([...a].sort(), [...b].sort());

/** Only what the values change of the client (nothing: an empty change, which the dialog does not send). */
export function clientChanges(c: Client, v: ClientValues): ClientPatchBody {
  const change: ClientPatchBody = {};
  const name = v.name.trim();
  if (name !== c.name) change.name = name;
  if (v.departmentCode && v.departmentCode !== c.departmentCode) change.departmentCode = v.departmentCode;
  const jurisdiction = v.jurisdiction.trim();
  if (jurisdiction && jurisdiction !== c.jurisdiction) change.jurisdiction = jurisdiction;
  const redirectUris = parseUris(v.redirectUris);
  if (!sameList(redirectUris, c.redirectUris)) change.redirectUris = redirectUris;
  const postLogout = parseUris(v.postLogoutRedirectUris);
  if (!sameList(postLogout, c.postLogoutRedirectUris)) change.postLogoutRedirectUris = postLogout;
  if (!sameSet(v.scopes, c.scopes)) change.scopes = v.scopes;
  if (v.firstParty !== c.firstParty) change.firstParty = v.firstParty;
  return change;
}

/**
 * Whether a change revokes what the client was issued (the server does so when it stops being first-party or
 * loses a scope): the dialog warns before saving.
 */
export function revokesIssued(c: Client, change: ClientPatchBody): boolean {
  const lostScope = change.scopes !== undefined && c.scopes.some((s) => !change.scopes!.includes(s as Scope));
  return (c.firstParty && change.firstParty === false) || lostScope;
}

/**
 * Whether the administrator's jurisdiction is a whole province (a 6-digit code ending in 0000), the only ones who
 * register and manage first-party clients. The server's rule (platform/auth.ts isProvinceWide); here only to
 * explain beforehand why the switch is off.
 */
export function isProvinceLevel(jurisdiction: string | null | undefined): boolean {
  return !!jurisdiction && /^\d{2}0000$/.test(jurisdiction.trim());
}
