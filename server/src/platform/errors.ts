// Errors as typed values. Services throw AppError with a stable namespaced code; one table maps each code
// to an HTTP status and to its message in Chinese and English; http.ts renders RFC 9457 problem+json.
// Services never choose HTTP statuses themselves.

export type Lang = 'zh' | 'en';

export interface LocalText {
  zh: string;
  en: string;
}

/** A problem with one field: a JSON Pointer (RFC 6901) into the request part or the document named. */
export interface FieldError {
  pointer: string;
  code: string;
  detail: LocalText;
}

export interface ErrorSpec {
  status: number;
  title: LocalText;
}

const table = new Map<string, ErrorSpec>();

/** Each context declares its codes once; a duplicate code is a programming error. */
export function defineErrors<const T extends Record<string, ErrorSpec>>(specs: T): { [K in keyof T]: K } {
  const codes = {} as { [K in keyof T]: K };
  for (const [code, spec] of Object.entries(specs)) {
    if (table.has(code)) throw new Error(`error code defined twice: ${code}`);
    table.set(code, spec);
    (codes as Record<string, string>)[code] = code;
  }
  return codes;
}

export function errorSpec(code: string): ErrorSpec | undefined {
  return table.get(code);
}

export function allErrorCodes(): string[] {
  return [...table.keys()];
}

export class AppError extends Error {
  readonly code: string;
  readonly params: Record<string, string | number>;
  readonly errors: FieldError[];
  constructor(code: string, params: Record<string, string | number> = {}, errors: FieldError[] = []) {
    super(code);
    if (!table.has(code)) throw new Error(`undeclared error code: ${code}`);
    this.code = code;
    this.params = params;
    this.errors = errors;
  }
}

export function interpolate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

/** JSON Pointer from a path of keys and indexes. */
export function toPointer(path: ReadonlyArray<PropertyKey>): string {
  return `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

export const PlatformErrors = defineErrors({
  'request.invalid': { status: 400, title: { zh: '请求参数不正确', en: 'The request is not valid' } },
  'request.malformed_json': {
    status: 400,
    title: { zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  },
  'request.body_too_large': {
    status: 413,
    title: { zh: '请求体过大（上限 {limit} 字节）', en: 'The request body is too large (limit {limit} bytes)' },
  },
  'request.bad_url': { status: 400, title: { zh: '请求地址不正确', en: 'The URL is not valid' } },
  'request.uri_too_long': {
    status: 414,
    title: { zh: '请求地址中的参数过长', en: 'A parameter of the URL is too long' },
  },
  'request.unsupported_media_type': { status: 415, title: { zh: '不支持的内容类型', en: 'Unsupported content type' } },
  'http.not_found': { status: 404, title: { zh: '资源不存在', en: 'Not found' } },
  'http.method_not_allowed': { status: 405, title: { zh: '不支持的请求方法', en: 'Method not allowed' } },
  'http.rate_limited': {
    status: 429,
    title: { zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  },
  'auth.unauthenticated': { status: 401, title: { zh: '请先登录', en: 'Authentication required' } },
  'auth.forbidden': { status: 403, title: { zh: '无权执行此操作', en: 'You are not allowed to do this' } },
  'auth.invalid_credentials': { status: 401, title: { zh: '用户名或密码错误', en: 'Wrong username or password' } },
  'internal.error': { status: 500, title: { zh: '服务器内部错误', en: 'Internal server error' } },
  'internal.unavailable': { status: 503, title: { zh: '服务暂不可用', en: 'Service unavailable' } },
});
