// Access control in one place. Every route declares `config.access`: 'public', 'authenticated', or the
// roles allowed. A route under /api without a declaration makes the server refuse to start, so nothing is
// open by accident. Sessions come from a bearer token (API clients) or an HttpOnly cookie (the web).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

export const ROLES = ['applicant', 'enterprise_agent', 'window_staff', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Access = 'public' | 'authenticated' | { roles: readonly Role[] };

export interface Principal {
  accountId: string;
  kind: 'person' | 'enterprise' | 'staff';
  username: string;
  displayName: string;
  roles: Role[];
  departmentCode: string | null;
  regionCode: string | null;
  /** How the caller authenticated; cookie sessions need a same-origin check on writes. */
  via: 'bearer' | 'cookie';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
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
  if (!request.principal) throw new AppError('auth.unauthenticated');
  return request.principal;
}

export function hasRole(principal: Principal | null, ...roles: Role[]): boolean {
  return !!principal && principal.roles.some((r) => roles.includes(r));
}

function readToken(request: FastifyRequest): { token: string; via: 'bearer' | 'cookie' } | null {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
    return m ? { token: m[1]!, via: 'bearer' } : null;
  }
  const cookie = (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A cookie-authenticated write must come from our own origin (CSRF), judged by Origin or Referer. */
function isSameOrigin(request: FastifyRequest): boolean {
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
    if (access === undefined) throw new Error(`route ${String(route.method)} ${route.url} declares no access; set config.access`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') apiRoutes.push({ method, url: route.url, access });
  });

  // Before validation, so that an anonymous caller learns nothing about a route's input rules.
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config?.access;
    const found = readToken(request);
    if (found) {
      const p = await resolve(found.token);
      if (p) request.principal = { ...p, via: found.via };
    }
    if (access === undefined || access === 'public') return;
    const principal = request.principal;
    if (!principal) throw new AppError('auth.unauthenticated');
    if (principal.via === 'cookie' && UNSAFE.has(request.method) && !isSameOrigin(request)) throw new AppError('auth.forbidden');
    if (access === 'authenticated') return;
    if (!principal.roles.some((r) => access.roles.includes(r))) throw new AppError('auth.forbidden');
  });
}
