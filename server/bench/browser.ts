// The department workbench's first page in a real browser (Debian's Chromium driven by playwright-core, never a
// downloaded browser): from navigation to the queue's 20 rows and its "N open cases" line on screen. Used by
// run.ts after it has topped the department up to 100,000 open cases.
//
// The time is read from the page's own clock, stamped by the page itself (STAMP, an init script): in the first
// animation frame that has the rows and the line, laid out, it writes performance.now() (milliseconds since the
// navigation started) to the console. Before 2026-12-07 02:00 Playwright checked for them in every frame
// (waitForFunction), which first evaluates Playwright's own script in the page while the page loads, on the same
// main thread (100-250 ms of evaluation in traces); those figures are kept beside the new ones (`checked`), measured
// alternately in the same run. Before 2026-12-06 20:00 the time was taken from outside with locator.waitFor, which
// measured Playwright's polling (20, 50, 100, 100, then every 500 ms).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { percentiles, type Percentiles } from './lib.ts';
import type { Query } from './bare.ts';
import { insertOpenQueueCases } from './seed-cases.ts';

export function chromiumPath(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p): p is string => !!p && fs.existsSync(p),
  );
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
  /**
   * As many first loads and half as many reloads timed by the previous method, alternating with the others:
   * Playwright's check in every animation frame (CHECK), its script evaluated in the page while the page loads.
   */
  checked: { cold: Percentiles; warm: Percentiles };
  shownTotal: string;
}

/** Adds open cases of nj-health (insertOpenQueueCases) until the department has at least `target`; returns how many. */
export async function topUpOpenCases(q: Query, target: number, firstDay: string): Promise<number> {
  const count = async () =>
    Number(
      (
        await q(
          `SELECT count(*)::int AS n FROM cases WHERE department_code = 'nj-health' AND status IN ('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided')`,
        )
      ).rows[0].n,
    );
  const missing = target - (await count());
  if (missing > 0) await insertOpenQueueCases({ query: q }, missing, firstDay);
  await q('VACUUM ANALYZE cases');
  await q('ANALYZE applications');
  return count();
}

/**
 * Chromium's flags. Its own address-bar popup (a WebUI page, chrome://omnibox-popup.top-chrome/) is not preloaded:
 * Chromium 156 starts a renderer for it in every new window, and the bench opens a new window (a fresh context, or
 * a browser started afresh) for each first load, so the popup's renderer loaded on the same 2 cores as the page
 * (first loads 650-770 ms at p50 with it, 410-480 without, alternating on a debug copy, 2026-12-07). A reviewer's
 * browser loads its own UI once, when it starts, not while each page loads. BENCH_BROWSER_UI_PRELOAD=1 keeps it.
 */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  ...(process.env.BENCH_BROWSER_UI_PRELOAD === '1'
    ? []
    : ['--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,PreloadTopChromeWebUI']),
];

const ROWS = '.staff-queue tbody tr.queue-row';

// The previous method (runs before 2026-12-07 02:00), kept for comparison: Playwright evaluates this check in every
// animation frame and it returns the page's clock in the first frame in which the page of 20 cases and the total
// are both laid out. Playwright's own script, which runs it, is evaluated in the page while the page loads. A string,
// not a function: tsx's transform would add a helper to a function's text that the page does not have.
const CHECK = `(() => {
  const rows = document.querySelectorAll('${ROWS}');
  const total = document.querySelector('[data-testid="queue-total"]');
  const on = (e) => !!e && e.getClientRects().length > 0;
  return rows.length >= 20 && on(rows[19]) && on(total) ? performance.now() : false;
})()`;

/**
 * The page's own stamp of the same moment, with nothing of Playwright's in the page: an init script watches the
 * document (MutationObserver), and in the first animation frame in which the 20 rows and the total are in it and laid
 * out (getClientRects, which lays the page out as the frame would) writes `performance.now()` to the console, which
 * the bench reads. The page loads as a reviewer's browser loads it.
 */
