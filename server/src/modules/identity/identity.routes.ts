import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES, SESSION_COOKIE, principalOf } from '../../platform/auth.ts';
import type { IdentityService } from './identity.service.ts';

const PrincipalView = z.object({
  accountId: z.string(),
  kind: z.enum(['person', 'enterprise', 'staff']),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  departmentCode: z.string().nullable(),
  regionCode: z.string().nullable(),
});

const LoginBody = z
  .object({
    username: z.string().min(1).max(100),
    password: z.string().min(1).max(200),
  })
  .strict();

export function identityRoutes(identity: IdentityService, options: { cookieSecure: boolean }) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post('/api/v1/auth/login', {
      config: { access: 'public' },
      schema: {
        tags: ['identity'],
        summary: 'Log in with a username and password; returns a bearer token and sets a session cookie',
        body: LoginBody,
        response: { 200: z.object({ token: z.string(), expiresAt: z.string(), account: PrincipalView }) },
      },
    }, async (request, reply) => {
      const { token, expiresAt, principal } = await identity.login(request.body.username, request.body.password, String(request.id));
      reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.cookieSecure, expires: expiresAt });
      return { token, expiresAt: expiresAt.toISOString(), account: principal };
    });

    r.post('/api/v1/auth/logout', {
      config: { access: 'authenticated' },
      schema: { tags: ['identity'], summary: 'End the current session', response: { 204: z.null() } },
    }, async (request, reply) => {
      const header = request.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7) : request.cookies[SESSION_COOKIE];
      if (token) await identity.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    });

    r.get('/api/v1/auth/me', {
      config: { access: 'authenticated' },
      schema: { tags: ['identity'], summary: 'The signed-in account', response: { 200: PrincipalView } },
    }, async (request) => {
      const { via: _via, ...p } = principalOf(request);
      return p;
    });
  };
}
