// The department workbench's first page in a real browser (Debian's Chromium driven by playwright-core, never a
// downloaded browser): from navigation to the queue's 20 rows and its "N open cases" line on screen. Used by
// run.ts after it has topped the department up to 100,000 open cases.
//
// The time is read from the page's own clock: a check that runs in every animation frame of the new document
// returns performance.now() (milliseconds since the navigation started) in the first frame that has both. Timing
// it from outside with locator.waitFor measured Playwright's polling instead: it looks again after 20, 50, 100,
// 100 and then every 500 ms, so a page ready at 300 ms was seen at about 770 ms and one ready at 800 ms at 1,270.
// That outside figure is kept beside it (`polled`), for comparison with runs before the change.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Page } from 'playwright-core';
import { percentiles, type Percentiles } from './lib.ts';
import type { Query } from './bare.ts';
import { insertOpenQueueCases } from './seed-cases.ts';

export function chromiumPath(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && fs.existsSync(p));
}

export interface BrowserQueueResult {
  chromium: string;
  /** Open cases of the department when measured. */
  open: number;
  /**
   * First loads with an empty cache (the scripts fetched too) on a browser the reviewer has signed in on, as on the
   * first visit after a release, each in a fresh browser context; ms from the navigation's start, by the page's clock.
   */
  cold: Percentiles;
  /** Reloads with the scripts cached, as a reviewer's day goes, by the page's clock. */
  warm: Percentiles;
  /**
   * A returning reviewer: the browser started again on a profile that has opened the workbench before (its HTTP
   * cache, compiled-code cache and session cookie on disk), then /staff opened; one figure per restart.
   */
  returning: Percentiles;
  /** The same loads timed from outside, from the call to the end of Playwright's locator.waitFor (its polling included). */
  polled: { cold: Percentiles; warm: Percentiles };
  shownTotal: string;
}

/** Adds open cases of nj-health (insertOpenQueueCases) until the department has at least `target`; returns how many. */
export async function topUpOpenCases(q: Query, target: number, firstDay: string): Promise<number> {
  const count = async () => Number((await q(`SELECT count(*)::int AS n FROM cases WHERE department_code = 'nj-health' AND status IN ('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided')`)).rows[0].n);
  const missing = target - (await count());
  if (missing > 0) await insertOpenQueueCases({ query: q }, missing, firstDay);
  await q('VACUUM ANALYZE cases');
  await q('ANALYZE applications');
  return count();
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const ROWS = '.staff-queue tbody tr.queue-row';

// The first animation frame in which the page of 20 cases and the total are both in the document. A string, not
// a function: tsx's transform would add a helper to a function's text that the page does not have.
const CHECK = `(() => {
  const rows = document.querySelectorAll('${ROWS}');
  const total = document.querySelector('[data-testid="queue-total"]');
  const on = (e) => !!e && e.getClientRects().length > 0;
  return rows.length >= 20 && on(rows[19]) && on(total) ? performance.now() : false;
})()`;

/** The session cookie of `token` as the login sets it (kept for an hour, so that it outlives a browser restart). */
function sessionCookie(base: string, token: string) {
  const expires = Math.floor(Date.now() / 1000) + 3600;
  return { name: 'onething_session', value: token, domain: new URL(base).hostname, path: '/', httpOnly: true, secure: false, sameSite: 'Lax' as const, expires };
}

/**
 * Opens /staff as the holder of `token` (the session cookie) `runs` + 1 times and times the first page; then, on
 * a browser profile kept on disk, opens it `restarts` more times, each in a browser started afresh.
 */
export async function workbenchFirstPage(base: string, token: string, runs: number, open: number, restarts = 5, firstLoads = 5): Promise<BrowserQueueResult> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  const returning = await returningVisits(executablePath, base, token, restarts);
  const browser = await chromium.launch({ executablePath, headless: true, args: ARGS });
  try {
    // Signed in on this browser, as a login through the page leaves it: the session cookie and the note that its
    // user reviews cases (early.ts rememberReviewer), with an empty cache, as on the first visit after a release.
    // Each first load in a context of its own (its own cache); the reloads in the last one.
    const signedIn = () =>
      browser.newContext({
        locale: 'zh-CN',
        viewport: { width: 1280, height: 900 },
        storageState: {
          cookies: [sessionCookie(base, token)],
          origins: [{ origin: new URL(base).origin, localStorage: [{ name: 'onething.reviewer', value: '1' }] }],
        },
      });
    const shown = async (page: Page, go: () => Promise<unknown>) => {
      const started = performance.now();
      await go();
      const at = await (await page.waitForFunction(CHECK, undefined, { polling: 'raf', timeout: 60_000 })).jsonValue();
      await page.locator(ROWS).nth(19).waitFor({ timeout: 60_000 });
      await page.getByTestId('queue-total').waitFor({ timeout: 60_000 });
      return { page: Number(at), polled: performance.now() - started };
    };
    const colds: Array<{ page: number; polled: number }> = [];
    let page!: Page;
    for (let i = 0; i < firstLoads; i++) {
      if (page) await page.context().close();
      page = await (await signedIn()).newPage();
      colds.push(await shown(page, () => page.goto(`${base}/staff`, { waitUntil: 'commit' })));
    }
    const times: Array<{ page: number; polled: number }> = [];
    for (let i = 0; i < runs; i++) times.push(await shown(page, () => page.reload({ waitUntil: 'commit' })));
    const shownTotal = (await page.getByTestId('queue-total').innerText()).trim();
    return {
      chromium: executablePath,
      open,
      cold: percentiles(colds.map((t) => t.page)),
      warm: percentiles(times.map((t) => t.page)),
      returning,
      polled: { cold: percentiles(colds.map((t) => t.polled)), warm: percentiles(times.map((t) => t.polled)) },
      shownTotal,
    };
  } finally {
    await browser.close();
  }
}

/**
 * A reviewer's morning: the browser was used for the workbench before and is started again. The profile (a temporary
 * directory) first opens /staff three times, so that Chromium has the scripts in its HTTP cache and their compiled
 * code in its code cache (made on the second load, used from the third), then closes; each timed visit starts the
 * browser on that profile, opens /staff, and closes it again.
 */
async function returningVisits(executablePath: string, base: string, token: string, restarts: number): Promise<Percentiles> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-bench-profile-'));
  const visit = async (loads: number): Promise<number> => {
    const context = await chromium.launchPersistentContext(dir, { executablePath, headless: true, locale: 'zh-CN', viewport: { width: 1280, height: 900 }, args: ARGS });
    try {
      await context.addCookies([sessionCookie(base, token)]);
      const page = context.pages()[0] ?? (await context.newPage());
      let at = 0;
      for (let i = 0; i < loads; i++) {
        await (i === 0 ? page.goto(`${base}/staff`, { waitUntil: 'commit' }) : page.reload({ waitUntil: 'commit' }));
        at = Number(await (await page.waitForFunction(CHECK, undefined, { polling: 'raf', timeout: 60_000 })).jsonValue());
      }
      // Chromium writes its caches to disk after the load; give it a moment before closing.
      await page.waitForTimeout(1000);
      return at;
    } finally {
      await context.close();
    }
  };
  try {
    await visit(3);
    const times: number[] = [];
    for (let i = 0; i < restarts; i++) times.push(await visit(1));
    return percentiles(times);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
