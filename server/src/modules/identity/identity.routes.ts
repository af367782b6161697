// Identity's HTTP routes: thin. Login in one or two steps, sessions, acting for someone, accounts, enterprises and
// their agents, proxies (帮办代办), staff administration, and the development sink for one-time codes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Code } from '@onething/shared/catalogue';
import {
  PERMISSION_CODES,
  ROLES,
  SESSION_COOKIE,
  isSameOrigin,
  principalOf,
  sessionTokenOf,
} from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import type { IdentityService, RequestContext, SessionIssued } from './identity.service.ts';
import { CommonErrors } from '@onething/shared/problem';

const Uuid = z.uuid();
const Role = z.enum(ROLES);

const MeView = z.object({
  accountId: z.string(),
  kind: z.enum(['person', 'enterprise', 'staff']),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  accountRoles: z.array(Role),
  permissions: z.array(z.enum(PERMISSION_CODES as [string, ...string[]])),
  departmentCode: z.string().nullable(),
  regionCode: z.string().nullable(),
  jurisdiction: z.string().nullable(),
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  loginOtp: z.boolean(),
  subjectId: z.string(),
  actingFor: z
    .object({
      kind: z.enum(['enterprise', 'proxy']),
      id: z.string(),
      name: z.string(),
      proxyId: z.string().nullable(),
      proxyKind: z.enum(['window_consent', 'family']).nullable(),
      bundles: z.array(z.string()).nullable(),
      ended: z.enum(['revoked', 'expired']).nullable(),
    })
    .nullable(),
  enterprises: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      creditCode: z.string(),
      role: z.enum(['legal_representative', 'agent']),
    }),
  ),
});

const SessionResult = z.object({ token: z.string(), expiresAt: z.string(), account: MeView });
const ChallengeResult = z.object({
  challenge: z.object({ id: z.string(), method: z.literal('sms'), destination: z.string(), expiresAt: z.string() }),
});

const PersonRef = z
  .object({ idNumber: z.string().trim().min(1).max(32), name: z.string().trim().min(1).max(40) })
  .strict();
const Scope = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z.object({ bundles: z.array(Code).min(1).max(50) }).strict(),
]);
const Consent = z
  .object({
    method: z.enum(['signature', 'id_card_reader', 'face_match']),
    reference: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
const When = z.iso.datetime({ offset: true });
const Json = z.record(z.string(), z.unknown());
const Password = z.string().min(1).max(200);
const Phone = z.string().trim().max(20);

const ProxyView = z.object({
  id: z.string(),
  kind: z.enum(['window_consent', 'family']),
  grantor: z.object({ id: z.string(), name: z.string(), idNumber: z.string().nullable() }),
  grantee: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
  scope: Json,
  validFrom: z.string(),
  validUntil: z.string(),
  consent: Json,
  status: z.enum(['active', 'revoked', 'expired', 'pending']),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
  actions: z.array(Json).optional(),
});

const StaffView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  kind: z.string(),
  roles: z.array(z.string()),
  departmentCode: z.string().nullable(),
  jurisdiction: z.string().nullable(),
  phone: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
});

const AgentView = z.object({
  personId: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  role: z.enum(['legal_representative', 'agent']),
  since: z.string(),
});

function context(request: FastifyRequest): RequestContext {
  return { ip: request.ip, requestId: String(request.id), userAgent: request.headers['user-agent'] ?? null };
}

/**
 * A login from a web page of another origin is refused: it would plant that origin's chosen session in the
 * browser (login CSRF). Callers without an Origin header (API clients, the CLI) are not browsers posting forms.
 */
function refuseCrossOriginLogin(request: FastifyRequest): void {
  if (request.headers.origin !== undefined && !isSameOrigin(request)) throw new AppError(CommonErrors.forbidden);
}

