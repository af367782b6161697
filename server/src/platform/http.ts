// The HTTP edge shared by every context: zod validation of each route part, problem+json errors
// (RFC 9457) in the caller's language, and the not-found handler.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import { AppError, errorSpec, interpolate, toPointer, type FieldError, type Lang, type LocalText } from './errors.ts';
import { negotiateLang } from './i18n.ts';
import { BILINGUAL } from '@onething/shared/catalogue';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
}

const zhLocale = z.locales.zhCN();
const enLocale = z.locales.en();

function localeMessage(locale: ReturnType<typeof z.locales.en>, issue: z.core.$ZodIssue): string | undefined {
  const out = locale.localeError(issue as unknown as z.core.$ZodRawIssue);
  if (typeof out === 'string') return out;
  return out?.message;
}

/** A request part (body, query, params, headers) that failed its schema. */
export class RequestValidationError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly part: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(`invalid ${part}`);
  }
}

/** zod issues → field errors, in both languages; the pointer names the field within its part. */
export function issuesToFieldErrors(issues: z.core.$ZodIssue[], prefix: ReadonlyArray<PropertyKey> = []): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    // A union reports each branch's issues; name the deepest ones so the caller sees the real field.
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
      if (depth(best) > 0) return issuesToFieldErrors(best, [...prefix, ...issue.path]);
    }
    const path = [...prefix, ...issue.path];
    // A schema's own message (a refinement, a pattern hint) is kept as written; zod's defaults are localised.
    const enDefault = localeMessage(enLocale, issue);
    const customised = enDefault !== undefined && issue.message !== enDefault;
    const [ownZh, ownEn] = issue.message.includes(BILINGUAL)
      ? issue.message.split(BILINGUAL)
      : [issue.message, issue.message];
    const en = ownEn!;
    const zh = customised ? ownZh! : (localeMessage(zhLocale, issue) ?? issue.message);
    return [{ pointer: toPointer(path), code: `schema.${issue.code}`, detail: { zh, en } }];
  });
}

function depth(issues: z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length + (i.code === 'invalid_union' ? 1 : 0)));
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: Array<{ pointer: string; in?: string; code: string; detail: string }>;
}

export function renderProblem(
  request: FastifyRequest,
  code: string,
  params: Record<string, string | number> = {},
  errors: FieldError[] = [],
  where?: string,
): Problem {
  const spec = errorSpec(code) ?? errorSpec('internal.error')!;
  const lang = request.lang ?? 'zh';
  const title = interpolate(spec.title[lang], params);
  const problem: Problem = {
    type: `urn:onething:problem:${code}`,
    title,
    status: spec.status,
    instance: request.url.split('?')[0] ?? request.url,
    code,
    requestId: String(request.id),
  };
  if (errors.length > 0) {
    problem.errors = errors.map((e) => ({
      pointer: e.pointer,
      ...(where ? { in: where } : {}),
      code: e.code,
      detail: e.detail[lang],
    }));
    problem.detail = errors
      .slice(0, 3)
      .map((e) => `${e.pointer}: ${e.detail[lang]}`)
      .join('; ');
  }
  return problem;
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
}

export function text(zh: string, en: string): LocalText {
  return { zh, en };
}

export function registerHttpEdge(app: FastifyInstance, options: { spaFallback?: boolean } = {}): void {
  app.decorateRequest('lang', 'zh');
  app.addHook('onRequest', async (request, reply) => {
    const q = request.query as Record<string, unknown> | undefined;
    request.lang = negotiateLang(request.headers['accept-language'], typeof q?.lang === 'string' ? q.lang : undefined);
    reply.header('x-request-id', request.id);
    reply.header('content-language', request.lang === 'zh' ? 'zh-CN' : 'en');
  });

  app.setValidatorCompiler(({ schema, httpPart }) => {
    const zschema = schema as ZodType;
    return (data: unknown) => {
      const result = zschema.safeParse(data, { reportInput: true });
      if (result.success) return { value: result.data };
      return { error: new RequestValidationError(httpPart ?? 'body', result.error.issues) };
    };
  });

  app.setErrorHandler((error: FastifyError | AppError | RequestValidationError, request, reply) => {
    if (error instanceof AppError) {
      if (errorSpec(error.code)!.status >= 500) request.log.error({ err: error }, 'server error');
      return sendProblem(reply, renderProblem(request, error.code, error.params, error.errors));
    }
    if (error instanceof RequestValidationError) {
      const part = error.part === 'querystring' ? 'query' : error.part;
      return sendProblem(reply, renderProblem(request, 'request.invalid', {}, issuesToFieldErrors(error.issues), part));
    }
    const fe = error as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(
        reply,
        renderProblem(request, 'request.body_too_large', { limit: request.routeOptions.bodyLimit ?? 0 }),
      );
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return sendProblem(reply, renderProblem(request, 'request.unsupported_media_type'));
    if (
      fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      fe instanceof SyntaxError ||
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
    ) {
      return sendProblem(reply, renderProblem(request, 'request.malformed_json'));
    }
    if (fe.statusCode === 429) return sendProblem(reply, renderProblem(request, 'http.rate_limited'));
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendProblem(
        reply,
        renderProblem(request, 'request.invalid', {}, [
          { pointer: '/', code: fe.code ?? 'request.invalid', detail: { zh: fe.message, en: fe.message } },
        ]),
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, renderProblem(request, 'internal.error'));
  });

  app.setNotFoundHandler((request, reply) => {
    // A browser navigating to a page of the single-page web app gets the app, which routes on its own.
    if (
      options.spaFallback &&
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      request.headers.accept?.includes('text/html')
    ) {
      return reply.sendFile('index.html');
    }
    return sendProblem(reply, renderProblem(request, 'http.not_found'));
  });
}

/** Errors the router raises before any hook runs (an undecodable URL, an overlong parameter), as problems. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  request.lang = negotiateLang(request.headers['accept-language']);
  const code =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'request.uri_too_long'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'request.bad_url'
        : 'request.invalid';
  reply.header('x-request-id', request.id);
  void sendProblem(reply, renderProblem(request, code));
}
