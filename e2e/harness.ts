// Starts a real OneThing server (npm start's entry point) on a free port with a fresh PGlite directory,
// and Debian's Chromium through playwright-core. Never a downloaded browser. Helpers for the journeys:
// API logins (answering the one-time-code step the way a developer does, through the dev endpoint),
// a signed-in browser context, screenshots, the phone-width check and the axe-core check.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');
export const PASSWORD = 'OneThing-demo-2026';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Server {
  url: string;
  stop(): Promise<void>;
}

export async function startServer(): Promise<Server> {
  // The compiled server and web app, as npm start runs them: `npm run test:e2e` builds both first.
  for (const built of ['web/dist/index.html', 'server/dist/main.js', 'shared/dist/index.js'])
    if (!fs.existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run npm run build first`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-e2e-'));
  // The port the system gave freePort() is free again once closed, and an outgoing connection may take it as its
  // local end before the server listens: a server that exits with EADDRINUSE is started again on another port.
  for (let attempt = 1; ; attempt++) {
    const started = await startOn(await freePort(), dataDir);
    if ('url' in started) return started;
    if (!started.portTaken || attempt === 3) throw new Error(`server exited with ${started.exitCode} during start-up`);
    console.warn(`e2e: port taken before the server listened (attempt ${attempt}); another port`);
  }
}

async function startOn(
  port: number,
  dataDir: string,
): Promise<Server | { exitCode: number | null; portTaken: boolean }> {
  // The browser tests submit and upload as a few demo accounts, more often than a person would: the per-account
  // abuse limits (tested by the API tests) are raised for them.
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: os.tmpdir(),
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEED_DEMO_APPLICATIONS: 'false',
    LOG_LEVEL: 'warn',
    SUBMISSIONS_PER_MINUTE: '1000',
    UPLOADS_PER_MINUTE: '1000',
  };
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'server/bin/server.mjs')], {
    env,
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let portTaken = false;
  child.stderr!.on('data', (chunk: Buffer) => {
    if (chunk.includes('EADDRINUSE')) portTaken = true;
    process.stderr.write(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      if (!child.stderr!.readableEnded) await new Promise((r) => child.stderr!.once('end', r)); // its last words
      return { exitCode: child.exitCode, portTaken };
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not become ready in 90 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // A fake camera (Chromium's test pattern), allowed without a prompt: the window's document-camera scan uses it.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}

/** A screenshot after fonts and animations settle: the full page, or the viewport (where a dialog is open). */
export async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(250);
  await page.screenshot({ path: screenshotPath(name), fullPage: options.fullPage ?? true });
}

// ---- the API, as the departments' side of a journey ----

export async function api<T>(
  base: string,
  token: string | null,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(base + url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body:
      body === undefined
        ? undefined
        : body instanceof Uint8Array
          ? (body as unknown as BodyInit)
          : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A bearer token; staff accounts answer the one-time code from the development endpoint. */
export async function login(base: string, username: string): Promise<string> {
  const first = await api<{ token?: string; challenge?: { id: string } }>(base, null, 'POST', '/api/v1/auth/login', {
    username,
    password: PASSWORD,
  });
  if (first.token) return first.token;
  const otp = await api<{ code: string; challengeId: string }>(
    base,
    null,
    'GET',
    `/api/v1/dev/otp?username=${encodeURIComponent(username)}`,
  );
  const second = await api<{ token: string }>(base, null, 'POST', '/api/v1/auth/login/verify', {
    challengeId: first.challenge!.id,
    code: otp.code,
  });
  return second.token;
}

/** A browser context whose session cookie is `username`'s, as if they had logged in on the page. */
export async function signedInContext(
  browser: Browser,
  base: string,
  username: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  const token = await login(base, username);
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 }, ...options });
  const { hostname } = new URL(base);
  await context.addCookies([
    { name: 'onething_session', value: token, domain: hostname, path: '/', httpOnly: true, sameSite: 'Lax' },
  ]);
  return context;
}

/** Preferences the portal keeps in localStorage (language, elderly mode), set before the first page loads. */
export async function setPreferences(
  context: BrowserContext,
  prefs: { lang?: 'zh-CN' | 'en'; elderly?: boolean },
): Promise<void> {
  await context.addInitScript((p) => {
    if (p.lang) localStorage.setItem('onething.lang', p.lang);
    if (p.elderly !== undefined) localStorage.setItem('onething.elderly', p.elderly ? '1' : '0');
  }, prefs);
}

/**
 * Picks an option of an Ant Design select, given its input (a locator, or its exact label on the page). `type` is
 * typed into the opened list first, to narrow a long (virtualised) one. The option whose text is `option` (or begins
 * with it and a space: "企业注销一件事 (enterprise-deregistration)") is clicked; only when there is none, the first
 * that contains it ("“是否需要…？”回答“是”时" for "回答“是”时"), so "已超期" never picks "今日到期（含已超期）".
 * Under load a list still opening, filtering or closing can swallow a click, so: open the list if it is closed,
 * click the option, check what the select shows; again until it shows the option (20 s at most). A list left open
 * (a multiple select's) is closed with Escape, which the open select takes for itself, not its dialog. For a select
 * that is an action (its value stays empty, as the designer's 添加事项), `until` is what shows that it took effect.
 * A native <select> is chosen by its option's text.
 */
export async function chooseOption(
  page: Page,
  input: Locator | string,
  option: string,
  opts: { type?: string; until?: Locator } = {},
): Promise<void> {
  const select = typeof input === 'string' ? page.getByLabel(input, { exact: true }) : input;
  // A native <select> (the queue's filters): Playwright chooses by the option's text and waits for it itself.
  if ((await select.locator('xpath=self::select').count()) > 0) {
    await select.selectOption({ label: option });
    if (opts.until) await opts.until.first().waitFor();
    return;
  }
  const root = select.locator(
    'xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]',
  );
  const list = page.locator('.ant-select-dropdown:visible');
  const options = list.locator('.ant-select-item-option');
  const escaped = option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const exactly = options.filter({ hasText: new RegExp(`^\\s*${escaped}(\\s|$)`) });
  const names = (v: string, text: string) => v === text || v.startsWith(`${text} `);
  let wanted: string | undefined; // the full text of the option clicked
  const values = async () =>
    (await root.locator('.ant-select-content, .ant-select-selection-item').allInnerTexts()).map((v) => v.trim());
  const holds = async () =>
    opts.until
      ? (await opts.until.count()) > 0
      : (await values()).some((v) => names(v, option) || (wanted !== undefined && names(v, wanted)));
  const until = Date.now() + 20_000;
  while (!(await holds())) {
    if (Date.now() > until)
      throw new Error(
        `the select does not hold “${option}”${opts.until ? ' (or it did not take effect)' : ''} after 20 s; its values: ${JSON.stringify(await values())}`,
      );
    if ((await list.count()) === 0) {
      await select.click();
      if (opts.type) await page.keyboard.type(opts.type);
    }
    const target = (await exactly.count()) > 0 ? exactly.first() : options.filter({ hasText: option }).first();
    const text = await target.innerText({ timeout: 2000 }).catch(() => undefined);
    if (text === undefined) continue;
    wanted = text.trim();
    await target.click({ timeout: 2000 }).catch(() => undefined);
  }
  if ((await list.count()) > 0) await page.keyboard.press('Escape');
  await list.first().waitFor({ state: 'hidden' });
}

/** Uncaught errors on a page: a journey fails on any. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
// A 1×1 PNG.
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The page is no wider than the viewport: nothing scrolls sideways on a phone. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

// ---- accessibility: axe-core from its npm package, injected into the page ----

const requireFromWeb = createRequire(path.join(ROOT, 'web/package.json'));
const AXE = requireFromWeb.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** Violations of WCAG 2.1 A/AA and best practice; the journeys fail on serious and critical ones. */
export async function axe(page: Page): Promise<{ serious: AxeViolation[]; other: AxeViolation[] }> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: AxeViolation[] }> } };
    const r = await w.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  return { serious, other: violations.filter((v) => !serious.includes(v)) };
}

/** For an assertion message: what axe found, readable. */
export function describeViolations(vs: AxeViolation[]): string {
  return vs
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n    ')}`,
    )
    .join('\n');
}
