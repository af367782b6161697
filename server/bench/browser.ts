// The department workbench's first page in a real browser (Debian's Chromium driven by playwright-core, never a
// downloaded browser): from navigation to the queue's 20 rows and its "N open cases" line on screen. Used by
// run.ts after it has topped the department up to 100,000 open cases.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { percentiles, type Percentiles } from './lib.ts';
import type { Query } from './bare.ts';

export function chromiumPath(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && fs.existsSync(p));
}

export interface BrowserQueueResult {
  chromium: string;
  /** Open cases of the department when measured. */
  open: number;
  /** First load with an empty cache (the scripts fetched too). */
  cold: number;
  /** Reloads with the scripts cached, as a reviewer's day goes. */
  warm: Percentiles;
  shownTotal: string;
}

/**
 * Adds open cases of nj-health (one application each, as a case is unique per application and item) until the
 * department has at least `target`; returns how many it has then. Same shape as server/test/queue.test.ts.
 */
export async function topUpOpenCases(q: Query, target: number): Promise<number> {
  const OPEN = `status IN ('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided')`;
  const count = async () => Number((await q(`SELECT count(*)::int AS n FROM cases WHERE department_code = 'nj-health' AND ${OPEN}`)).rows[0].n);
  const missing = target - (await count());
  if (missing > 0) {
    await q(
      `WITH b AS (SELECT bundle_code, max(version) AS v FROM bundle_versions WHERE bundle_code = 'newborn' GROUP BY bundle_code),
            who AS (SELECT id FROM accounts WHERE username = 'zhangsan')
       INSERT INTO applications (id, number, applicant_id, submitted_by, bundle_code, bundle_version, region_code, channel, status, answers, form, materials, request_sha256, submitted_on)
       SELECT gen_random_uuid(), 'YJSB' || lpad(g::text, 10, '0'), who.id, who.id, b.bundle_code, b.v, '320100', 'web', 'in_progress', '{}', '{}', '[]', 'bench', current_date - 20
         FROM generate_series(1, $1::int) g, b, who`,
      [missing],
    );
    await q(
      `WITH i AS (SELECT item_code, max(version) AS v FROM service_item_versions WHERE item_code = 'birth-medical-certificate' GROUP BY item_code)
       INSERT INTO cases (id, application_id, item_code, item_version, department_code, region_code, status, data, promised_days, received_on, accepted_on, due_date, near_due, overdue, created_at)
       SELECT gen_random_uuid(), a.id, i.item_code, i.v, 'nj-health', '320102', s.status, '{}', 5, current_date - 20,
              CASE WHEN s.status = 'pending' THEN NULL ELSE current_date - 19 END,
              CASE WHEN s.status = 'pending' THEN NULL ELSE current_date + (s.n % 60)::int - 10 END, s.n % 10 = 1, s.n % 10 = 0,
              now() - (s.n || ' seconds')::interval
         FROM (SELECT id, row_number() OVER () AS n FROM applications WHERE number LIKE 'YJSB%') a
         CROSS JOIN LATERAL (SELECT a.n, CASE WHEN a.n % 4 = 0 THEN 'pending' WHEN a.n % 4 = 1 THEN 'accepted' WHEN a.n % 4 = 2 THEN 'reviewing' ELSE 'decided' END AS status) s, i`,
    );
  }
  await q('VACUUM ANALYZE cases');
  await q('ANALYZE applications');
  return count();
}

/** Opens /staff as the holder of `token` (the session cookie) `runs` + 1 times and times the first page. */
export async function workbenchFirstPage(base: string, token: string, runs: number, open: number): Promise<BrowserQueueResult> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'onething_session', value: token, domain: new URL(base).hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    const shown = async (go: () => Promise<unknown>) => {
      const started = performance.now();
      await go();
      await page.locator('.staff-queue tr.ant-table-row').nth(19).waitFor({ timeout: 60_000 });
      await page.getByTestId('queue-total').waitFor({ timeout: 60_000 });
      return performance.now() - started;
    };
    const cold = await shown(() => page.goto(`${base}/staff`, { waitUntil: 'commit' }));
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await shown(() => page.reload({ waitUntil: 'commit' })));
    const shownTotal = (await page.getByTestId('queue-total').innerText()).trim();
    return { chromium: executablePath, open, cold, warm: percentiles(times), shownTotal };
  } finally {
    await browser.close();
  }
}
