// Access control in one place. Every route declares `config.access`: 'public', 'authenticated', or the
// permission(s) it needs; a route under /api without a declaration makes the server refuse to start, so nothing
// is open by accident. Services ask the same authorize() about a resource (whose it is, which department, which
// region), so the rules live here and nowhere else. Which roles hold which permission is data (role_permissions,
// migration 0004); what a permission reaches (its scope) is code, below.
//
// Sessions come from a bearer token (API clients) or an HttpOnly cookie (the web). A session acts for someone:
// the person themself, an enterprise the person is an agent of, or a person who granted a proxy (帮办代办). The
// principal keeps both: accountId is who acts, subjectId whom for.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CommonErrors, defineProblems } from '@onething/shared/problem';
import { ROLES, type PermissionCode, type Role } from '@onething/shared/identity';
import { AppError } from './errors.ts';

// The role and permission codes are shared with the web (@onething/shared/identity); their meaning is here.
export { ROLES, PERMISSION_CODES, type Role } from '@onething/shared/identity';

/**
 * Which resources a permission reaches:
 * - subject: those of the person or enterprise the session acts for (and, under a proxy, only its bundles);
 * - department: cases of the caller's department whose region lies within the caller's jurisdiction;
 * - jurisdiction: resources whose region lies within the caller's jurisdiction;
 * - province: province-wide data; held only by callers whose jurisdiction is a whole province;
 * - any: no resource condition.
 */
export type PermissionScope = 'subject' | 'department' | 'jurisdiction' | 'province' | 'any';

/** Every permission with its scope; `delegable` ones pass to whoever acts for a person under a proxy. */
export const PERMISSIONS = {
  'applications.read': { scope: 'subject', delegable: true },
  'applications.submit': { scope: 'subject', delegable: true },
  'proxies.manage': { scope: 'subject', delegable: false },
  'enterprises.manage': { scope: 'subject', delegable: false },
  'proxies.record_consent': { scope: 'jurisdiction', delegable: false },
  'cases.review': { scope: 'department', delegable: false },
  'cases.read': { scope: 'jurisdiction', delegable: false },
  'accounts.read': { scope: 'jurisdiction', delegable: false },
  'accounts.manage': { scope: 'jurisdiction', delegable: false },
  'catalogue.manage': { scope: 'province', delegable: false },
  'calendar.manage': { scope: 'province', delegable: false },
  'stats.read': { scope: 'jurisdiction', delegable: false },
  'identity.proof': { scope: 'any', delegable: false },
  'registers.import': { scope: 'province', delegable: false },
} as const satisfies Record<PermissionCode, { scope: PermissionScope; delegable: boolean }>;
export type Permission = keyof typeof PERMISSIONS;

/**
 * A route's access: anyone, any signed-in caller, or a caller holding one of the permissions. `roles` (any of the
 * roles in effect) is what routes declared before permissions existed; prefer a permission, which is data.
 */
export type Access =
  | 'public'
  | 'authenticated'
  | { permission: Permission | readonly Permission[] }
  | { roles: readonly Role[] };

export interface Acting {
  kind: 'enterprise' | 'proxy';
  /** The enterprise, or the person who granted the proxy. */
  subjectId: string;
  displayName: string;
  proxyId: string | null;
  proxyKind: 'window_consent' | 'family' | null;
  /** The bundles a proxy covers; null: everything. */
  bundles: string[] | null;
  /**
   * Set when the agency or proxy ended after the session began acting. Every request is then refused until the
   * session stops acting: quietly falling back to the person's own account could file something in the wrong name.
   */
  ended: 'revoked' | 'expired' | null;
}

export interface Principal {
  /** The account that acts (logged in). */
  accountId: string;
  /** Whom the request acts for: the account itself, an enterprise, or a proxy's grantor. Owner of what it creates. */
  subjectId: string;
  acting: Acting | null;
  /** SHA-256 of the session token: how the identity context finds this session again. */
  sessionKey: string;
  kind: 'person' | 'enterprise' | 'staff';
  username: string;
  displayName: string;
  /** The roles in effect: the account's own, or enterprise_agent / applicant while acting for someone. */
  roles: Role[];
  /** The account's own roles, whatever it acts as. */
  accountRoles: Role[];
  /** The permissions in effect (from role_permissions for `roles`). */
  permissions: Permission[];
  departmentCode: string | null;
  regionCode: string | null;
  /** Staff: GB/T 2260 code of 6, 9 or 12 digits; they reach regions within it and below. */
  jurisdiction: string | null;
  /** How the caller authenticated; cookie sessions need a same-origin check on writes. */
  via: 'bearer' | 'cookie';
}