const STAMP = `(() => {
  const found = () => {
    const rows = document.querySelectorAll('${ROWS}');
    const total = document.querySelector('[data-testid="queue-total"]');
    return rows.length >= 20 && total ? [rows[19], total] : null;
  };
  let waiting = false;
  let done = false;
  const frame = () => {
    waiting = false;
    if (done) return;
    const shown = found();
    if (shown && shown.every((e) => e.getClientRects().length > 0)) {
      done = true;
      observer.disconnect();
      console.debug('onething-first-page ' + performance.now());
    } else if (shown) {
      waiting = true;
      requestAnimationFrame(frame);
    }
  };
  const observer = new MutationObserver(() => {
    if (!waiting && !done && found()) {
      waiting = true;
      requestAnimationFrame(frame);
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/** Loads a page with `go` and returns the page's stamp (STAMP, added to its context) of the first page shown. */
async function stamped(page: Page, go: () => Promise<unknown>): Promise<number> {
  const message = page.waitForEvent('console', {
    predicate: (m) => m.text().startsWith('onething-first-page '),
    timeout: 60_000,
  });
  await go();
  return Number((await message).text().split(' ')[1]);
}

/** The session cookie of `token` as the login sets it (kept for an hour, so that it outlives a browser restart). */
function sessionCookie(base: string, token: string) {
  const expires = Math.floor(Date.now() / 1000) + 3600;
  return {
    name: 'onething_session',
    value: token,
    domain: new URL(base).hostname,
    path: '/',
    httpOnly: true,
    secure: false,
    sameSite: 'Lax' as const,
    expires,
  };
}

/**
 * Times the first page of /staff for the holder of `token` (the session cookie): first on a browser profile kept on
 * disk, `restarts` times in a browser started afresh; then `firstLoads` first loads, each in a fresh context (with
 * `checkedLoads` more by the previous method, alternating), and `runs` reloads in the last context.
 */
export async function workbenchFirstPage(
  base: string,
  token: string,
  runs: number,
  open: number,
  restarts = 5,
  firstLoads = 5,
  checkedLoads = 5,
): Promise<BrowserQueueResult> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  const returning = await returningVisits(executablePath, base, token, restarts);
  const browser = await chromium.launch({ executablePath, headless: true, args: ARGS });
  try {
    // Signed in on this browser, as a login through the page leaves it: the session cookie and the note that its
    // user reviews cases (early.ts rememberReviewer), with an empty cache, as on the first visit after a release.
    // Each first load in a context of its own (its own cache); the reloads in the last one.
    const signedIn = async () => {
      const context = await browser.newContext({
        locale: 'zh-CN',
        viewport: { width: 1280, height: 900 },
        storageState: {
          cookies: [sessionCookie(base, token)],
          origins: [{ origin: new URL(base).origin, localStorage: [{ name: 'onething.reviewer', value: '1' }] }],
        },
      });
      await context.addInitScript(STAMP);
      return context;
    };
    // Then, only once the stamp is in, that the rows are there as a user sees them.
    const shown = async (page: Page, go: () => Promise<unknown>) => {
      const at = await stamped(page, go);
      await page.locator(ROWS).nth(19).waitFor({ timeout: 60_000 });
      await page.getByTestId('queue-total').waitFor({ timeout: 60_000 });
      return at;
    };
    // The previous method: Playwright's check in every frame while the page loads.
    const checked = async (page: Page, go: () => Promise<unknown>) => {
      await go();
      return Number(
        await (await page.waitForFunction(CHECK, undefined, { polling: 'raf', timeout: 60_000 })).jsonValue(),
      );
    };
    const colds: number[] = [];
    const coldsChecked: number[] = [];
    let page!: Page;
    for (let i = 0; i < firstLoads + checkedLoads; i++) {
      if (page) await page.context().close();
      page = await (await signedIn()).newPage();
      const go = () => page.goto(`${base}/staff`, { waitUntil: 'commit' });
      // Alternating while both methods have loads to do, so that both see the machine alike.
      if ((i % 2 === 1 && coldsChecked.length < checkedLoads) || colds.length >= firstLoads)
        coldsChecked.push(await checked(page, go));
      else colds.push(await shown(page, go));
    }
    const times: number[] = [];
    const timesChecked: number[] = [];
    for (let i = 0; i < runs; i++) {
      const go = () => page.reload({ waitUntil: 'commit' });
      times.push(await shown(page, go));
      if (i < runs / 2) timesChecked.push(await checked(page, go));
    }
    const shownTotal = (await page.getByTestId('queue-total').innerText()).trim();
    return {
      chromium: executablePath,
      open,
      cold: percentiles(colds),
      warm: percentiles(times),
      returning,
      checked: { cold: percentiles(coldsChecked), warm: percentiles(timesChecked) },
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
async function returningVisits(
  executablePath: string,
  base: string,
  token: string,
  restarts: number,
): Promise<Percentiles> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-bench-profile-'));
  const visit = async (loads: number): Promise<number> => {
    const context = await chromium.launchPersistentContext(dir, {
      executablePath,
      headless: true,
      locale: 'zh-CN',
      viewport: { width: 1280, height: 900 },
      args: ARGS,
    });
    try {
      await context.addCookies([sessionCookie(base, token)]);
      await context.addInitScript(STAMP);
      const page = context.pages()[0] ?? (await context.newPage());
      let at = 0;
      for (let i = 0; i < loads; i++) {
        at = await stamped(page, () =>
          i === 0 ? page.goto(`${base}/staff`, { waitUntil: 'commit' }) : page.reload({ waitUntil: 'commit' }),
        );
        await page.locator(ROWS).nth(19).waitFor({ timeout: 60_000 });
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
