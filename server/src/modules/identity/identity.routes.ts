// Identity's HTTP routes: thin. Login in one or two steps, sessions, acting for someone, accounts, enterprises and
// their agents, proxies (帮办代办), staff administration, and the development sink for one-time codes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccountParams,
  ActAsBody,
  AddAgentBody,
  Agent,
  AgentParams,
  DevOtp,
  DevOtpQuery,
  EnterpriseParams,
  FamilyProxyBody,
  GrantProxyBody,
  LoginBody,
  LoginOtpBody,
  LoginResult,
  LoginVerifyBody,
  LogoutBody,
  Me,
  PersonAccount,
  ProofingChallenge,
  ProofingVerifyBody,
  ProxyView,
  ProxyList,
  ProxyParams,
  RegisterEnterpriseBody,
  RegisteredEnterprise,
  RegisteredPerson,
  RegisterImport,
  RegisterImportQuery,
  RegisterPersonBody,
  RevokeProxyBody,
  RolePermissions,
  Session,
  StaffAccount,
  StaffBody,
  StaffListQuery,
  StaffPatchBody,
  WindowConsentBody,
  WindowConsentCode,
  WindowConsentCodeBody,
  WindowProofBody,
  WindowProofResult,
  IdentityErrors,
} from '@onething/shared/identity';
import { CSV_TYPE, CsvErrors, MAX_CSV_BYTES } from '../../platform/csv.ts';
import { SESSION_COOKIE, isSameOrigin, principalOf, sessionTokenOf } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import { isLoopback } from '../../platform/net.ts';
import { contextOf } from '../../platform/request-context.ts';
import type { IdentityService, LoginContext, SessionIssued } from './identity.service.ts';
import { CommonErrors } from '@onething/shared/problem';

