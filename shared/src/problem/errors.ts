// The errors any route may answer with: a request that fails its schema, no such route, no session, no right.
import { defineFieldErrors, defineProblems } from './problem.ts';

export const CommonErrors = defineProblems({
  invalidRequest: {
    code: 'request.invalid',
    status: 400,
    title: { zh: '请求参数不正确', en: 'The request is not valid' },
  },
  invalidText: {
    code: 'request.invalid_text',
    status: 400,
    title: {
      zh: '请求中含有不允许的字符',
      en: 'The request contains characters that are not allowed',
    },
  },
  malformedJson: {
    code: 'request.malformed_json',
    status: 400,
    title: { zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  },
  bodyTooLarge: {
    code: 'request.body_too_large',
    status: 413,
    title: { zh: '请求体过大（上限 {limit} 字节）', en: 'The request body is too large (limit {limit} bytes)' },
  },
  badUrl: { code: 'request.bad_url', status: 400, title: { zh: '请求地址不正确', en: 'The URL is not valid' } },
  malformedRequest: {
    code: 'request.malformed',
    status: 400,
    title: {
      zh: '请求格式不正确（请求行或请求头无法解析）',
      en: 'The request is malformed (its request line or headers cannot be parsed)',
    },
  },
  headersTooLarge: {
    code: 'request.headers_too_large',
    status: 431,
    title: {
      zh: '请求地址或请求头过长（上限 16 KB）',
      en: 'The request line or headers are too large (limit 16 KB)',
    },
  },
  requestTimeout: {
    code: 'request.timeout',
    status: 408,
    title: { zh: '请求发送超时', en: 'The request took too long to arrive' },
  },
  uriTooLong: {
    code: 'request.uri_too_long',
    status: 414,
    title: { zh: '请求地址中的参数过长', en: 'A parameter of the URL is too long' },
  },
  unsupportedMediaType: {
    code: 'request.unsupported_media_type',
    status: 415,
    title: { zh: '不支持的内容类型', en: 'Unsupported content type' },
  },
  notFound: { code: 'http.not_found', status: 404, title: { zh: '资源不存在', en: 'Not found' } },
  methodNotAllowed: {
    code: 'http.method_not_allowed',
    status: 405,
    title: { zh: '不支持的请求方法', en: 'Method not allowed' },
  },
  rateLimited: {
    code: 'http.rate_limited',
    status: 429,
    title: { zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  },
  unauthenticated: {
    code: 'auth.unauthenticated',
    status: 401,
    title: { zh: '请先登录', en: 'Authentication required' },
  },
  forbidden: {
    code: 'auth.forbidden',
    status: 403,
    title: { zh: '无权执行此操作', en: 'You are not allowed to do this' },
  },
  invalidCredentials: {
    code: 'auth.invalid_credentials',
    status: 401,
    title: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  },
  internal: { code: 'internal.error', status: 500, title: { zh: '服务器内部错误', en: 'Internal server error' } },
  unavailable: { code: 'internal.unavailable', status: 503, title: { zh: '服务暂不可用', en: 'Service unavailable' } },
});

/** What the request-level text rule (server platform/http.ts) says of one field. */
export const CommonFieldErrors = defineFieldErrors({
  controlCharacter: {
    code: 'request.control_character',
    detail: {
      zh: '含有不允许的控制字符（如 NUL），只允许制表符和换行',
      en: 'contains a control character (such as NUL); only tab and line breaks are allowed',
    },
  },
  loneSurrogate: {
    code: 'request.lone_surrogate',
    detail: {
      zh: '含有无效的 Unicode 字符（不成对的代理项）',
      en: 'contains an invalid Unicode character (a lone surrogate)',
    },
  },
  percentEncoding: {
    code: 'request.percent_encoding',
    detail: { zh: '不是正确的 UTF-8 百分号编码', en: 'is not valid percent-encoded UTF-8' },
  },
});
