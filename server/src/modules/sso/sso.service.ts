// The SSO context's use cases: administrators register, read, change and remove department systems (clients)
// within their jurisdiction; the login page authenticates through the identity context; the provider reads the
// claims of an account and the metadata of a client.
import crypto from 'node:crypto';
import type { z } from 'zod';
import { SsoErrors, SsoFieldErrors } from '@onething/shared/sso';
import type { Client, ClientBody, ClientPatchBody, RegisteredClient } from '@onething/shared/sso';
import { fieldError, type FieldError } from '@onething/shared/problem';
import type { Database, Executor } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import { authorize, isProvinceWide, isWithinJurisdiction, type Principal } from '../../platform/auth.ts';
import { bindService, type RequestContext } from '../../platform/request-context.ts';
import type { IdentityService, LoginContext } from '../identity/index.ts';
import { validateDivision } from '../identifiers/index.ts';
import {
  accountClaims,
  authContext,
  clientInputProblems,
  isJurisdictionCode,
  providerMetadata,
  sha256Hex,
  type ClientRecord,
} from './sso.domain.ts';
import * as repo from './sso.repository.ts';

export interface SsoServiceDeps {
  db: Database;
  identity: IdentityService;
}

/** A registration as the route parsed it, defaults filled in. */
export type ClientRegistration = z.output<typeof ClientBody>;
export type ClientChange = z.output<typeof ClientPatchBody>;

function toView(c: ClientRecord): Client {
  return {
    clientId: c.clientId,
    name: c.name,
    departmentCode: c.departmentCode,
    jurisdiction: c.jurisdiction,
    redirectUris: c.redirectUris,
    postLogoutRedirectUris: c.postLogoutRedirectUris,
    authMethod: c.authMethod,
    scopes: c.scopes,
    firstParty: c.firstParty,
    createdAt: c.createdAt.toISOString(),
  };
}

/** Where a login at the provider stands after a step. */
export type LoginOutcome =
  | { next: 'done'; accountId: string; acr: string; amr: string[] }
  | { next: 'otp'; challengeId: string; destination: string; devCode?: string };

// ---- who manages which client ----------------------------------------------------------------------------------

/**
 * Which systems may sign accounts in is account administration (accounts.manage, jurisdiction-scoped): an
 * administrator manages the clients whose jurisdiction lies within theirs. A first-party client signs people in
 * without asking them, so only an administrator of the whole province manages one: a city administrator could
 * otherwise point one at any callback and receive, silently, the ID token of anyone signed in at the provider.
 */
function manages(p: Principal, c: Pick<ClientRecord, 'jurisdiction' | 'firstParty'>): boolean {
  return (
    authorize(p, 'accounts.manage', { regionCode: c.jurisdiction }) && (!c.firstParty || isProvinceWide(p.jurisdiction))
  );
}

/** The client if the caller manages it; another jurisdiction's (or, for a city, a first-party one) is a 404. */
async function getManaged(ex: Executor, p: Principal, clientId: string, lock: boolean): Promise<ClientRecord> {
  const c = lock ? await repo.lockClient(ex, clientId) : await repo.findClient(ex, clientId);
  if (!c || !manages(p, c)) throw new AppError(SsoErrors.clientNotFound, { clientId });
  return c;
}

interface Placement {
  departmentCode: string | null;
  jurisdiction: string;
  firstParty: boolean;
}

/**
 * Checks where a client is to belong, as registered or changed: the jurisdiction's form (422), the department and
 * that the jurisdiction lies within its region (422), then that the caller manages the department, the
 * jurisdiction and a first-party client (403, naming the field). `given` says which fields the request named, so
 * that a refusal points at what the caller sent.
 */
