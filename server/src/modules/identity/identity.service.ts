// Identity: login with a password and, where policy asks, a one-time code sent through the notification outbox;
// lockout and rate limits counted in the database; sessions (bearer tokens and HttpOnly cookies) that act for the
// person, an enterprise they are an agent of, or a person who granted them a proxy; the principal each request
// carries. Accounts, enterprises and staff are in identity.accounts.ts, proxies in identity.proxies.ts. Each
// operation is a function over IdentityDeps; createIdentityService binds them (ADR 0019).
import crypto from 'node:crypto';
import type { Me } from '@onething/shared/identity';
import type { Database, Executor } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import { PERMISSIONS, type Acting, type Permission, type Principal, type Role } from '../../platform/auth.ts';
import type { PiiSealer } from '../../platform/pii.ts';
import { bindService, type RequestContext } from '../../platform/request-context.ts';
import { maskIdNumber } from '../identifiers/index.ts';
import { notify } from '../notifications/index.ts';
import {
  LIMITS,
  OTP,
  decoyHash,
  hashToken,
  maskPhone,
  needsOtp,
  newOtpCode,
  newSessionToken,
  otpHash,
  otpMatches,
  realNameLevelOf,
  verifyPassword,
} from './identity.domain.ts';
import * as repo from './identity.repository.ts';
import * as accounts from './identity.accounts.ts';
import * as proxies from './identity.proxies.ts';
import * as proofing from './identity.proofing.ts';
import * as registers from './identity.registers.ts';
import type { IdentityDeps, IdentityOptions, LoginContext } from './identity.context.ts';
import { CommonErrors } from '@onething/shared/problem';
import { IdentityErrors } from '@onething/shared/identity';

export type { IdentityDeps, IdentityOptions, LoginContext } from './identity.context.ts';

export interface Challenge {
  id: string;
  method: 'sms';
  /** The masked phone number the code went to. */
  destination: string;
  expiresAt: string;
}

export interface SessionIssued {
  token: string;
  expiresAt: Date;
  principal: Omit<Principal, 'via'>;
}

export type LoginStep =
  | ({ next: 'session' } & SessionIssued)
  | { next: 'otp'; challenge: Challenge /** Only with the development sink: the route logs it. */; devCode?: string };

const MINUTE = 60_000;

/** Role → permissions, read from role_permissions and kept a minute: a change to the table takes effect within it. */
function rolePermissionCache(db: Database, now: () => Date) {
  let loaded: { at: number; table: Map<string, Permission[]> } | undefined;
  return async (roles: readonly string[]): Promise<Permission[]> => {
    if (!loaded || now().getTime() - loaded.at > MINUTE) {
      const table = new Map<string, Permission[]>();
      for (const { role, permission } of await repo.rolePermissionTable(db)) {
        if (!(permission in PERMISSIONS)) continue; // a permission the code does not know grants nothing
        table.set(role, [...(table.get(role) ?? []), permission as Permission]);
      }
      loaded = { at: now().getTime(), table };
    }
    return [...new Set(roles.flatMap((r) => loaded!.table.get(r) ?? []))].sort();
  };
}

