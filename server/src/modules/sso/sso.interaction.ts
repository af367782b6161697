// The provider's interaction endpoints: the login page (password, then the one-time code where identity's policy
// asks for one), the consent page (for clients that are not first-party) and cancel. oidc-provider sends the
// browser here with an interaction cookie; these handlers read it with interactionDetails and hand the result back
// with interactionFinished, which redirects to the provider.
// Not under /api/v1: pages for a browser, guarded by the interaction cookie (SameSite=Lax, signed) rather than by
// the platform's session. A cross-site POST carries no such cookie and finds no interaction.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, type default as Provider } from 'oidc-provider';
import { AppError } from '../../platform/errors.ts';
import { CommonErrors, interpolate, type Lang, type ProblemDef } from '@onething/shared/problem';
import { IdentityErrors } from '@onething/shared/identity';
import type { LoginContext } from '../identity/index.ts';
import type { LoginOutcome, SsoService } from './sso.service.ts';
import { consentPage, loginPage, messagePage, otpPage, pageText } from './sso.views.ts';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;
type Params = { uid: string };

/** Kept in the interaction (server side) between the password and the code step: which challenge is pending. */
const PENDING = 'onething_pending_otp';
interface PendingOtp {
  challengeId: string;
  destination: string;
}

const MAX_FIELD = 200;

/** Refusals of a login step that the page explains (in identity's words) instead of failing. */
const LOGIN_REFUSALS = codes(
  CommonErrors.invalidCredentials,
  IdentityErrors.locked,
  CommonErrors.rateLimited,
  IdentityErrors.otpUnavailable,
);
const OTP_RETRY = codes(IdentityErrors.otpIncorrect);
const OTP_RESTART = codes(
  IdentityErrors.otpExpired,
  IdentityErrors.otpUsed,
  IdentityErrors.otpExhausted,
  IdentityErrors.locked,
  CommonErrors.rateLimited,
);

function codes(...defs: ProblemDef[]): ReadonlySet<string> {
  return new Set(defs.map((d) => d.code));
}

function message(err: AppError, lang: Lang): string {
  return interpolate(err.def.title[lang], err.params);
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    )
    .send(body);
}

/**
 * A browser POST that names another origin is refused before anything is read: defence in depth, since such a
 * request carries no interaction cookie anyway. An absent or opaque ("null") Origin is left to the cookie.
 */
