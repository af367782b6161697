// The HTTP edge shared by every context: zod validation of each route part, one rule for the text any part
// carries, problem+json errors (RFC 9457) in the caller's language, the not-found handler, and answers to what
// Node's HTTP parser refuses before there is a request.
import crypto from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z, ZodType } from 'zod';
import {
  CommonErrors,
  CommonFieldErrors,
  fieldError,
  interpolate,
  issuesToFieldErrors,
  type FieldError,
  type Lang,
  type Problem,
  type ProblemDef,
  toPointer,
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

/** Text in a request part that no route accepts (see textProblems); `errors` name each field. */
export class RequestTextError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly part: 'body' | 'query' | 'params' | 'headers',
    readonly errors: FieldError[],
  ) {
    super(`invalid text in ${part}`);
  }
}

/**
 * What is wrong with one string: a C0 control character other than tab, line feed and carriage return (NUL
 * among them, which PostgreSQL refuses in text and jsonb alike), or a UTF-16 surrogate without its pair (not a
 * character: it cannot be written as UTF-8, and jsonb refuses its escape).
 */
export function textFault(s: string): 'control' | 'surrogate' | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return 'control';
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return 'surrogate';
      i++;
    }
  }
  return null;
}

/** Field errors for every string (keys included) of a parsed part that textFault refuses, by JSON Pointer. */
export function textProblems(value: unknown, path: PropertyKey[] = [], out: FieldError[] = []): FieldError[] {
  if (out.length >= 20) return out;
  const fault = (s: string, at: PropertyKey[]) => {
    const f = textFault(s);
    if (f)
      out.push(
        fieldError(
          toPointer(at),
          f === 'control' ? CommonFieldErrors.controlCharacter : CommonFieldErrors.loneSurrogate,
        ),
      );
  };
  if (typeof value === 'string') fault(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => textProblems(v, [...path, i], out));
  else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      fault(k, [...path, k]);
      textProblems(v, [...path, k], out);
    }
  }
  return out;
}

/** The X-File-Name header: a file's name, percent-encoded UTF-8 (the web encodes it with encodeURIComponent). */
function fileNameProblems(header: string | string[] | undefined): FieldError[] {
  if (header === undefined) return [];
  let decoded: string;
  try {
    decoded = decodeURIComponent(Array.isArray(header) ? header.join(',') : header);
  } catch {
    return [fieldError('/x-file-name', CommonFieldErrors.percentEncoding)];
  }
  return textProblems(decoded, ['x-file-name']);
}

/**
 * One rule for the text of every request, on every route: a JSON body's strings and keys, query values, route
 * parameters and the X-File-Name header. Refused with a 400 naming each field, before a service could try to
 * store them. Runs after authentication (registered after registerAuth), as schema validation does.
 */
export function registerTextRule(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const parts: Array<[RequestTextError['part'], FieldError[]]> = [
      ['params', textProblems(request.params)],
      ['query', textProblems(request.query)],
      ['body', textProblems(request.body)],
      ['headers', fileNameProblems(request.headers['x-file-name'])],
    ];
    const bad = parts.find(([, errors]) => errors.length > 0);
    if (bad) throw new RequestTextError(bad[0], bad[1]);
  });
}

/** The problem+json body of one error in the caller's language; `where` names the part the field errors are in. */
export function renderProblem(
  request: FastifyRequest,
  def: ProblemDef,
  params: Readonly<Record<string, string | number>> = {},
  errors: FieldError[] = [],
  where?: string,
): Problem {
  return problemBody(
    { lang: request.lang ?? 'zh', instance: request.url.split('?')[0] ?? request.url, requestId: String(request.id) },
    def,
    params,
    errors,
    where,
  );
}

function problemBody(
  at: { lang: Lang; instance: string; requestId: string },
  def: ProblemDef,
  params: Readonly<Record<string, string | number>> = {},
  errors: FieldError[] = [],
  where?: string,
): Problem {
  const { lang } = at;
  const problem: Problem = {
    type: `urn:onething:problem:${def.code}`,
    title: interpolate(def.title[lang], params),
    status: def.status,
    instance: at.instance,
    code: def.code,
    requestId: at.requestId,
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

  app.setErrorHandler((error: FastifyError | AppError | RequestValidationError | RequestTextError, request, reply) => {
    if (error instanceof AppError) {
      if (error.def.status >= 500) request.log.error({ err: error }, 'server error');
      return sendProblem(reply, renderProblem(request, error.def, error.params, error.errors));
    }
    if (error instanceof RequestTextError)
      return sendProblem(reply, renderProblem(request, CommonErrors.invalidText, {}, error.errors, error.part));
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

/**
 * What Node's HTTP parser refuses before Fastify sees a request (Fastify's clientErrorHandler): a request line
 * or headers beyond the 16 KB limit (431, an oversized query among them), bytes the request line may not hold
 * (raw UTF-8: 400), a request that took too long (408). Answered as problem+json on the socket, then closed.
 * The language is read from the raw bytes when an Accept-Language header came before the fault.
 */
export function clientErrors(err: ConnectionError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const def =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? CommonErrors.headersTooLarge
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? CommonErrors.requestTimeout
        : CommonErrors.malformedRequest;
  // Typed as a Buffer's JSON shape, but Node hands over the Buffer itself.
  const packet: unknown = err.rawPacket;
  const raw = Buffer.isBuffer(packet) ? packet.subarray(0, 16 * 1024).toString('latin1') : '';
  const lang = negotiateLang(/\r\naccept-language:[ \t]*([^\r\n]*)/i.exec(raw)?.[1]);
  // The path alone, and only when it is plain ASCII: the query may hold what must not be echoed or logged.
  const target = /^[A-Z]+ (\/[\x21-\x7e]*?)(?:\?[^ ]*)? HTTP\/1\.[01]\r\n/.exec(raw)?.[1];
  const body = JSON.stringify(problemBody({ lang, instance: target ?? '/', requestId: crypto.randomUUID() }, def));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${def.status} ${STATUS_CODES[def.status] ?? 'Bad Request'}\r\n` +
        `Content-Type: application/problem+json; charset=utf-8\r\nContent-Language: ${lang === 'zh' ? 'zh-CN' : 'en'}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
