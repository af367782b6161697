// The SSO context's contracts: the administrators' registry of department systems (OpenID Connect clients).
// The provider's own endpoints under /oidc speak the protocol, not these.
import { z } from 'zod';

/** The scopes a client may be registered for. `openid` is required; `onething` releases roles and jurisdiction. */
export const SCOPES = ['openid', 'profile', 'onething'] as const;
export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;

/** How a client authenticates at the token endpoint; `none` is a public client (PKCE only). */
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export const AuthMethod = z.enum(AUTH_METHODS);
export type AuthMethod = z.infer<typeof AuthMethod>;

/**
 * A registered client, never with its secret. `scopes` are those registered (stored as text). `jurisdiction`
 * (GB/T 2260) decides who manages it: administrators whose jurisdiction contains it, and for a first-party client
 * only those of the whole province. `departmentCode` is null only for clients registered before departments were
 * required.
 */
export const Client = z.object({
  clientId: z.string(),
  name: z.string(),
  departmentCode: z.string().nullable(),
  jurisdiction: z.string(),
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  authMethod: AuthMethod,
  scopes: z.array(z.string()),
  firstParty: z.boolean(),
  createdAt: z.string(),
});
export type Client = z.infer<typeof Client>;

/** The client just registered: a confidential client's secret is in this answer and nowhere else. */
export const RegisteredClient = Client.extend({ clientSecret: z.string().optional() });
export type RegisteredClient = z.infer<typeof RegisteredClient>;

const ClientFields = {
  name: z.string().trim().min(1).max(100).describe('The department system, as people will see it on the login page'),
  departmentCode: z.string().min(1).max(64).describe('The department that runs it'),
  jurisdiction: z
    .string()
    .min(1)
    .max(12)
    .describe(
      'GB/T 2260 code (6, 9 or 12 digits) within the department’s region: administrators of it or above manage the client. Default: the department’s region',
    ),
  redirectUris: z
    .array(z.string().min(1).max(2000))
    .min(1)
    .max(10)
    .describe('Exact callback URLs: https, or http://localhost / 127.0.0.1 for development'),
  postLogoutRedirectUris: z.array(z.string().min(1).max(2000)).max(10),
  scopes: z.array(Scope).min(1).max(SCOPES.length),
  firstParty: z
    .boolean()
    .describe('A government system: signs people in without a consent screen. Province-level administrators only'),
};

export const ClientBody = z
  .object({
    ...ClientFields,
    jurisdiction: ClientFields.jurisdiction.optional(),
    postLogoutRedirectUris: ClientFields.postLogoutRedirectUris.optional(),
    authMethod: AuthMethod.default('client_secret_basic').describe(
      'client_secret_basic/post for a server-side system (a secret is returned once); none for a browser or mobile app (PKCE only)',
    ),
    scopes: ClientFields.scopes.default(['openid', 'profile']),
    firstParty: ClientFields.firstParty.default(false),
  })
  .strict();
/** What an administrator sends (the defaults filled in by the server). */
export type ClientBody = z.input<typeof ClientBody>;

/**
 * A change to a registered client: the fields given replace the registered ones, the others stay. The
 * authentication method is fixed at registration (a secret is issued only then).
 */
export const ClientPatchBody = z.object(ClientFields).partial().strict();
export type ClientPatchBody = z.input<typeof ClientPatchBody>;

export const ClientParams = z.object({ clientId: z.string().min(1).max(100) });
export type ClientParams = z.input<typeof ClientParams>;