/** The principal of a live session: whom it acts for as the authorisations stand now, and what it may do. */
export async function buildPrincipal(
  deps: IdentityDeps,
  ex: Executor,
  s: repo.LiveSession,
  sessionKey: string,
): Promise<Omit<Principal, 'via'>> {
  const { pii } = deps;
  const a = s.account;
  let acting: Acting | null = null;
  let roles: Role[] = s.roles;
  if (s.actingKind === 'enterprise' && s.actingSubjectId) {
    const agency = await repo.liveAgency(ex, s.actingSubjectId, a.id);
    const name = agency?.enterpriseName ?? (await repo.findAccountById(ex, pii, s.actingSubjectId))?.displayName ?? '';
    acting = {
      kind: 'enterprise',
      subjectId: s.actingSubjectId,
      displayName: name,
      proxyId: null,
      proxyKind: null,
      bundles: null,
      ended: agency ? null : 'revoked',
    };
    roles = ['enterprise_agent'];
  } else if (s.actingKind === 'proxy' && s.actingSubjectId && s.proxyId) {
    const proxy = await repo.findProxy(ex, pii, s.proxyId);
    const grantor = await repo.findAccountById(ex, pii, s.actingSubjectId);
    const at = deps.now();
    const ended =
      !proxy || proxy.revokedAt || !grantor || grantor.disabled ? 'revoked' : proxy.validUntil <= at ? 'expired' : null;
    acting = {
      kind: 'proxy',
      subjectId: s.actingSubjectId,
      displayName: grantor?.displayName ?? '',
      proxyId: s.proxyId,
      proxyKind: proxy?.kind ?? null,
      bundles: proxy && 'bundles' in proxy.scope ? proxy.scope.bundles : null,
      ended,
    };
    roles = ['applicant'];
  }
  let permissions = acting?.ended ? [] : await deps.permissionsOf(roles);
  // Acting for a person passes on only what the person could delegate: applying, not granting further proxies.
  if (acting?.kind === 'proxy') permissions = permissions.filter((p) => PERMISSIONS[p].delegable);
  return {
    accountId: a.id,
    subjectId: acting?.subjectId ?? a.id,
    acting,
    sessionKey,
    kind: a.kind,
    username: a.username,
    displayName: a.displayName,
    roles,
    accountRoles: s.roles,
    permissions,
    departmentCode: a.departmentCode,
    regionCode: a.regionCode?.trim() ?? null,
    jurisdiction: a.jurisdiction,
  };
}

export async function resolveSession(deps: IdentityDeps, token: string): Promise<Omit<Principal, 'via'> | null> {
  const key = hashToken(token);
  const s = await repo.findLiveSession(deps.db, deps.pii, key, deps.now());
  return s ? buildPrincipal(deps, deps.db, s, key) : null;
}

// ---- counting and locking ----

/** Refuses a login step from an address that sends too many, or for a username or address that is locked. */
async function guard(deps: IdentityDeps, username: string | null, c: LoginContext, at: Date): Promise<void> {
  const { db, pii } = deps;
  if ((await repo.stepsOfIp(db, c.ip, new Date(at.getTime() - MINUTE))) >= LIMITS.stepsPerIpPerMinute) {
    await repo.recordAttempt(db, pii, {
      at,
      username: username ?? '',
      accountId: null,
      ip: c.ip,
      outcome: 'rate_limited',
    });
    throw new AppError(CommonErrors.rateLimited);
  }
  const until = await repo.lockedUntil(db, pii, [...(username !== null ? [`user:${username}`] : []), `ip:${c.ip}`], at);
  if (until) {
    await repo.recordAttempt(db, pii, { at, username: username ?? '', accountId: null, ip: c.ip, outcome: 'locked' });
    throw new AppError(IdentityErrors.locked, {
      minutes: Math.max(1, Math.ceil((until.getTime() - at.getTime()) / MINUTE)),
    });
  }
}

