// The one way the web talks to the API. Same-origin fetch: the HttpOnly session cookie goes along and the
// browser adds Origin to writes, which the server's CSRF check needs. Errors arrive as problem+json
// (RFC 9457) in the language we ask for, so the user sees the server's own words in their language.
import i18n from '../i18n';
import type { Problem } from '@onething/shared/problem';
import { takeEarly } from './first-load/early';

/** The problem+json body (RFC 9457) and its field errors, as the server's http edge renders them. */
export type { Problem, ProblemFieldError as FieldProblem } from '@onething/shared/problem';

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  constructor(status: number, problem: Problem | null, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
  get code(): string | undefined {
    return this.problem?.code;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A plain object is sent as JSON; a Blob (an uploaded file) is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function currentLanguage(): string {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await request<T>(path, options)).data;
}

/**
 * A page of a list and how many items the whole list has: X-Total-Count, or, where the server counts only so far,
 * X-Total-Count-Exceeds (then `total` is that number and `more` is true: "10,000+").
 */
export interface ListPage<T> {
  rows: T[];
  total: number;
  more: boolean;
}

export async function apiPage<T>(path: string, options: RequestOptions = {}): Promise<ListPage<T>> {
  const { data, headers } = await request<T[]>(path, options);
  return listPage(data, headers.get('x-total-count'), headers.get('x-total-count-exceeds'));
}

/** A list page from its rows and headers (initialPageFromEarly reads an early answer with it). */
export function listPage<T>(
  data: T[] | null | undefined,
  totalHeader: string | null,
  exceedsHeader: string | null,
): ListPage<T> {
  const rows = data ?? [];
  const count = (header: string | null) =>
    header !== null && header.trim() !== '' && Number.isFinite(Number(header)) ? Number(header) : null;
  const total = count(totalHeader);
  if (total !== null) return { rows, total, more: false };
  const exceeds = count(exceedsHeader);
  return exceeds !== null ? { rows, total: exceeds, more: true } : { rows, total: rows.length, more: false };
}

async function request<T>(path: string, options: RequestOptions): Promise<{ data: T; headers: Headers }> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'accept-language': currentLanguage(),
    ...options.headers,
  };
  let body: BodyInit | undefined;
  if (options.body instanceof Blob) {
    body = options.body;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    // A GET the page asked for early (lib/first-load/early.ts) takes that answer.
    const early = (options.method ?? 'GET') === 'GET' && !options.headers ? await takeEarly(path) : undefined;
    res =
      early ??
      (await fetch(path, {
        method: options.method ?? 'GET',
        headers,
        body,
        credentials: 'same-origin',
        signal: options.signal,
      }));
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, null, i18n.t('error.network'));
  }
  if (res.status === 204) return { data: undefined as T, headers: res.headers };
  const type = res.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    const problem = data && typeof data === 'object' && 'title' in data ? (data as Problem) : null;
    throw new ApiError(res.status, problem, problem?.title ?? i18n.t('error.http', { status: res.status }));
  }
  return { data: data as T, headers: res.headers };
}

/** A message for any error, in the user's language. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return i18n.t('error.unexpected');
}

/** An RFC 4122 v4 id; crypto.randomUUID exists only in secure contexts, so fall back to getRandomValues. */
export function newUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