export function identityRoutes(identity: IdentityService, options: { cookieSecure: boolean; devOtp: boolean }) {
  return async function routes(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['identity'];

    async function issue(reply: FastifyReply, s: SessionIssued) {
      reply.setCookie(SESSION_COOKIE, s.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: options.cookieSecure,
        expires: s.expiresAt,
      });
      return { token: s.token, expiresAt: s.expiresAt.toISOString(), account: await identity.me(s.principal) };
    }

    // ---- login, sessions ----

    r.post(
      '/api/v1/auth/login',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary:
            'Log in with a username and password: a session (bearer token, and an HttpOnly cookie), or a challenge when the account needs a one-time code',
          body: z.object({ username: z.string().min(1).max(100), password: Password }).strict(),
          response: { 200: z.union([SessionResult, ChallengeResult]) },
        },
      },
      async (request, reply) => {
        refuseCrossOriginLogin(request);
        const step = await identity.beginLogin(request.body.username, request.body.password, context(request));
        if (step.next === 'otp') {
          // The development sink: the code is in the log as well as at GET /api/v1/dev/otp. Never in production.
          if (step.devCode)
            request.log.info(
              { username: request.body.username, code: step.devCode },
              'one-time code (development sink)',
            );
          return { challenge: step.challenge };
        }
        return issue(reply, step);
      },
    );

    r.post(
      '/api/v1/auth/login/verify',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'The second step: the one-time code of a challenge (6 digits, 5 minutes, once, 5 attempts)',
          body: z.object({ challengeId: Uuid, code: z.string().regex(/^\d{6}$/, '6 digits') }).strict(),
          response: { 200: SessionResult },
        },
      },
      async (request, reply) => {
        refuseCrossOriginLogin(request);
        return issue(reply, await identity.verifyOtp(request.body.challengeId, request.body.code, context(request)));
      },
    );

    r.post(
      '/api/v1/auth/logout',
      {
        config: { access: 'authenticated', whileActingEnded: true },
        schema: {
          tags,
          summary:
            'End this session, or with {"everywhere": true} every session of the account (cookies and tokens alike)',
          body: z.object({ everywhere: z.boolean().optional() }).strict().nullish(),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        if (request.body?.everywhere) await identity.logoutEverywhere(principalOf(request), String(request.id));
        else {
          const token = sessionTokenOf(request);
          if (token) await identity.logout(token);
        }
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    r.get(
      '/api/v1/auth/me',
      {
        config: { access: 'authenticated', whileActingEnded: true },
        schema: {
          tags,
          summary:
            'The signed-in account: roles and permissions in effect, whom the session acts for, the enterprises it may act for',
          response: { 200: MeView },
        },
      },
      async (request) => identity.me(principalOf(request)),
    );

    r.put(
      '/api/v1/auth/acting-as',
      {
        config: { access: 'authenticated', whileActingEnded: true },
        schema: {
          tags,
          summary:
            'Act for an enterprise you are an agent of ({"enterpriseId"}), for a person under a proxy granted to you ({"proxyId"}), or for yourself ({"enterpriseId": null} or {})',
          body: z
            .object({ enterpriseId: Uuid.nullable().optional(), proxyId: Uuid.optional() })
            .strict()
            .refine((b) => !(b.enterpriseId && b.proxyId), 'give enterpriseId or proxyId, not both'),
          response: { 200: MeView },
        },
      },
      async (request) => {
        const b = request.body;
        const target = b.enterpriseId ? { enterpriseId: b.enterpriseId } : b.proxyId ? { proxyId: b.proxyId } : null;
        return identity.me(await identity.actAs(principalOf(request), target, String(request.id)));
      },
    );

    r.delete(
      '/api/v1/auth/acting-as',
      {
        config: { access: 'authenticated', whileActingEnded: true },
        schema: { tags, summary: 'Stop acting for someone else: back to yourself', response: { 200: MeView } },
      },
      async (request) => identity.me(await identity.actAs(principalOf(request), null, String(request.id))),
    );

    r.put(
      '/api/v1/me/login-otp',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: 'Ask for a one-time code at every login (staff need one whatever this says, unless LOGIN_OTP=off)',
          body: z.object({ enabled: z.boolean() }).strict(),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await identity.setLoginOtp(principalOf(request), request.body.enabled, String(request.id));
        return reply.status(204).send(null);
      },
    );

    if (options.devOtp) {
      r.get(
        '/api/v1/dev/otp',
        {
          config: { access: 'public' },
          schema: {
            tags: ['development'],
            summary:
              'Development only (OTP_DELIVERY=dev, never in production): the pending one-time code of a username, as the SMS would show it',
            querystring: z.object({ username: z.string().min(1).max(100) }),
            response: { 200: z.object({ code: z.string(), challengeId: z.string(), expiresAt: z.string() }) },
          },
        },
        async (request) => identity.devOtp(request.query.username),
      );
    }

    // ---- accounts ----

    r.post(
      '/api/v1/accounts/persons',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary:
            'Register as a natural person: real name, resident ID number (GB 11643), mobile number, password (at least 10 characters, not the username)',
          body: z
            .object({
              username: z.string().trim().min(1).max(40),
              password: Password,
              realName: z.string().trim().min(1).max(40),
              idNumber: z.string().trim().min(1).max(32),
              phone: Phone,
            })
            .strict(),
          response: {
            201: z.object({
              id: z.string(),
              username: z.string(),
              displayName: z.string(),
              kind: z.string(),
              idNumber: z.string().nullable(),
              phone: z.string().nullable(),
              createdAt: z.string(),
            }),
          },
        },
      },
      async (request, reply) => reply.status(201).send(await identity.registerPerson(request.body, context(request))),
    );

    // ---- enterprises and agents (经办人) ----

    const EnterpriseParams = z.object({ id: Uuid });

    r.post(
      '/api/v1/enterprises',
      {
        config: { access: { permission: 'enterprises.manage' } },
        schema: {
          tags,
          summary: 'Register an enterprise by its unified social credit code (GB 32100), as its legal representative',
          body: z.object({ name: z.string().trim().min(2).max(100), uscc: z.string().trim().min(1).max(32) }).strict(),
          response: {
            201: z.object({
              id: z.string(),
              name: z.string(),
              creditCode: z.string(),
              role: z.literal('legal_representative'),
            }),
          },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await identity.registerEnterprise(principalOf(request), request.body, String(request.id))),
    );

    r.get(
      '/api/v1/enterprises/:id/agents',
      {
        config: { access: { permission: 'enterprises.manage' } },
        schema: {
          tags,
          summary: "The enterprise's legal representative and agents (for its legal representative)",
          params: EnterpriseParams,
          response: { 200: z.array(AgentView) },
        },
      },
      async (request) => identity.listAgents(principalOf(request), request.params.id),
    );

    r.post(
      '/api/v1/enterprises/:id/agents',
      {
        config: { access: { permission: 'enterprises.manage' } },
        schema: {
          tags,
          summary: 'Authorise a registered person (ID number and name) as an agent of the enterprise',
          params: EnterpriseParams,
          body: z.object({ person: PersonRef }).strict(),
          response: { 201: AgentView },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await identity.addAgent(principalOf(request), request.params.id, request.body.person, String(request.id)),
          ),
    );

    r.delete(
      '/api/v1/enterprises/:id/agents/:personId',
      {
        config: { access: { permission: 'enterprises.manage' } },
        schema: {
          tags,
          summary: 'Remove an agent; their sessions acting for the enterprise stop working',
          params: z.object({ id: Uuid, personId: Uuid }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await identity.removeAgent(
          principalOf(request),
          request.params.id,
          request.params.personId,
          String(request.id),
        );
        return reply.status(204).send(null);
      },
    );

    // ---- proxies (帮办代办) ----

    r.get(
      '/api/v1/me/proxies',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: 'Proxies I granted (with everything done under each) and proxies granted to me',
          response: { 200: z.object({ granted: z.array(ProxyView), received: z.array(ProxyView) }) },
        },
      },
      async (request) => identity.listProxies(principalOf(request)),
    );

    r.post(
      '/api/v1/me/proxies',
      {
        config: { access: { permission: 'proxies.manage' } },
        schema: {
          tags,
          summary:
            'Authorise a registered family member (ID number and name) to act for me: for some bundles or all, until a time (at most 3 years)',
          body: z.object({ grantee: PersonRef, scope: Scope, validUntil: When }).strict(),
          response: { 201: ProxyView },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await identity.grantFamilyProxy(principalOf(request), request.body, String(request.id))),
    );

    r.delete(
      '/api/v1/me/proxies/:id',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: 'Revoke a proxy I granted, give up one granted to me, or withdraw one I recorded at a window',
          params: z.object({ id: Uuid }),
          querystring: z.object({ reason: z.string().trim().min(1).max(500).optional() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await identity.revokeProxy(
          principalOf(request),
          request.params.id,
          request.query.reason ?? null,
          String(request.id),
        );
        return reply.status(204).send(null);
      },
    );

    r.post(
      '/api/v1/proxies/window-consent',
      {
        config: { access: { permission: 'proxies.record_consent' } },
        schema: {
          tags,
          summary:
            'Window staff record the consent of the person present (ID number and name from the ID card; how consent was given) to act for them',
          body: z.object({ person: PersonRef, scope: Scope, validUntil: When.optional(), consent: Consent }).strict(),
          response: { 201: ProxyView },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await identity.recordWindowConsent(principalOf(request), request.body, String(request.id))),
    );

    r.post(
      '/api/v1/proxies/family',
      {
        config: { access: { permission: 'proxies.record_consent' } },
        schema: {
          tags,
          summary: 'Window staff record that the person present authorises a registered family member to act for them',
          body: z
            .object({ grantor: PersonRef, grantee: PersonRef, scope: Scope, validUntil: When, consent: Consent })
            .strict(),
          response: { 201: ProxyView },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await identity.recordFamilyProxy(principalOf(request), request.body, String(request.id))),
    );

    // ---- staff administration, within the administrator's jurisdiction ----

    const StaffBody = z
      .object({
        username: z.string().trim().min(1).max(40),
        displayName: z.string().trim().min(1).max(60),
        password: Password,
        phone: Phone,
        departmentCode: Code.nullable(),
        jurisdiction: z.string().trim().min(1).max(12),
        roles: z.array(z.string().max(40)).max(10),
      })
      .strict();

    r.get(
      '/api/v1/admin/roles',
      {
        config: { access: { permission: 'accounts.read' } },
        schema: {
          tags: ['identity-admin'],
          summary: 'Roles and the permissions each holds (the permission table, as data)',
          response: {
            200: z.array(
              z.object({
                role: z.string(),
                audience: z.string(),
                permissions: z.array(z.object({ code: z.string(), scope: z.string() })),
              }),
            ),
          },
        },
      },
      async () => identity.permissionTable(),
    );

    r.get(
      '/api/v1/admin/accounts',
      {
        config: { access: { permission: 'accounts.read' } },
        schema: {
          tags: ['identity-admin'],
          summary: 'Staff accounts within my jurisdiction',
          querystring: z.object({
            role: z.string().max(40).optional(),
            department: Code.optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            offset: z.coerce.number().int().min(0).max(100000).default(0),
          }),
          response: { 200: z.array(StaffView) },
        },
      },
      async (request) =>
        identity.listStaff(principalOf(request), {
          role: request.query.role,
          departmentCode: request.query.department,
          limit: request.query.limit,
          offset: request.query.offset,
        }),
    );

    r.get(
      '/api/v1/admin/accounts/:id',
      {
        config: { access: { permission: 'accounts.read' } },
        schema: {
          tags: ['identity-admin'],
          summary: 'A staff account within my jurisdiction',
          params: z.object({ id: Uuid }),
          response: { 200: StaffView },
        },
      },
      async (request) => identity.getStaff(principalOf(request), request.params.id),
    );

    r.post(
      '/api/v1/admin/accounts',
      {
        config: { access: { permission: 'accounts.manage' } },
        schema: {
          tags: ['identity-admin'],
          summary: 'Create a staff account with roles, a department and a jurisdiction within mine',
          body: StaffBody,
          response: { 201: StaffView },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await identity.createStaff(principalOf(request), request.body, String(request.id))),
    );

    r.patch(
      '/api/v1/admin/accounts/:id',
      {
        config: { access: { permission: 'accounts.manage' } },
        schema: {
          tags: ['identity-admin'],
          summary:
            'Change a staff account within my jurisdiction; a change of roles, department, jurisdiction or status ends its sessions',
          params: z.object({ id: Uuid }),
          body: StaffBody.omit({ username: true, password: true })
            .partial()
            .extend({ disabled: z.boolean().optional() })
            .strict(),
          response: { 200: StaffView },
        },
      },
      async (request) =>
        identity.updateStaff(principalOf(request), request.params.id, request.body, String(request.id)),
    );
  };
}