/** Counts a failed step against the username and the address, and locks either when it crosses its threshold. */
async function failed(
  deps: IdentityDeps,
  username: string,
  account: repo.AccountRow | undefined,
  c: LoginContext,
  outcome: 'password_failed' | 'otp_failed',
  at: Date,
): Promise<void> {
  const { pii } = deps;
  await deps.db.transaction(async (tx) => {
    await repo.recordAttempt(tx, pii, { at, username, accountId: account?.id ?? null, ip: c.ip, outcome });
    if (account) {
      await recordAudit(tx, {
        actorId: account.id,
        action: outcome === 'otp_failed' ? 'identity.otp_failed' : 'identity.login_failed',
        subjectType: 'account',
        subjectId: account.id,
        data: { ip: c.ip },
        requestId: c.requestId,
      });
    }
    const userWindow = new Date(at.getTime() - LIMITS.user.windowMinutes * MINUTE);
    if (username && (await repo.failuresOfUsername(tx, pii, username, userWindow)) >= LIMITS.user.failures) {
      await repo.lock(tx, pii, `user:${username}`, new Date(at.getTime() + LIMITS.user.lockMinutes * MINUTE), at);
      if (account)
        await recordAudit(tx, {
          actorId: null,
          action: 'identity.locked',
          subjectType: 'account',
          subjectId: account.id,
          data: { minutes: LIMITS.user.lockMinutes },
          requestId: c.requestId,
        });
    }
    const ipWindow = new Date(at.getTime() - LIMITS.ip.windowMinutes * MINUTE);
    if ((await repo.failuresOfIp(tx, c.ip, ipWindow)) >= LIMITS.ip.failures) {
      await repo.lock(tx, pii, `ip:${c.ip}`, new Date(at.getTime() + LIMITS.ip.lockMinutes * MINUTE), at);
    }
  });
}

async function startSession(
  deps: IdentityDeps,
  account: repo.AccountRow,
  methods: string[],
  c: LoginContext,
  at: Date,
): Promise<SessionIssued> {
  const { pii } = deps;
  const token = newSessionToken();
  const expiresAt = new Date(at.getTime() + deps.options.sessionTtlHours * 3600_000);
  await deps.db.transaction(async (tx) => {
    await repo.insertSession(tx, {
      tokenHash: hashToken(token),
      accountId: account.id,
      expiresAt,
      methods,
      ip: c.ip,
      userAgent: c.userAgent?.slice(0, 300) ?? null,
      createdAt: at,
    });
    await repo.recordAttempt(tx, pii, {
      at,
      username: account.username,
      accountId: account.id,
      ip: c.ip,
      outcome: 'session',
    });
    await recordAudit(tx, {
      actorId: account.id,
      action: 'identity.login',
      subjectType: 'account',
      subjectId: account.id,
      data: { methods },
      requestId: c.requestId,
    });
  });
  const principal = await resolveSession(deps, token);
  if (!principal) throw new AppError(CommonErrors.invalidCredentials);
  return { token, expiresAt, principal };
}

/**
 * The password step. Issues a session, or, when the account needs a second factor, a challenge whose code goes
 * to the outbox (kind 'auth.otp') for delivery by SMS.
 */
export async function beginLogin(
  deps: IdentityDeps,
  username: string,
  password: string,
  c: LoginContext,
): Promise<LoginStep> {
  const { pii } = deps;
  const { db, options } = deps;
  const at = deps.now();
  await guard(deps, username, c, at);
  const account = await repo.findAccountByUsername(db, pii, username);
  // Accounts without a password (enterprises, persons recorded at a window) cannot log in; an enterprise account
  // from before migration 0004 that has one still can, acting as itself. A frozen account is told why, once the
  // password shows it is its holder asking.
  const usable = !!account && (!account.disabled || !!account.frozenAt) && !!account.passwordHash;
  const ok = usable
    ? await verifyPassword(password, account.passwordHash!)
    : (await verifyPassword(password, await decoyHash()), false);
  if (!ok || !account) {
    await failed(deps, username, account, c, 'password_failed', at);
    throw new AppError(CommonErrors.invalidCredentials);
  }
  if (account.frozenAt) throw new AppError(IdentityErrors.accountFrozen);
  if (!needsOtp(options.loginOtp, account))
    return { next: 'session', ...(await startSession(deps, account, ['password'], c, at)) };
  if (!account.phone) throw new AppError(IdentityErrors.otpUnavailable);

  const id = crypto.randomUUID();
  const code = newOtpCode();
  const expiresAt = new Date(at.getTime() + OTP.ttlMs);
  const destination = maskPhone(account.phone);
  await db.transaction(async (tx) => {
    await repo.closeOpenChallenges(tx, account.id, at);
    await repo.insertChallenge(tx, {
      id,
      accountId: account.id,
      codeHash: otpHash(id, code),
      createdAt: at,
      expiresAt,
      ip: c.ip,
    });
    // The outbox carries the code to the SMS relay (which looks up the number itself and should blank the code
    // once sent); the challenge keeps only its hash.
    await notify(tx, {
      recipientId: account.id,
      kind: 'auth.otp',
      payload: { challengeId: id, code, channel: 'sms', destination, expiresAt: expiresAt.toISOString() },
    });
    await repo.recordAttempt(tx, pii, { at, username, accountId: account.id, ip: c.ip, outcome: 'password_ok' });
    await recordAudit(tx, {
      actorId: account.id,
      action: 'identity.otp_sent',
      subjectType: 'account',
      subjectId: account.id,
      data: { challengeId: id, channel: 'sms' },
      requestId: c.requestId,
    });
  });
  return {
    next: 'otp',
    challenge: { id, method: 'sms', destination, expiresAt: expiresAt.toISOString() },
    ...(options.otpDelivery === 'dev' ? { devCode: code } : {}),
  };
}