export const AuthErrors = defineProblems({
  actingEnded: {
    code: 'auth.acting_ended',
    status: 403,
    title: {
      zh: '代办授权已撤销或过期，请先切换回本人身份',
      en: 'The authority this session acted under was revoked or expired; switch back to yourself first',
    },
  },
});

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The few routes a session whose acting ended may still use: who am I, stop acting, log out. */
    whileActingEnded?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every API route with its declared access: the authorisation tests are generated from it. */
    apiRoutes: Array<{ method: string; url: string; access: Access }>;
  }
}

export const SESSION_COOKIE = 'onething_session';

export type SessionResolver = (token: string) => Promise<Omit<Principal, 'via'> | null>;

/** The principal of an authenticated route; a route declared 'public' must not call this. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError(CommonErrors.unauthenticated);
  return request.principal;
}

// ---- jurisdiction --------------------------------------------------------------------------------------------------

/**
 * The significant prefix of a GB/T 2260 code: 320000 → 32, 320200 → 3202, 320104 → 320104; 9-digit township
 * and 12-digit village codes keep their digits after dropping trailing 000 groups (320104001000 → 320104001).
 * null for anything that is not such a code. Migration 0004 defines division_prefix() the same way in SQL.
 */
export function divisionPrefix(code: string): string | null {
  let c = code.trim();
  if (/^\d{12}$/.test(c) && c.endsWith('000')) c = c.slice(0, 9);
  if (/^\d{9}$/.test(c) && c.endsWith('000')) c = c.slice(0, 6);
  if (/^\d{6}$/.test(c)) {
    if (c.endsWith('0000')) return c.slice(0, 2);
    if (c.endsWith('00')) return c.slice(0, 4);
    return c;
  }
  return /^\d{9}(\d{3})?$/.test(c) ? c : null;
}

/** Whether a region lies within a jurisdiction or below it (a county within its city; not a city within its county). */
export function isWithinJurisdiction(
  region: string | null | undefined,
  jurisdiction: string | null | undefined,
): boolean {
  if (!region || !jurisdiction) return false;
  const r = divisionPrefix(region);
  const j = divisionPrefix(jurisdiction);
  return r !== null && j !== null && r.startsWith(j);
}

/** A jurisdiction covering a whole province (or more): what province-scoped permissions need. */
export function isProvinceWide(jurisdiction: string | null | undefined): boolean {
  const j = jurisdiction ? divisionPrefix(jurisdiction) : null;
  return j !== null && j.length <= 2;
}

// ---- authorisation --------------------------------------------------------------------------------------------------

/** What authorize() needs to know of a resource; each scope reads its own fields. */
export interface Resource {
  /** The person or enterprise the resource belongs to (an application's applicant). */
  ownerId?: string | null;
  /** The one-thing bundle it concerns, checked against a proxy's scope. */
  bundle?: string | null;
  departmentCode?: string | null;
  regionCode?: string | null;
}

/**
 * Whether the principal holds the permission and, when a resource is given, whether the permission reaches it.
 * Without a resource this is the route-level question ("may call this at all"); province-scoped permissions are
 * checked fully there, the others wait for the resource.
 */
export function authorize(p: Principal | null, permission: Permission, resource?: Resource): boolean {
  if (!p?.permissions.includes(permission) || p.acting?.ended) return false;
  // Widened to every scope the table may use: none holds 'any' today.
  const scope = PERMISSIONS[permission].scope as PermissionScope;
  if (scope === 'province') return isProvinceWide(p.jurisdiction);
  if (!resource || scope === 'any') return true;
  switch (scope) {
    case 'subject':
      if (!resource.ownerId || resource.ownerId !== p.subjectId) return false;
      // A proxy for some bundles reaches only their applications.
      return !(
        p.acting?.bundles &&
        resource.bundle !== undefined &&
        (!resource.bundle || !p.acting.bundles.includes(resource.bundle))
      );
    case 'department':
      return (
        !!p.departmentCode &&
        resource.departmentCode === p.departmentCode &&
        isWithinJurisdiction(resource.regionCode, p.jurisdiction)
      );
    case 'jurisdiction':
      return isWithinJurisdiction(resource.regionCode, p.jurisdiction);
  }
}