function loginContext(request: FastifyRequest): LoginContext {
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
          body: LoginBody,
          response: { 200: LoginResult },
        },
      },
      async (request, reply) => {
        refuseCrossOriginLogin(request);
        const step = await identity.beginLogin(request.body.username, request.body.password, loginContext(request));
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
          body: LoginVerifyBody,
          response: { 200: Session },
        },
      },
      async (request, reply) => {
        refuseCrossOriginLogin(request);
        return issue(
          reply,
          await identity.verifyOtp(request.body.challengeId, request.body.code, loginContext(request)),
        );
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
          body: LogoutBody,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        if (request.body?.everywhere) await identity.logoutEverywhere(contextOf(request));
        else {
          const token = sessionTokenOf(request);
          if (token) await identity.logout(token);
        }
        reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.cookieSecure });
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
          response: { 200: Me },
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
          body: ActAsBody,
          response: { 200: Me },
        },
      },
      async (request) => {
        const b = request.body;
        const target = b.enterpriseId ? { enterpriseId: b.enterpriseId } : b.proxyId ? { proxyId: b.proxyId } : null;
        return identity.me(await identity.actAs(contextOf(request), target));
      },
    );

    r.delete(
      '/api/v1/auth/acting-as',
      {
        config: { access: 'authenticated', whileActingEnded: true },
        schema: { tags, summary: 'Stop acting for someone else: back to yourself', response: { 200: Me } },
      },
      async (request) => identity.me(await identity.actAs(contextOf(request), null)),
    );

    r.put(
      '/api/v1/me/login-otp',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: 'Ask for a one-time code at every login (staff need one whatever this says, unless LOGIN_OTP=off)',
          body: LoginOtpBody,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await identity.setLoginOtp(contextOf(request), request.body.enabled);
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
            querystring: DevOtpQuery,
            response: { 200: DevOtp },
          },
        },
        async (request) => {
          // Only for the machine itself, also behind a local proxy: request.ip is the client the proxy saw.
          if (!isLoopback(request.ip)) throw new AppError(IdentityErrors.devOtpNotFound);
          return identity.devOtp(request.query.username);
        },
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
            'Register as a natural person: real name, resident ID number (GB 11643), mobile number, password (at least 10 characters, not the username). The account starts at real-name level 1; a code goes to the phone the population register holds for the number if the name matches it (the answer is the same either way)',
          body: RegisterPersonBody,
          response: { 201: RegisteredPerson },
        },
      },
      async (request, reply) => {
        const { devCode, ...registered } = await identity.registerPerson(request.body, loginContext(request));
        if (devCode)
          request.log.info({ username: registered.username, code: devCode }, 'proofing code (development sink)');
        return reply.status(201).send(registered);
      },
    );

    r.post(
      '/api/v1/accounts/persons/proofing/verify',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary:
            'The code sent to the phone on record (6 digits, 5 minutes, once, 5 attempts): binds the ID number to the account at real-name level 2',
          body: ProofingVerifyBody,
          response: { 200: PersonAccount },
        },
      },
      async (request) =>
        identity.verifyPhoneProofing(request.body.challengeId, request.body.code, loginContext(request)),
    );

    r.post(
      '/api/v1/me/proofing',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary:
            'A new code to the phone on record for the ID number the account claims (a few a day); the same answer whether or not one could be sent',
          response: { 201: ProofingChallenge },
        },
      },
      async (request, reply) => {
        const { challenge, devCode } = await identity.startPhoneProofing(contextOf(request), loginContext(request));
        if (devCode) request.log.info({ code: devCode }, 'proofing code (development sink)');
        return reply.status(201).send(challenge);
      },
    );

    r.post(
      '/api/v1/proofing/window',
      {
        config: { access: { permission: 'identity.proof' } },
        schema: {
          tags,
          summary:
            "Window staff saw the ID card: bind its number to the person's account at real-name level 3; with reclaim, freeze the account that held the number",
          body: WindowProofBody,
          response: { 200: WindowProofResult },
        },
      },
      async (request) => identity.proveAtWindow(contextOf(request, 'window'), request.body),
    );

    // ---- enterprises and agents (经办人) ----

    r.post(
      '/api/v1/enterprises',
      {
        config: { access: { permission: 'enterprises.manage' } },
        schema: {
          tags,
          summary:
            'Register an enterprise by its unified social credit code (GB 32100), as the legal representative the enterprise register (一企一档) names (the caller at real-name level 2 or more)',
          body: RegisterEnterpriseBody,
          response: { 201: RegisteredEnterprise },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await identity.registerEnterprise(contextOf(request), request.body)),
    );

    r.get(
      '/api/v1/enterprises/:id/agents',
      {
        config: { access: { permission: 'enterprises.manage' } },
        schema: {
          tags,
          summary: "The enterprise's legal representative and agents (for its legal representative)",
          params: EnterpriseParams,
          response: { 200: z.array(Agent) },
        },
      },
      async (request) => identity.listAgents(contextOf(request), request.params.id),
    );

    r.post(
      '/api/v1/enterprises/:id/agents',
      {
        config: { access: { permission: 'enterprises.manage' } },
        schema: {
          tags,
          summary: 'Authorise a registered person (ID number and name) as an agent of the enterprise',
          params: EnterpriseParams,
          body: AddAgentBody,
          response: { 201: Agent },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await identity.addAgent(contextOf(request), request.params.id, request.body.person)),
    );

    r.delete(
      '/api/v1/enterprises/:id/agents/:personId',
      {
        config: { access: { permission: 'enterprises.manage' } },
        schema: {
          tags,
          summary: 'Remove an agent; their sessions acting for the enterprise stop working',
          params: AgentParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await identity.removeAgent(contextOf(request), request.params.id, request.params.personId);
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
          response: { 200: ProxyList },
        },
      },
      async (request) => identity.listProxies(contextOf(request)),
    );

    r.post(
      '/api/v1/me/proxies',
      {
        config: { access: { permission: 'proxies.manage' } },
        schema: {
          tags,
          summary:
            'Authorise a registered family member (ID number and name) to act for me: for some bundles or all, until a time (at most 3 years)',
          body: GrantProxyBody,
          response: { 201: ProxyView },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await identity.grantFamilyProxy(contextOf(request), request.body)),
    );

    r.delete(
      '/api/v1/me/proxies/:id',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary:
            'Revoke a proxy I granted, give up one granted to me, or withdraw one I recorded at a window; optionally {"reason"}',
          params: ProxyParams,
          body: RevokeProxyBody,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await identity.revokeProxy(contextOf(request), request.params.id, request.body?.reason ?? null);
        return reply.status(204).send(null);
      },
    );

    r.post(
      '/api/v1/proxies/window-consent/code',
      {
        config: { access: { permission: 'proxies.record_consent' } },
        schema: {
          tags,
          summary:
            'Send a one-time code to the phone on record of the registered person at the window (within my jurisdiction), for them to read out as their consent (10 minutes, once, 5 attempts)',
          body: WindowConsentCodeBody,
          response: { 201: WindowConsentCode },
        },
      },
      async (request, reply) => {
        const { devCode, ...sent } = await identity.requestWindowConsentCode(
          contextOf(request, 'window'),
          request.body,
        );
        if (devCode)
          request.log.info({ challengeId: sent.challengeId, code: devCode }, 'consent code (development sink)');
        return reply.status(201).send(sent);
      },
    );

    r.post(
      '/api/v1/proxies/window-consent',
      {
        config: { access: { permission: 'proxies.record_consent' } },
        schema: {
          tags,
          summary:
            'Window staff record the consent of the person present (ID number and name from the ID card), within their jurisdiction, confirmed by the code the person received ({"method": "sms_code", "challengeId", "code"}) or by their ID card read at this window ({"method": "id_card_reader", "cardRead": true}); the proxy lasts for the visit (4 hours, at most 8)',
          body: WindowConsentBody,
          response: { 201: ProxyView },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await identity.recordWindowConsent(contextOf(request, 'window'), request.body)),
    );

    r.post(
      '/api/v1/proxies/family',
      {
        config: { access: { permission: 'proxies.record_consent' } },
        schema: {
          tags,
          summary: 'Window staff record that the person present authorises a registered family member to act for them',
          body: FamilyProxyBody,
          response: { 201: ProxyView },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await identity.recordFamilyProxy(contextOf(request, 'window'), request.body)),
    );

    // ---- the registers (一人一档, 一企一档): CSV extracts ----

    r.get(
      '/api/v1/admin/registers/imports',
      {
        config: { access: { permission: 'registers.import' } },
        schema: {
          tags: ['identity-admin'],
          summary: 'Imports into the population and enterprise registers, newest first: source, date and counts',
          response: { 200: z.array(RegisterImport) },
        },
      },
      async () => identity.listRegisterImports(),
    );

    await app.register(async (scope) => {
      scope.addContentTypeParser(
        [CSV_TYPE, 'application/octet-stream'],
        { parseAs: 'buffer', bodyLimit: MAX_CSV_BYTES },
        (_req, body, done) => done(null, body),
      );
      const s = scope.withTypeProvider<ZodTypeProvider>();
      const csvBody = (request: FastifyRequest): Buffer => {
        const type = String(request.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim()
          .toLowerCase();
        if ((type !== CSV_TYPE && type !== 'application/octet-stream') || !Buffer.isBuffer(request.body))
          throw new AppError(CsvErrors.unsupportedType);
        return request.body;
      };
      const upload = {
        consumes: [CSV_TYPE],
        querystring: RegisterImportQuery,
        body: z.any().describe('The CSV file itself (UTF-8 or GB 18030), with a header row'),
        response: { 200: RegisterImport },
      };

      s.post(
        '/api/v1/admin/registers/population',
        {
          config: { access: { permission: 'registers.import' } },
          bodyLimit: MAX_CSV_BYTES,
          schema: {
            tags: ['identity-admin'],
            summary:
              'Import an extract of the population register (一人一档) as CSV, all rows or none: 公民身份号码, 姓名, 手机号码, 户籍地区划代码',
            ...upload,
          },
        },
        async (request) =>
          identity.importRegisterFile(
            { accountId: principalOf(request).accountId, requestId: String(request.id) },
            'population',
            csvBody(request),
            request.query,
          ),
      );

      s.post(
        '/api/v1/admin/registers/enterprises',
        {
          config: { access: { permission: 'registers.import' } },
          bodyLimit: MAX_CSV_BYTES,
          schema: {
            tags: ['identity-admin'],
            summary:
              'Import an extract of the enterprise register (一企一档) as CSV, all rows or none: 统一社会信用代码, 企业名称, 法定代表人, 法定代表人身份证号码',
            ...upload,
          },
        },
        async (request) =>
          identity.importRegisterFile(
            { accountId: principalOf(request).accountId, requestId: String(request.id) },
            'enterprise',
            csvBody(request),
            request.query,
          ),
      );
    });

    // ---- staff administration, within the administrator's jurisdiction ----

    r.get(
      '/api/v1/admin/roles',
      {
        config: { access: { permission: 'accounts.read' } },
        schema: {
          tags: ['identity-admin'],
          summary: 'Roles and the permissions each holds (the permission table, as data)',
          response: { 200: z.array(RolePermissions) },
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
          querystring: StaffListQuery,
          response: { 200: z.array(StaffAccount) },
        },
      },
      async (request) =>
        identity.listStaff(contextOf(request), {
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
          params: AccountParams,
          response: { 200: StaffAccount },
        },
      },
      async (request) => identity.getStaff(contextOf(request), request.params.id),
    );

    r.post(
      '/api/v1/admin/accounts',
      {
        config: { access: { permission: 'accounts.manage' } },
        schema: {
          tags: ['identity-admin'],
          summary: 'Create a staff account with roles, a department and a jurisdiction within mine',
          body: StaffBody,
          response: { 201: StaffAccount },
        },
      },
      async (request, reply) => reply.status(201).send(await identity.createStaff(contextOf(request), request.body)),
    );

    r.patch(
      '/api/v1/admin/accounts/:id',
      {
        config: { access: { permission: 'accounts.manage' } },
        schema: {
          tags: ['identity-admin'],
          summary:
            'Change a staff account within my jurisdiction; a change of roles, department, jurisdiction or status ends its sessions',
          params: AccountParams,
          body: StaffPatchBody,
          response: { 200: StaffAccount },
        },
      },
      async (request) => identity.updateStaff(contextOf(request), request.params.id, request.body),
    );
  };
}