/** The second step: the code of a challenge, once, within five minutes and five attempts. */
export async function verifyOtp(
  deps: IdentityDeps,
  challengeId: string,
  code: string,
  c: LoginContext,
): Promise<SessionIssued> {
  const { db, pii } = deps;
  const at = deps.now();
  const challenge = await repo.findChallenge(db, challengeId);
  const account = challenge ? await repo.findAccountById(db, pii, challenge.accountId) : undefined;
  await guard(deps, account?.username ?? null, c, at);
  if (!challenge || !account) {
    await failed(deps, '', undefined, c, 'otp_failed', at);
    throw new AppError(IdentityErrors.otpExpired);
  }
  const classify = (ch: repo.ChallengeRow) => {
    if (ch.consumedAt) return new AppError(IdentityErrors.otpUsed);
    if (ch.attempts >= OTP.maxAttempts) return new AppError(IdentityErrors.otpExhausted);
    return new AppError(IdentityErrors.otpExpired);
  };
  const spent = await repo.spendAttempt(db, challenge.id, OTP.maxAttempts, at);
  if (!spent) throw classify((await repo.findChallenge(db, challenge.id)) ?? challenge);
  if (!otpMatches(challenge.id, code, spent.codeHash)) {
    await failed(deps, account.username, account, c, 'otp_failed', at);
    const remaining = OTP.maxAttempts - spent.attempts;
    throw remaining > 0
      ? new AppError(IdentityErrors.otpIncorrect, { remaining })
      : new AppError(IdentityErrors.otpExhausted);
  }
  if (!(await repo.consumeChallenge(db, challenge.id, at))) throw new AppError(IdentityErrors.otpUsed);
  if (account.frozenAt) throw new AppError(IdentityErrors.accountFrozen);
  if (account.disabled) throw new AppError(CommonErrors.invalidCredentials);
  return startSession(deps, account, ['password', 'otp'], c, at);
}

export async function logout(deps: IdentityDeps, token: string): Promise<void> {
  await repo.revokeSession(deps.db, hashToken(token), deps.now());
}

/** Logout everywhere: every session of the account, cookies and bearer tokens alike. */
export async function logoutEverywhere(deps: IdentityDeps, ctx: RequestContext): Promise<number> {
  const p = ctx.principal;
  return deps.db.transaction(async (tx) => {
    const n = await repo.revokeAllSessions(tx, p.accountId, deps.now());
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'identity.logout_everywhere',
      subjectType: 'account',
      subjectId: p.accountId,
      data: { sessions: n },
      requestId: ctx.requestId,
    });
    return n;
  });
}