async function checkPlacement(
  ex: Executor,
  p: Principal,
  to: Placement,
  given: { jurisdiction: boolean; departmentCode: boolean; firstParty: boolean },
): Promise<void> {
  const problems: FieldError[] = [];
  if (given.jurisdiction) {
    if (!isJurisdictionCode(to.jurisdiction))
      problems.push(fieldError('/jurisdiction', SsoFieldErrors.jurisdictionInvalid));
    // Township and village parts are not in the GB/T 2260 data we ship: only their county is checked.
    else if (!validateDivision(to.jurisdiction.slice(0, 6)).valid)
      problems.push(fieldError('/jurisdiction', SsoFieldErrors.jurisdictionUnknown));
  }
  if (problems.length) throw new AppError(SsoErrors.invalidClient, {}, problems);
  const region = to.departmentCode ? await repo.departmentRegion(ex, to.departmentCode) : undefined;
  if (to.departmentCode && !region)
    throw new AppError(SsoErrors.departmentNotFound, { code: to.departmentCode }, [
      fieldError('/departmentCode', SsoFieldErrors.departmentUnknown),
    ]);
  if (region && !isWithinJurisdiction(to.jurisdiction, region))
    throw new AppError(SsoErrors.invalidClient, {}, [
      fieldError(
        given.jurisdiction ? '/jurisdiction' : '/departmentCode',
        SsoFieldErrors.jurisdictionOutsideDepartment,
      ),
    ]);
  if (region && !authorize(p, 'accounts.manage', { regionCode: region }))
    throw new AppError(SsoErrors.outsideJurisdiction, {}, [
      fieldError('/departmentCode', SsoFieldErrors.departmentOutsideJurisdiction),
    ]);
  if (!authorize(p, 'accounts.manage', { regionCode: to.jurisdiction }))
    throw new AppError(SsoErrors.outsideJurisdiction, {}, [
      fieldError(given.jurisdiction ? '/jurisdiction' : '/departmentCode', SsoFieldErrors.outsideJurisdiction),
    ]);
  if (to.firstParty && !isProvinceWide(p.jurisdiction))
    throw new AppError(SsoErrors.firstPartyProvinceOnly, {}, [
      fieldError('/firstParty', SsoFieldErrors.firstPartyProvinceOnly),
    ]);
}

// ---- the registry -----------------------------------------------------------------------------------------------

/** Registers a department system. The secret of a confidential client is in this answer and nowhere else. */
export async function registerClient(
  deps: SsoServiceDeps,
  c: RequestContext,
  input: ClientRegistration,
): Promise<RegisteredClient> {
  const problems = clientInputProblems(input);
  if (problems.length) throw new AppError(SsoErrors.invalidClient, {}, problems);
  const p = c.principal;
  const region = await repo.departmentRegion(deps.db, input.departmentCode);
  const placement: Placement = {
    departmentCode: input.departmentCode,
    // Unless said otherwise, a system serves its department's region.
    jurisdiction: input.jurisdiction ?? region ?? '',
    firstParty: input.firstParty,
  };
  await checkPlacement(deps.db, p, placement, {
    jurisdiction: input.jurisdiction !== undefined,
    departmentCode: true,
    firstParty: input.firstParty,
  });
  const clientId = `ot-${crypto.randomBytes(12).toString('base64url')}`;
  const clientSecret = input.authMethod === 'none' ? undefined : crypto.randomBytes(32).toString('base64url');
  const record: Omit<ClientRecord, 'createdAt'> = {
    clientId,
    name: input.name,
    ...placement,
    redirectUris: input.redirectUris,
    postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
    authMethod: input.authMethod,
    secretSha256: clientSecret ? sha256Hex(clientSecret) : null,
    scopes: [...new Set(input.scopes)],
    createdBy: p.accountId,
  };
  await deps.db.transaction(async (tx) => {
    await repo.insertClient(tx, record);
    const { secretSha256: _secret, ...audited } = record;
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'sso.client_registered',
      subjectType: 'sso_client',
      subjectId: clientId,
      data: audited,
      requestId: c.requestId,
    });
  });
  const view = toView({ ...record, createdAt: new Date() });
  return clientSecret ? { ...view, clientSecret } : view;
}

/** The clients the caller manages (a handful per jurisdiction, so filtered here by the one rule). */
export async function listClients(deps: SsoServiceDeps, c: RequestContext): Promise<Client[]> {
  return (await repo.listClients(deps.db)).filter((x) => manages(c.principal, x)).map(toView);
}

export async function getClient(deps: SsoServiceDeps, c: RequestContext, clientId: string): Promise<Client> {
  return toView(await getManaged(deps.db, c.principal, clientId, false));
}

/**
 * Changes a client within the caller's jurisdiction. When it stops being first-party or loses scopes, what the
 * provider issued under the old terms (grants made without consent, tokens with the broader scopes) is revoked.
 */
