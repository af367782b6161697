// The errors any route may answer with: a request that fails its schema, no such route, no session, no right.
import { defineProblems } from './problem.ts';

export const CommonErrors = defineProblems({
  invalidRequest: {
    code: 'request.invalid',
    status: 400,
    title: { zh: '请求参数不正确', en: 'The request is not valid' },
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
