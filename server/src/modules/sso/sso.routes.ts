// The SSO context in Fastify: the administrators' client registry under /api/v1 (declared access like every API
// route), and the OpenID Connect provider itself under /oidc plus /.well-known/openid-configuration.
//
// The provider's routes are deliberately outside /api/v1 and so outside the platform's access check: they are
// the protocol endpoints that strangers must reach (discovery, JWKS, the authorisation endpoint a browser is sent
// to, the token endpoint department systems call). They authenticate by the protocol's own means: client
// credentials and PKCE at the token endpoint, access tokens at userinfo, the signed interaction cookie on the
// login page. oidc-provider is a Koa application; each request is handed to it whole (reply.hijack) with the
// body unread, so it parses and answers exactly as the certified library does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { Client, ClientBody, ClientParams, ClientPatchBody, RegisteredClient } from '@onething/shared/sso';
import type { Config } from '../../config.ts';
import type { Database } from '../../platform/db.ts';
import { contextOf } from '../../platform/request-context.ts';
import type { IdentityService } from '../identity/index.ts';
import { loadOrCreateKeys } from './sso.keys.ts';
import { createSsoService, type SsoService } from './sso.service.ts';

/** Where the provider lives under PUBLIC_URL; the issuer is PUBLIC_URL + this. */
export const OIDC_BASE = '/oidc';
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/**
 * Which systems may sign accounts in is account administration: the administrators who manage accounts and roles
 * (accounts.manage, within their jurisdiction) manage the clients of their jurisdiction too; the service decides
 * which clients those are (a first-party client only by the province's). A dedicated permission would fit better
 * once more than one role needs it.
 */
const ADMIN = { permission: 'accounts.manage' } as const;

function adminRoutes(sso: SsoService) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['sso-admin'];

    r.post(
      '/api/v1/admin/sso/clients',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary:
            'Register a department system as an OpenID Connect client within your jurisdiction; a confidential client’s secret is in this answer only',
          body: ClientBody,
          response: { 201: RegisteredClient },
        },
      },
      async (request, reply) => reply.status(201).send(await sso.registerClient(contextOf(request), request.body)),
    );

    r.get(
      '/api/v1/admin/sso/clients',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary: 'The department systems you manage: those of your jurisdiction (never their secrets)',
          response: { 200: z.array(Client) },
        },
      },
      async (request) => sso.listClients(contextOf(request)),
    );

    r.get(
      '/api/v1/admin/sso/clients/:clientId',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary: 'A department system you manage',
          params: ClientParams,
          response: { 200: Client },
        },
      },
      async (request) => sso.getClient(contextOf(request), request.params.clientId),
    );

    r.patch(
      '/api/v1/admin/sso/clients/:clientId',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary:
            'Change a department system you manage; losing first-party status or scopes revokes what it was issued',
          params: ClientParams,
          body: ClientPatchBody,
          response: { 200: Client },
        },
      },
      async (request) => sso.updateClient(contextOf(request), request.params.clientId, request.body),
    );

    r.delete(
      '/api/v1/admin/sso/clients/:clientId',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary: 'Remove a client you manage; everything issued to it stops working',
          params: ClientParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await sso.deleteClient(contextOf(request), request.params.clientId);
        return reply.status(204).send(null);
      },
    );
  };
}

/**
 * Marks every cookie the provider sets Secure. oidc-provider (through Koa) marks them only when the request itself
 * looks like https, which behind a proxy depends on X-Forwarded-Proto arriving; the platform's rule is simpler:
 * Secure whenever PUBLIC_URL is https or in production (config COOKIE_SECURE).
 */
function secureCookies(res: ServerResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => {
    if (name.toLowerCase() !== 'set-cookie') return setHeader(name, value);
    const cookies = (Array.isArray(value) ? value : [value]).map(String);
    return setHeader(
      name,
      cookies.map((c) => (/;\s*secure\s*(;|$)/i.test(c) ? c : `${c}; secure`)),
    );
  };
}

/** Hands requests to the Koa application, with the URL it expects: its own paths, mounted at OIDC_BASE. */
function providerRoutes(provider: Provider) {
  const callback = provider.callback();
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    const req = request.raw as IncomingMessage & { originalUrl?: string };
    const url = req.url ?? '/';
    // oidc-provider builds its endpoint URLs from the part of originalUrl before req.url (the mount path).
    if (url.startsWith(`${OIDC_BASE}/`)) {
      req.originalUrl = url;
      req.url = url.slice(OIDC_BASE.length);
    } else {
      // Discovery at the root is the same document as under the issuer.
      req.originalUrl = `${OIDC_BASE}${url}`;
    }
    try {
      await callback(req, reply.raw);
    } finally {
      // Fastify's own request log reads the URL afterwards.
      req.url = url;
    }
  };

  return async function routes(app: FastifyInstance) {
    // Leave every body unread for oidc-provider, which parses (and limits) its own.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'] as const;
    app.route({ method: [...methods], url: `${OIDC_BASE}/*`, schema: { hide: true }, handler: handle });
    app.route({ method: ['GET', 'OPTIONS'], url: DISCOVERY_PATH, schema: { hide: true }, handler: handle });
  };
}

export interface SsoDeps {
  config: Config;
  db: Database;
  identity: IdentityService;
}

export function ssoRoutes(deps: SsoDeps) {
  return async function routes(app: FastifyInstance) {
    const { config, db } = deps;
    // oidc-provider (Koa, jose …) loads only when a server starts, not whenever app.ts is imported: the CLI
    // imports app.ts for its services and should neither wait for it nor print its Node version warning.
    const [{ createAdapterFactory }, { interactionRoutes }, { createProvider }] = await Promise.all([
      import('./sso.adapter.ts'),
      import('./sso.interaction.ts'),
      import('./sso.provider.ts'),
    ]);
    const sso = createSsoService({ db, identity: deps.identity });
    const keys = await loadOrCreateKeys(db, { encryptionKey: config.SSO_KEY_ENCRYPTION_KEY });
    const publicUrl = new URL(config.PUBLIC_URL);
    const provider = createProvider({
      issuer: `${publicUrl.origin}${OIDC_BASE}`,
      keys,
      adapter: createAdapterFactory(db, async (clientId) => sso.clientMetadata(clientId)),
      sso,
      sessionTtlSeconds: config.SESSION_TTL_HOURS * 3600,
      trustProxy: publicUrl.protocol === 'https:',
    });
    // Protocol errors are the caller's (logged at info, without tokens); a server_error is ours.
    provider.on('server_error', (_ctx: unknown, err: Error) => app.log.error({ err }, 'sso: provider error'));
    const refused = (event: string) => (_ctx: unknown, err: { error?: string; error_description?: string }) =>
      app.log.info({ event, error: err.error, description: err.error_description }, 'sso: request refused');
    provider.on('authorization.error', refused('authorization.error'));
    provider.on('grant.error', refused('grant.error'));
    provider.on('userinfo.error', refused('userinfo.error'));
    provider.on('end_session.error', refused('end_session.error'));

    // The provider sets its cookies on the raw response, from its own endpoints and from the login pages alike.
    if (config.COOKIE_SECURE)
      app.addHook('onRequest', async (_request, reply) => {
        secureCookies(reply.raw);
      });
    await app.register(adminRoutes(sso));
    await app.register(interactionRoutes(provider, sso, OIDC_BASE));
    await app.register(providerRoutes(provider));
  };
}