/** Any of several permissions (a route open to reviewers and applicants alike). */
export function authorizeAny(p: Principal | null, permissions: readonly Permission[], resource?: Resource): boolean {
  return permissions.some((perm) => authorize(p, perm, resource));
}

/**
 * What an audit row or event records besides the actor when the request acts for someone else: the person or
 * enterprise acted for, and under which proxy. Spread into the data of every write.
 */
export function actingRecord(p: Principal): Record<string, string> {
  if (!p.acting) return {};
  return {
    onBehalfOf: p.subjectId,
    actingKind: p.acting.kind,
    ...(p.acting.proxyId ? { proxyId: p.acting.proxyId } : {}),
  };
}

function readToken(request: FastifyRequest): { token: string; via: 'bearer' | 'cookie' } | null {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
    return m ? { token: m[1]!, via: 'bearer' } : null;
  }
  const cookie = (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
  return cookie && /^[A-Za-z0-9_-]{20,200}$/.test(cookie) ? { token: cookie, via: 'cookie' } : null;
}

/** The session token the request carries, if any (logout needs it). */
export function sessionTokenOf(request: FastifyRequest): string | null {
  return readToken(request)?.token ?? null;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A cookie-authenticated write must come from our own origin (CSRF), judged by Origin or Referer; together with
 * SameSite=Lax cookies and JSON-only bodies this is the CSRF defence (docs/adr/0002-sessions-and-csrf.md).
 */
export function isSameOrigin(request: FastifyRequest): boolean {
  const source = request.headers.origin ?? request.headers.referer;
  if (!source) return false;
  try {
    return new URL(source).host === request.headers.host;
  } catch {
    return false;
  }
}

export function registerAuth(app: FastifyInstance, resolve: SessionResolver): void {
  app.decorateRequest('principal', null);
  const apiRoutes: FastifyInstance['apiRoutes'] = [];
  app.decorate('apiRoutes', apiRoutes);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const access = route.config?.access;
    if (access === undefined)
      throw new Error(`route ${String(route.method)} ${route.url} declares no access; set config.access`);
    if (typeof access === 'object') {
      const named =
        'roles' in access
          ? access.roles.filter((r) => !(ROLES as readonly string[]).includes(r))
          : [access.permission].flat().filter((x) => !(x in PERMISSIONS));
      if (named.length)
        throw new Error(
          `route ${String(route.method)} ${route.url} names unknown roles or permissions: ${named.join(', ')}`,
        );
    }
    for (const method of [route.method].flat())
      if (method !== 'HEAD') apiRoutes.push({ method, url: route.url, access });
  });

  // A signed-in caller refused a resource (someone else's, another department's, outside the jurisdiction) gets a
  // plain 404 or 403; the attempt is logged with who it was, so that repeated reaching shows in the logs.
  app.addHook('onResponse', async (request, reply) => {
    const p = request.principal;
    if (p && (reply.statusCode === 403 || reply.statusCode === 404) && request.routeOptions.url?.includes('/:')) {
      request.log.warn(
        {
          accountId: p.accountId,
          subjectId: p.subjectId,
          route: `${request.method} ${request.routeOptions.url}`,
          status: reply.statusCode,
        },
        'resource refused',
      );
    }
  });

  // Before validation, so that an anonymous caller learns nothing about a route's input rules.
  app.addHook('preValidation', async (request) => {
    const config = request.routeOptions.config;
    const access = config?.access;
    const found = readToken(request);
    if (found) {
      const p = await resolve(found.token);
      if (p) request.principal = { ...p, via: found.via };
    }
    if (access === undefined || access === 'public') return;
    const principal = request.principal;
    if (!principal) throw new AppError(CommonErrors.unauthenticated);
    if (principal.via === 'cookie' && UNSAFE.has(request.method) && !isSameOrigin(request))
      throw new AppError(CommonErrors.forbidden);
    if (principal.acting?.ended && !config.whileActingEnded) throw new AppError(AuthErrors.actingEnded);
    if (access === 'authenticated') return;
    const allowed =
      'roles' in access
        ? principal.roles.some((r) => access.roles.includes(r))
        : authorizeAny(principal, typeof access.permission === 'string' ? [access.permission] : access.permission);
    if (!allowed) {
      request.log.warn({ accountId: principal.accountId, route: request.routeOptions.url, access }, 'access refused');
      throw new AppError(CommonErrors.forbidden);
    }
  });
}
