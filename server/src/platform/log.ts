// What every log line goes through: secrets redacted by path (authorisation, cookies, bodies), and ID and phone
// numbers masked wherever they appear, by the same recogniser that seals them at rest (platform/pii.ts), in the
// message, in the data logged with it, in a request's URL and in an error's message and stack. Bodies are never
// logged; a number typed into a query string, or echoed by an error (a constraint naming a value), still is not.
import type { LoggerOptions } from 'pino';
import pino from 'pino';
import { maskForRecord, maskText } from './pii.ts';

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-file-name"]',
  'res.headers["set-cookie"]',
  '*.idNumber',
  '*.phone',
  '*.*.idNumber',
  '*.*.phone',
  'body.form',
  'req.body',
];

function isPlain(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A URL with its numbers masked: decoded first, so that +86%20138… is seen as the number it is. */
/**
 * A URL as the log keeps it: the path, and of the query only its names. Query values may be personal (a name
 * searched for, a reason); no route takes an ID number in a URL, and none that comes anyway reaches a log line.
 */
export function urlForLog(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]!.slice(0, 40)}=…`);
  return `${url.slice(0, q)}?${names.join('&')}`;
}

export function maskUrl(url: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    return maskText(url);
  }
  const masked = maskText(decoded);
  return masked === decoded ? url : masked;
}

interface RequestLike {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

/** The options every logger is made with (Fastify's and main.ts's), with its level and any of the caller's. */
export function logOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    formatters: {
      // Values with a serializer of their own (req, err) are class instances here and are masked there.
      log: (obj) =>
        Object.fromEntries(
          Object.entries(obj).map(([k, v]) => [k, typeof v === 'string' || isPlain(v) ? maskForRecord(v) : v]),
        ),
    },
    serializers: {
      msg: (msg: unknown) => (typeof msg === 'string' ? maskText(msg) : msg),
      // Fastify's own request serializer, with the path masked and the query's values left out.
      req: (req: RequestLike) => ({
        method: req.method,
        url: req.url === undefined ? undefined : maskUrl(urlForLog(req.url)),
        version: req.headers?.['accept-version'],
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
      err: (err: Error) => maskForRecord({ ...pino.stdSerializers.err(err) }),
    },
  };
}
