// The HTTP edge shared by every context: zod validation of each route part, problem+json errors
// (RFC 9457) in the caller's language, and the not-found handler.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z, ZodType } from 'zod';
import {
  CommonErrors,
  interpolate,
  issuesToFieldErrors,
  type FieldError,
  type Lang,
  type Problem,
  type ProblemDef,
} from '@onething/shared/problem';
import { AppError } from './errors.ts';
import { negotiateLang } from './i18n.ts';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
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

/** The problem+json body of one error in the caller's language; `where` names the part the field errors are in. */
export function renderProblem(
  request: FastifyRequest,
  def: ProblemDef,
  params: Readonly<Record<string, string | number>> = {},
  errors: FieldError[] = [],
  where?: string,
): Problem {
  const lang = request.lang ?? 'zh';
  const title = interpolate(def.title[lang], params);
  const problem: Problem = {
    type: `urn:onething:problem:${def.code}`,
    title,
    status: def.status,
    instance: request.url.split('?')[0] ?? request.url,
    code: def.code,
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
      if (error.def.status >= 500) request.log.error({ err: error }, 'server error');
      return sendProblem(reply, renderProblem(request, error.def, error.params, error.errors));
    }
    if (error instanceof RequestValidationError) {
      const part = error.part === 'querystring' ? 'query' : error.part;
      return sendProblem(
        reply,
        renderProblem(request, CommonErrors.invalidRequest, {}, issuesToFieldErrors(error.issues), part),
      );
    }
    const fe = error as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(
        reply,
        renderProblem(request, CommonErrors.bodyTooLarge, { limit: request.routeOptions.bodyLimit ?? 0 }),
      );
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return sendProblem(reply, renderProblem(request, CommonErrors.unsupportedMediaType));
    if (
      fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      fe instanceof SyntaxError ||
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
    ) {
      return sendProblem(reply, renderProblem(request, CommonErrors.malformedJson));
    }
    if (fe.statusCode === 429) return sendProblem(reply, renderProblem(request, CommonErrors.rateLimited));
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendProblem(
        reply,
        renderProblem(request, CommonErrors.invalidRequest, {}, [
          { pointer: '/', code: fe.code ?? 'request.invalid', detail: { zh: fe.message, en: fe.message } },
        ]),
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, renderProblem(request, CommonErrors.internal));
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
    return sendProblem(reply, renderProblem(request, CommonErrors.notFound));
  });
}

/** Errors the router raises before any hook runs (an undecodable URL, an overlong parameter), as problems. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  request.lang = negotiateLang(request.headers['accept-language']);
  const def =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? CommonErrors.uriTooLong
      : error.code === 'FST_ERR_BAD_URL'
        ? CommonErrors.badUrl
        : CommonErrors.invalidRequest;
  reply.header('x-request-id', request.id);
  void sendProblem(reply, renderProblem(request, def));
}