/**
 * Switches the session to act for an enterprise the person is an agent of, under a proxy granted to the
 * account, or (null) for itself again. Checked against the authorisations as they are now.
 */
export async function actAs(
  deps: IdentityDeps,
  ctx: RequestContext,
  target: { enterpriseId: string } | { proxyId: string } | null,
): Promise<Omit<Principal, 'via'>> {
  const { db, pii } = deps;
  const p = ctx.principal;
  const at = deps.now();
  let acting: { kind: 'enterprise' | 'proxy'; subjectId: string; proxyId: string | null } | null = null;
  if (target && 'enterpriseId' in target) {
    if (p.kind !== 'person') throw new AppError(IdentityErrors.cannotAct);
    const agency = await repo.liveAgency(db, target.enterpriseId, p.accountId);
    if (!agency) throw new AppError(IdentityErrors.enterpriseNotFound);
    acting = { kind: 'enterprise', subjectId: agency.enterpriseId, proxyId: null };
  } else if (target) {
    const proxy = await repo.findProxy(db, pii, target.proxyId);
    if (!proxy || proxy.granteeId !== p.accountId) throw new AppError(IdentityErrors.proxyNotFound);
    const grantor = await repo.findAccountById(db, pii, proxy.grantorId);
    if (proxy.revokedAt || proxy.validUntil <= at || proxy.validFrom > at || !grantor || grantor.disabled)
      throw new AppError(IdentityErrors.proxyInactive);
    acting = { kind: 'proxy', subjectId: proxy.grantorId, proxyId: proxy.id };
  }
  await db.transaction(async (tx) => {
    await repo.setSessionActing(tx, p.sessionKey, acting);
    await recordAudit(tx, {
      actorId: p.accountId,
      action: acting ? 'identity.acting_started' : 'identity.acting_stopped',
      subjectType: 'account',
      subjectId: p.accountId,
      data: acting
        ? {
            actingKind: acting.kind,
            onBehalfOf: acting.subjectId,
            ...(acting.proxyId ? { proxyId: acting.proxyId } : {}),
          }
        : { previously: p.acting ? p.subjectId : null },
      requestId: ctx.requestId,
    });
  });
  const s = await repo.findLiveSession(db, pii, p.sessionKey, at);
  if (!s) throw new AppError(CommonErrors.unauthenticated);
  return buildPrincipal(deps, db, s, p.sessionKey);
}

/** The signed-in account as its owner sees it: personal numbers masked, the enterprises it may act for. */
export async function me(deps: IdentityDeps, p: Omit<Principal, 'via'>): Promise<Me> {
  const { db, pii } = deps;
  const a = await repo.findAccountById(db, pii, p.accountId);
  const agencies = p.kind === 'person' ? await repo.agenciesOf(db, p.accountId) : [];
  const shown = a?.idNumber ?? a?.claimedIdNumber;
  return {
    accountId: p.accountId,
    kind: p.kind,
    username: p.username,
    displayName: p.displayName,
    roles: p.roles,
    accountRoles: p.accountRoles,
    permissions: p.permissions,
    departmentCode: p.departmentCode,
    regionCode: p.regionCode,
    jurisdiction: p.jurisdiction,
    idNumber: shown ? maskIdNumber(shown) : null,
    realNameLevel: a ? realNameLevelOf(a) : 1,
    phone: a?.phone ? maskPhone(a.phone) : null,
    loginOtp: a ? needsOtp(deps.options.loginOtp, a) : false,
    subjectId: p.subjectId,
    actingFor: p.acting
      ? {
          kind: p.acting.kind,
          id: p.acting.subjectId,
          name: p.acting.displayName,
          proxyId: p.acting.proxyId,
          proxyKind: p.acting.proxyKind,
          bundles: p.acting.bundles,
          ended: p.acting.ended,
        }
      : null,
    enterprises: agencies.map((g) => ({
      id: g.enterpriseId,
      name: g.enterpriseName,
      creditCode: g.uscc,
      role: g.role,
    })),
  };
}