function isForeignPost(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

function field(request: FastifyRequest, name: string): string {
  const value = ((request.body ?? {}) as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.slice(0, MAX_FIELD) : '';
}

function loginContextOf(request: FastifyRequest): LoginContext {
  return { ip: request.ip, requestId: String(request.id), userAgent: request.headers['user-agent'] ?? null };
}

export function interactionRoutes(provider: Provider, sso: SsoService, base: string) {
  /** The interaction of this browser, only if it is the one in the URL and still pending. */
  async function load(request: FastifyRequest<{ Params: Params }>, reply: FastifyReply): Promise<Interaction | null> {
    try {
      const interaction = await provider.interactionDetails(request.raw, reply.raw);
      return interaction.uid === request.params.uid ? interaction : null;
    } catch (err) {
      if (err instanceof errors.SessionNotFound) return null;
      throw err;
    }
  }

  function pendingOtp(interaction: Interaction): PendingOtp | null {
    const pending = (interaction.result as Record<string, unknown> | undefined)?.[PENDING] as PendingOtp | undefined;
    return pending?.challengeId ? pending : null;
  }

  /** Remembers (or forgets, with null) the pending challenge in the interaction, without finishing it. */
  async function setPending(request: FastifyRequest, reply: FastifyReply, pending: PendingOtp | null) {
    await provider.interactionResult(request.raw, reply.raw, pending ? { [PENDING]: pending } : {}, {
      mergeWithLastSubmission: false,
    });
  }

  async function clientName(interaction: Interaction): Promise<string> {
    const clientId = String(interaction.params.client_id ?? '');
    const client = await provider.Client.find(clientId);
    return client?.clientName ?? clientId;
  }

  async function finish(
    request: FastifyRequest,
    reply: FastifyReply,
    result: Parameters<Provider['interactionFinished']>[2],
    merge: boolean,
  ) {
    // interactionFinished writes the 303 to the raw response itself.
    reply.hijack();
    await provider.interactionFinished(request.raw, reply.raw, result, { mergeWithLastSubmission: merge });
  }

  async function signedIn(
    request: FastifyRequest,
    reply: FastifyReply,
    interaction: Interaction,
    done: Extract<LoginOutcome, { next: 'done' }>,
  ) {
    await sso.recordLogin(done.accountId, String(interaction.params.client_id ?? ''), done.acr, String(request.id));
    return finish(request, reply, { login: { accountId: done.accountId, acr: done.acr, amr: done.amr } }, false);
  }

  return async function routes(app: FastifyInstance) {
    // HTML forms post urlencoded; only this scope parses it, and small.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );

    app.get<{ Params: Params }>(`${base}/interaction/:uid`, { schema: { hide: true } }, async (request, reply) => {
      const interaction = await load(request, reply);
      if (!interaction) return html(reply, 400, messagePage(request.lang, 'expired'));
      const page = { lang: request.lang, uid: interaction.uid, base, clientName: await clientName(interaction) };
      if (interaction.prompt.name === 'login') {
        const pending = pendingOtp(interaction);
        return html(reply, 200, pending ? otpPage({ ...page, destination: pending.destination }) : loginPage(page));
      }
      const scopes = (interaction.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
      return html(reply, 200, consentPage({ ...page, scopes }));
    });

    app.post<{ Params: Params }>(
      `${base}/interaction/:uid/login`,
      { schema: { hide: true } },
      async (request, reply) => {
        if (isForeignPost(request)) return html(reply, 403, messagePage(request.lang, 'forbidden'));
        const interaction = await load(request, reply);
        if (interaction?.prompt.name !== 'login') return html(reply, 400, messagePage(request.lang, 'expired'));
        const username = field(request, 'username').trim();
        const password = field(request, 'password');
        const page = {
          lang: request.lang,
          uid: interaction.uid,
          base,
          clientName: await clientName(interaction),
          username,
        };
        if (!username || !password)
          return html(reply, 400, loginPage({ ...page, error: pageText('missingCredentials', request.lang) }));
        let outcome: LoginOutcome;
        try {
          outcome = await sso.beginLogin(username, password, loginContextOf(request));
        } catch (err) {
          if (err instanceof AppError && LOGIN_REFUSALS.has(err.code))
            return html(reply, err.def.status, loginPage({ ...page, error: message(err, request.lang) }));
          throw err;
        }
        if (outcome.next === 'done') return signedIn(request, reply, interaction, outcome);
        // Development only (OTP_DELIVERY=dev): the code goes to the log, as identity's own login does.
        if (outcome.devCode) request.log.info({ username, code: outcome.devCode }, 'one-time code (development sink)');
        await setPending(request, reply, { challengeId: outcome.challengeId, destination: outcome.destination });
        // Post/redirect/get: a reload shows the code page instead of sending the password again.
        return reply.redirect(`${base}/interaction/${encodeURIComponent(interaction.uid)}?lang=${request.lang}`, 303);
      },
    );

    app.post<{ Params: Params }>(`${base}/interaction/:uid/otp`, { schema: { hide: true } }, async (request, reply) => {
      if (isForeignPost(request)) return html(reply, 403, messagePage(request.lang, 'forbidden'));
      const interaction = await load(request, reply);
      const pending = interaction ? pendingOtp(interaction) : null;
      if (interaction?.prompt.name !== 'login' || !pending)
        return html(reply, 400, messagePage(request.lang, 'expired'));
      const page = { lang: request.lang, uid: interaction.uid, base, clientName: await clientName(interaction) };
      const code = field(request, 'code').replace(/\s+/g, '');
      if (!/^\d{6}$/.test(code))
        return html(
          reply,
          400,
          otpPage({ ...page, destination: pending.destination, error: pageText('otpMissing', request.lang) }),
        );
      let outcome: LoginOutcome;
      try {
        outcome = await sso.verifyOtp(pending.challengeId, code, loginContextOf(request));
      } catch (err) {
        if (err instanceof AppError && OTP_RETRY.has(err.code))
          return html(
            reply,
            err.def.status,
            otpPage({ ...page, destination: pending.destination, error: message(err, request.lang) }),
          );
        if (err instanceof AppError && OTP_RESTART.has(err.code)) {
          // This challenge is spent: back to the password, saying why.
          await setPending(request, reply, null);
          return html(reply, err.def.status, loginPage({ ...page, error: message(err, request.lang) }));
        }
        throw err;
      }
      if (outcome.next !== 'done') throw new Error('a verified code must end the login');
      return signedIn(request, reply, interaction, outcome);
    });

    app.post<{ Params: Params }>(
      `${base}/interaction/:uid/confirm`,
      { schema: { hide: true } },
      async (request, reply) => {
        if (isForeignPost(request)) return html(reply, 403, messagePage(request.lang, 'forbidden'));
        const interaction = await load(request, reply);
        if (interaction?.prompt.name !== 'consent' || !interaction.session?.accountId)
          return html(reply, 400, messagePage(request.lang, 'expired'));
        const details = interaction.prompt.details as {
          missingOIDCScope?: string[];
          missingOIDCClaims?: string[];
          missingResourceScopes?: Record<string, string[]>;
        };
        const grant = interaction.grantId
          ? await provider.Grant.find(interaction.grantId)
          : new provider.Grant({
              accountId: interaction.session.accountId,
              clientId: String(interaction.params.client_id),
            });
        if (!grant) return html(reply, 400, messagePage(request.lang, 'expired'));
        if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope);
        if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
        for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {}))
          grant.addResourceScope(resource, scopes);
        const grantId = await grant.save();
        return finish(request, reply, { consent: interaction.grantId ? {} : { grantId } }, true);
      },
    );

    app.post<{ Params: Params }>(
      `${base}/interaction/:uid/abort`,
      { schema: { hide: true } },
      async (request, reply) => {
        if (isForeignPost(request)) return html(reply, 403, messagePage(request.lang, 'forbidden'));
        const interaction = await load(request, reply);
        if (!interaction) return html(reply, 400, messagePage(request.lang, 'expired'));
        return finish(
          request,
          reply,
          { error: 'access_denied', error_description: 'End-User aborted interaction' },
          false,
        );
      },
    );
  };
}