export async function updateClient(
  deps: SsoServiceDeps,
  c: RequestContext,
  clientId: string,
  change: ClientChange,
): Promise<Client> {
  const problems = clientInputProblems(change);
  if (problems.length) throw new AppError(SsoErrors.invalidClient, {}, problems);
  const p = c.principal;
  return deps.db.transaction(async (tx) => {
    const before = await getManaged(tx, p, clientId, true);
    const after: repo.ClientChanges = {
      name: change.name ?? before.name,
      departmentCode: change.departmentCode ?? before.departmentCode,
      jurisdiction: change.jurisdiction ?? before.jurisdiction,
      redirectUris: change.redirectUris ?? before.redirectUris,
      postLogoutRedirectUris: change.postLogoutRedirectUris ?? before.postLogoutRedirectUris,
      scopes: change.scopes ? [...new Set(change.scopes)] : before.scopes,
      firstParty: change.firstParty ?? before.firstParty,
    };
    await checkPlacement(tx, p, after, {
      jurisdiction: change.jurisdiction !== undefined,
      departmentCode: change.departmentCode !== undefined,
      firstParty: change.firstParty !== undefined,
    });
    const narrowed = (before.firstParty && !after.firstParty) || before.scopes.some((s) => !after.scopes.includes(s));
    await repo.updateClient(tx, clientId, after);
    const revoked = narrowed ? await repo.revokeIssuedTo(tx, clientId) : 0;
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'sso.client_changed',
      subjectType: 'sso_client',
      subjectId: clientId,
      data: { changed: Object.keys(change), ...after, ...(narrowed ? { revokedIssued: revoked } : {}) },
      requestId: c.requestId,
    });
    return toView({ ...before, ...after });
  });
}

/** Removes a client; its codes, tokens and grants go with it, so a removed system signs nobody in. */
export async function deleteClient(deps: SsoServiceDeps, c: RequestContext, clientId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await getManaged(tx, c.principal, clientId, true);
    await repo.deleteClient(tx, clientId);
    await recordAudit(tx, {
      actorId: c.principal.accountId,
      action: 'sso.client_deleted',
      subjectType: 'sso_client',
      subjectId: clientId,
      requestId: c.requestId,
    });
  });
}

/** The client as oidc-provider reads it, or nothing for an unknown id. */
export async function clientMetadata(
  deps: SsoServiceDeps,
  clientId: string,
): Promise<Record<string, unknown> | undefined> {
  const c = await repo.findClient(deps.db, clientId);
  return c ? providerMetadata(c) : undefined;
}

// ---- signing in at the provider ---------------------------------------------------------------------------------

/**
 * The password step of a login at the provider, through the identity context (its lockout, rate limits and
 * one-time code policy apply as they do to the platform's own login). Identity answers with a platform session
 * or a challenge; the session is ended at once, since the person signs in to the provider (its own cookie), not
 * to the platform's API.
 */
export async function beginLogin(
  deps: SsoServiceDeps,
  username: string,
  password: string,
  c: LoginContext,
): Promise<LoginOutcome> {
  const step = await deps.identity.beginLogin(username, password, c);
  if (step.next === 'otp')
    return {
      next: 'otp',
      challengeId: step.challenge.id,
      destination: step.challenge.destination,
      ...(step.devCode ? { devCode: step.devCode } : {}),
    };
  await deps.identity.logout(step.token);
  return { next: 'done', accountId: step.principal.accountId, ...authContext(['password']) };
}

/** The one-time code step; identity counts wrong codes and locks as it does for its own login. */
export async function verifyOtp(
  deps: SsoServiceDeps,
  challengeId: string,
  code: string,
  c: LoginContext,
): Promise<LoginOutcome> {
  const issued = await deps.identity.verifyOtp(challengeId, code, c);
  await deps.identity.logout(issued.token);
  return { next: 'done', accountId: issued.principal.accountId, ...authContext(['password', 'otp']) };
}

export async function recordLogin(
  deps: SsoServiceDeps,
  accountId: string,
  clientId: string,
  acr: string,
  requestId: string,
): Promise<void> {
  await recordAudit(deps.db, {
    actorId: accountId,
    action: 'sso.login',
    subjectType: 'account',
    subjectId: accountId,
    data: { clientId, acr },
    requestId,
  });
}

/** The claims of an account, or nothing when it does not exist or is disabled (its tokens then stop working). */
export async function claimsOf(deps: SsoServiceDeps, accountId: string) {
  const account = await deps.identity.accountClaims(accountId);
  return account ? accountClaims(account) : undefined;
}

export function createSsoService(deps: SsoServiceDeps) {
  return bindService(deps, {
    registerClient,
    listClients,
    getClient,
    updateClient,
    deleteClient,
    clientMetadata,
    beginLogin,
    verifyOtp,
    recordLogin,
    claimsOf,
  });
}

export type SsoService = ReturnType<typeof createSsoService>;
