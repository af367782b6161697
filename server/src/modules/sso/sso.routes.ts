// The SSO context in Fastify: the administrators' client registry under /api/v1 (declared access like every API
// route), and the OpenID Connect provider itself under /oidc plus /.well-known/openid-configuration.
//
// The provider's routes are deliberately outside /api/v1 and so outside the platform's access check: they are
// the protocol endpoints that strangers must reach (discovery, JWKS, the authorisation endpoint a browser is sent
// to, the token endpoint department systems call). They authenticate by the protocol's own means: client
// credentials and PKCE at the token endpoint, access tokens at userinfo, the signed interaction cookie on the
// login page. oidc-provider is a Koa application; each request is handed to it whole (reply.hijack) with the
// body unread, so it parses and answers exactly as the certified library does.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { Client, ClientBody, ClientParams, RegisteredClient } from '@onething/shared/sso';
import type { Config } from '../../config.ts';
import type { Database } from '../../platform/db.ts';
import { principalOf } from '../../platform/auth.ts';
import type { IdentityService } from '../identity/index.ts';
import { loadOrCreateKeys } from './sso.keys.ts';
import { createSsoService, type SsoService } from './sso.service.ts';

/** Where the provider lives under PUBLIC_URL; the issuer is PUBLIC_URL + this. */
export const OIDC_BASE = '/oidc';
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/**
 * Which systems may sign accounts in is account administration: the administrators who manage accounts and roles
 * (accounts.manage) manage the clients too. A dedicated province-wide permission would fit better once more than
 * one role needs it.
 */
const ADMIN = { permission: 'accounts.manage' } as const;

function adminRoutes(sso: SsoService) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['sso-admin'];
    const actor = (request: FastifyRequest) => ({
      accountId: principalOf(request).accountId,
      requestId: String(request.id),
    });

    r.post(
      '/api/v1/admin/sso/clients',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary:
            'Register a department system as an OpenID Connect client; a confidential client’s secret is in this answer only',
          body: ClientBody,
          response: { 201: RegisteredClient },
        },
      },
      async (request, reply) => reply.status(201).send(await sso.registerClient(request.body, actor(request))),
    );

    r.get(
      '/api/v1/admin/sso/clients',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary: 'Registered department systems (never their secrets)',
          response: { 200: z.array(Client) },
        },
      },
      async () => sso.listClients(),
    );

    r.delete(
      '/api/v1/admin/sso/clients/:clientId',
      {
        config: { access: ADMIN },
        schema: {
          tags,
          summary: 'Remove a client; everything issued to it stops working',
          params: ClientParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await sso.deleteClient(request.params.clientId, actor(request));
        return reply.status(204).send(null);
      },
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
    const sso = createSsoService(db, { identity: deps.identity });
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

    await app.register(adminRoutes(sso));
    await app.register(interactionRoutes(provider, sso, OIDC_BASE));
    await app.register(providerRoutes(provider));
  };
}