/** The development sink: the pending code of a username, as the SMS would have shown it. */
export async function devOtp(deps: IdentityDeps, username: string) {
  if (deps.options.otpDelivery !== 'dev') throw new AppError(IdentityErrors.devOtpNotFound);
  const found = await repo.latestPendingCode(deps.db, username, deps.now());
  if (!found) throw new AppError(IdentityErrors.devOtpNotFound);
  return found;
}

/** What other contexts (SSO claims) may know of an account, or nothing when it does not exist or is disabled. */
export async function accountClaims(deps: IdentityDeps, accountId: string) {
  const a = await repo.findAccountById(deps.db, deps.pii, accountId);
  if (!a || a.disabled) return undefined;
  return {
    id: a.id,
    kind: a.kind,
    username: a.username,
    displayName: a.displayName,
    roles: await repo.rolesOf(deps.db, a.id),
    departmentCode: a.departmentCode,
    regionCode: a.regionCode?.trim() ?? null,
    jurisdiction: a.jurisdiction,
    realNameLevel: realNameLevelOf(a),
  };
}

export function countAccounts(deps: IdentityDeps): Promise<number> {
  return repo.countAccounts(deps.db);
}

/** Roles with their permissions and each permission's scope: the permission table as the database holds it. */
export async function permissionTable(deps: IdentityDeps) {
  const scopes = new Map((await repo.permissionTable(deps.db)).map((x) => [x.code, x.scope]));
  const grants = await repo.rolePermissionTable(deps.db);
  return (await repo.roleCatalogue(deps.db)).map((r) => ({
    role: r.code,
    audience: r.audience,
    permissions: grants
      .filter((g) => g.role === r.code)
      .map((g) => ({ code: g.permission, scope: scopes.get(g.permission) ?? '' })),
  }));
}

export function createIdentityService(db: Database, pii: PiiSealer, options: IdentityOptions) {
  const now = () => new Date();
  const deps: IdentityDeps = { db, pii, options, now, permissionsOf: rolePermissionCache(db, now) };
  return bindService(deps, {
    beginLogin,
    verifyOtp,
    resolveSession,
    logout,
    logoutEverywhere,
    actAs,
    me,
    devOtp,
    accountClaims,
    countAccounts,
    permissionTable,
    createAccount: accounts.createAccount,
    findAccountIdByUsername: accounts.findAccountIdByUsername,
    fillMissing: accounts.fillMissing,
    linkAgent: accounts.linkAgent,
    registerPerson: proofing.registerPerson,
    startPhoneProofing: proofing.startPhoneProofing,
    verifyPhoneProofing: proofing.verifyPhoneProofing,
    proveAtWindow: proofing.proveAtWindow,
    proveFromRegister: proofing.proveFromRegister,
    importRegisterFile: registers.importRegisterFile,
    listRegisterImports: registers.listRegisterImports,
    hasImported: registers.hasImported,
    setLoginOtp: accounts.setLoginOtp,
    registerEnterprise: accounts.registerEnterprise,
    listAgents: accounts.listAgents,
    addAgent: accounts.addAgent,
    removeAgent: accounts.removeAgent,
    listStaff: accounts.listStaff,
    getStaff: accounts.getStaff,
    createStaff: accounts.createStaff,
    allStaff: accounts.allStaff,
    importStaff: accounts.importStaff,
    updateStaff: accounts.updateStaff,
    grantFamilyProxy: proxies.grantFamilyProxy,
    requestWindowConsentCode: proxies.requestWindowConsentCode,
    recordWindowConsent: proxies.recordWindowConsent,
    recordFamilyProxy: proxies.recordFamilyProxy,
    seedProxy: proxies.seedProxy,
    listProxies: proxies.listProxies,
    revokeProxy: proxies.revokeProxy,
  });
}

export type IdentityService = ReturnType<typeof createIdentityService>;
