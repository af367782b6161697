// Early requests: the first API calls a page will make, started by an inline script of index.html (vite.config.ts earlyRequests) while the application's scripts are
// still downloading and evaluating (about a third of a second on a government desktop), then handed to the API
// client when the page asks for exactly the same path. Only a successful answer is used, and only a fresh one
// (the page asks within a few seconds), or a 401; anything else is fetched again the normal way, so an early request can
// make a page faster but never different.
// Kept free of imports: the build puts this file, types stripped, into the page as it is.

interface Early {
  at: number;
  response: Promise<Response>;
  /** Set once the answer is in and read (JSON of a success, or a 401): what earlyAnswer hands over. */
  settled?: EarlyAnswer;
}

/** An early answer already in: its status, its JSON body (a success only), and X-Total-Count and X-Total-Count-Exceeds (a list page). */
export interface EarlyAnswer {
  at: number;
  status: number;
  body: unknown;
  total: string | null;
  exceeds: string | null;
}

const FRESH_MS = 10_000;
const KEY = '__onethingEarly';

function pending(): Map<string, Early> {
  const g = globalThis as unknown as Record<string, Map<string, Early> | undefined>;
  return (g[KEY] ??= new Map());
}

/** Starts a GET of an API path now, for the page to pick up. */
export function startEarly(path: string): Promise<Response> {
  const response = fetch(path, {
    headers: { accept: 'application/json, application/problem+json' },
    credentials: 'same-origin',
  });
  const early: Early = { at: Date.now(), response };
  // Read while the application's script is still loading, so that its first render can show the answer
  // (earlyAnswer) instead of rendering once without and again with it. An early request nobody picks up must
  // not surface as an unhandled rejection.
  response
    .then(async (res) => {
      if (res.status === 401) early.settled = { at: early.at, status: 401, body: null, total: null, exceeds: null };
      else if (res.ok && (res.headers.get('content-type') ?? '').includes('json')) {
        const body: unknown = await res.clone().json();
        early.settled = {
          at: early.at,
          status: res.status,
          body,
          total: res.headers.get('x-total-count'),
          exceeds: res.headers.get('x-total-count-exceeds'),
        };
      }
    })
    .catch(() => undefined);
  pending().set(path, early);
  return response;
}

/**
 * The early answer of exactly this path if it is already in and fresh — a success (with its JSON) or a 401 —,
 * taken once; else undefined (then the page asks as usual, and takeEarly may still hand it the request in flight).
 * For a query's initialData: the page's first render has the data.
 */
export function earlyAnswer(path: string): EarlyAnswer | undefined {
  const early = pending().get(path);
  if (!early?.settled) return undefined;
  pending().delete(path);
  return Date.now() - early.at > FRESH_MS ? undefined : early.settled;
}

/**
 * The early request of exactly this path, once, if it is fresh and succeeded — or said 401 (not signed in: the
 * app sends the visitor to the login page without showing the answer, so its language does not matter, and an
 * anonymous visit does not ask for the session twice). Else undefined.
 */
export async function takeEarly(path: string): Promise<Response | undefined> {
  const early = pending().get(path);
  if (!early) return undefined;
  pending().delete(path);
  if (Date.now() - early.at > FRESH_MS) return undefined;
  try {
    const res = await early.response;
    return res.ok || res.status === 401 ? res : undefined;
  } catch {
    return undefined;
  }
}

/** The workbench queue's first page as QueuePage asks for it (the default filter, 20 a page). */
export const QUEUE_PAGE_SIZE = 20;
export const FIRST_QUEUE_PAGE = `/api/v1/cases?limit=${QUEUE_PAGE_SIZE}&offset=0`;

/** Today's year in China (UTC+8), as the workbench's calendar asks for it. */
export function chinaYear(now = Date.now()): number {
  return new Date(now + 8 * 3600_000).getUTCFullYear();
}

/** The workbench's home, the queue: the page whose first requests and code start early. */
export function isWorkbenchHome(pathname: string): boolean {
  return /^\/staff\/?$/.test(pathname);
}

const REVIEWER_HINT = 'onething.reviewer';

/**
 * Remembers whether the person signed in on this browser reviews cases, so that the next visit to the workbench
 * can ask for its queue together with the session instead of after it (a wrong guess costs one unused request).
 */
export function rememberReviewer(reviewer: boolean): void {
  try {
    if (reviewer) localStorage.setItem(REVIEWER_HINT, '1');
    else localStorage.removeItem(REVIEWER_HINT);
  } catch {
    // storage unavailable (private mode): no hint, the queue is asked for after the session
  }
}

function reviewerHint(): boolean {
  try {
    return localStorage.getItem(REVIEWER_HINT) === '1';
  } catch {
    return false;
  }
}

/**
 * What a page at this address will ask for first: the session for every page; for the department workbench, the
 * queue's first page and what its rows are shown with — at once when this browser's last user was a reviewer,
 * else once the session says so.
 */
export function startEarlyRequests(pathname: string): void {
  const me = startEarly('/api/v1/auth/me');
  if (!isWorkbenchHome(pathname)) return;
  const workbench = () => {
    startEarly(FIRST_QUEUE_PAGE);
    startEarly('/api/v1/catalogue/items');
    startEarly('/api/v1/catalogue/bundles?limit=100');
    startEarly(`/api/v1/calendar/years/${chinaYear()}`);
  };
  if (reviewerHint()) return workbench();
  void me
    .then((res) => (res.ok ? (res.clone().json() as Promise<{ roles?: string[] }>) : null))
    .then((account) => {
      if (account?.roles?.includes('reviewer')) workbench();
    })
    .catch(() => undefined);
}

/** The files of a page's code by the page's path, as the build puts them into the page (vite.config.ts). */
export type RouteModules = Record<string, { js: string[]; css: string[] }>;

/**
 * Starts fetching the code of the page at this address (its lazy chunk, the chunks that one imports, and their
 * stylesheets) while the application's own script is still loading and evaluating; without this the fetch starts
 * only once the router has matched the page. Scripts get modulepreload links; stylesheets a preload with the same
 * crossorigin as the stylesheet link Vite adds when the chunk loads, so that this one answer is used. A path
 * without an entry preloads nothing.
 */
export function preloadRouteModules(pathname: string, modules: RouteModules): void {
  const files = modules[pathname.replace(/\/+$/, '') || '/'];
  if (!files) return;
  const add = (href: string, css: boolean) => {
    const link = document.createElement('link');
    link.rel = css ? 'preload' : 'modulepreload';
    if (css) {
      link.as = 'style';
      link.crossOrigin = '';
    }
    link.href = href;
    document.head.appendChild(link);
  };
  for (const href of files.css) add(href, true);
  for (const href of files.js) add(href, false);
}
