// The OpenID Connect provider (oidc-provider, OpenID Certified) configured for OneThing: authorisation code flow
// only, PKCE (S256) required of every client, signed ID tokens carrying the real-name level, clients from
// sso_clients, state in oidc_payloads, keys from sso_keys, and our own login page (sso.interaction.ts).
import Provider, { type Adapter, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { negotiateLang } from '../../platform/i18n.ts';
import { ACR_VALUES, FIRST_PARTY, SCOPE_CLAIMS, SCOPES, secretMatches } from './sso.domain.ts';
import type { ProviderKeys } from './sso.keys.ts';
import type { SsoService } from './sso.service.ts';
import { errorPage, loggedOutPage, logoutPage } from './sso.views.ts';

export interface ProviderOptions {
  issuer: string;
  keys: ProviderKeys;
  adapter: (kind: string) => Adapter;
  sso: SsoService;
  /** How long a sign-in at the provider lasts (the platform's session lifetime). */
  sessionTtlSeconds: number;
  /**
   * Behind a TLS-terminating proxy: trust X-Forwarded-Proto/Host so that endpoint URLs are https. The cookies are
   * made Secure by sso.routes.ts whatever the proxy sends (config COOKIE_SECURE).
   */
  trustProxy: boolean;
}

// The algorithms of our keys (sso.keys.ts); a JWK marked RS256 cannot sign PS256.
const ASYMMETRIC = ['RS256', 'ES256'] as const;

function langOf(ctx: KoaContextWithOIDC) {
  const q = ctx.query.lang;
  return negotiateLang(ctx.get('accept-language') || undefined, typeof q === 'string' ? q : undefined);
}

export function createProvider(o: ProviderOptions): Provider {
  const issuerPath = new URL(o.issuer).pathname.replace(/\/$/, '');

  const configuration: Configuration = {
    adapter: o.adapter,
    jwks: o.keys.jwks as Configuration['jwks'],
    cookies: {
      keys: o.keys.cookieKeys,
      names: { session: 'onething_sso', interaction: 'onething_sso_interaction', resume: 'onething_sso_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    scopes: [...SCOPES],
    // acr, amr and auth_time describe this login. oidc-provider releases a standalone claim only when asked for
    // (claims or acr_values parameter); listed under openid they go into every ID token, which is what a
    // department system deciding "is a password enough here?" needs. The account's own claims follow the scopes.
    claims: { sid: null, ...SCOPE_CLAIMS, openid: [...SCOPE_CLAIMS.openid, 'acr', 'amr', 'auth_time'] },
    // Claims of the granted scopes go into the ID token too, so a department system reads the real-name level
    // from the ID token alone, without a userinfo call.
    conformIdTokenClaims: false,
    acrValues: [...ACR_VALUES],
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    // No HS* and no symmetric encryption: the stored client_secret is a hash and must never become a key.
    enabledJWA: {
      idTokenSigningAlgValues: ASYMMETRIC,
      userinfoSigningAlgValues: ASYMMETRIC,
      introspectionSigningAlgValues: ASYMMETRIC,
      authorizationSigningAlgValues: ASYMMETRIC,
      requestObjectSigningAlgValues: ASYMMETRIC,
      clientAuthSigningAlgValues: ASYMMETRIC,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = logoutPage(langOf(ctx), form);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = loggedOutPage(langOf(ctx));
        },
      },
    },
    extraClientMetadata: { properties: [FIRST_PARTY] },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 15 * 60,
      IdToken: 60 * 60,
      Interaction: 15 * 60,
      Session: o.sessionTtlSeconds,
      Grant: o.sessionTtlSeconds,
    },
    interactions: { url: (_ctx, interaction) => `${issuerPath}/interaction/${interaction.uid}` },

    async findAccount(_ctx, sub) {
      const claims = await o.sso.claimsOf(sub);
      return claims ? { accountId: sub, claims: () => claims } : undefined;
    },

    // A first-party system is granted what it asks for (within the scopes it is registered for, which the
    // provider has already enforced) without a consent screen. Any other client gets the consent page.
    async loadExistingGrant(ctx) {
      const client = ctx.oidc.client!;
      const session = ctx.oidc.session!;
      const grantId =
        (ctx.oidc.result?.consent as { grantId?: string } | undefined)?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (client.metadata()[FIRST_PARTY] !== true || !session.accountId) return existing;
      const grant =
        existing ?? new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(ctx.oidc.requestParamOIDCScopes);
      await grant.save();
      return grant;
    },

    // A browser-based (public) client may call the token and userinfo endpoints from the origins it redirects to.
    clientBasedCORS(_ctx, origin, client) {
      return client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false;
    },

    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage(langOf(ctx), out.error, out.error_description);
    },
  };

  const provider = new Provider(o.issuer, configuration);
  provider.proxy = o.trustProxy;

  // Client secrets are stored as SHA-256 (sso_clients.secret_sha256): compare by hashing what the client
  // presents. oidc-provider has no option for this, so its comparison method is replaced on this provider's
  // Client class; the SSO tests authenticate with client_secret_basic and would fail if the method went away.
  const clientClass = provider.Client as unknown as {
    prototype: { compareClientSecret(this: { clientSecret?: string }, actual: string): Promise<boolean> };
  };
  clientClass.prototype.compareClientSecret = async function compareClientSecret(actual) {
    return secretMatches(actual, this.clientSecret);
  };

  return provider;
}
