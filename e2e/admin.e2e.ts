// The administration console, in Chinese at 1280 px, as the provincial administrator: departments, staff and
// roles; the catalogue with a bundle's versions and its item graph (ECharts), publishing a draft, exporting the
// catalogue as JSON and importing it back (nothing changes: every version is already published); the calendar's
// years and loading 2030 from a JSON file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaseStats } from '@onething/shared/analytics';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { requestCorrection, submitNewborn } from './fixtures.ts';
import { api, chooseOption, launchBrowser, login, shot, signedInContext, watchErrors } from './harness.ts';

const base = inject('baseUrl');
let browser: Browser;
let page: Page;
let errors: string[];
let token: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-admin-e2e-'));

beforeAll(async () => {
  browser = await launchBrowser();
  token = await login(base, 'admin');
  const context = await signedInContext(browser, base, 'admin');
  page = await context.newPage();
  errors = watchErrors(page);
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('lists departments, the staff of the province and the roles with their permissions', async () => {
  await page.goto(`${base}/admin/people`);
  await page.getByRole('heading', { level: 1, name: '机构与人员' }).waitFor();
  await page.getByRole('cell', { name: 'reviewer.health' }).waitFor();
  await page.getByRole('cell', { name: '南京市卫生健康委员会' }).first().waitFor();
  await page.getByRole('cell', { name: '部门审核人员' }).first().waitFor();
  await page.getByText('cases.review · department').first().waitFor();
});

it('shows a bundle’s versions and its item graph, and publishes a draft', async () => {
  // A draft of the retirement bundle's next version, saved through the API as the bundle designer will.
  const published = await api<{ version: number; content: Record<string, unknown> }>(
    base,
    null,
    'GET',
    '/api/v1/catalogue/bundles/retirement',
  );
  const description = { zh: '退休一件事（修订：浏览器测试）', en: 'Retirement (revised by the browser test)' };
  const draft = await api<{ version: number; status: string }>(
    base,
    token,
    'PUT',
    '/api/v1/admin/catalogue/bundles/retirement/draft',
    { ...published.content, description },
  );
  expect(draft.status).toBe('draft');

  await page.goto(`${base}/admin/catalogue`);
  await page.getByRole('heading', { level: 1, name: '事项与一件事目录' }).waitFor();
  await chooseOption(page, '一件事', '新生儿出生一件事');
  // The newborn graph: seven items, the household registration after the birth certificate.
  const graph = page.getByTestId('bundle-graph');
  await graph.getByText('户口登记(申报出生登记)').waitFor();
  await graph.getByText('《出生医学证明》首签').waitFor();
  expect(await graph.locator('path[d]').count()).toBeGreaterThan(7);
  await shot(page, 'admin-catalogue-graph');

  await chooseOption(page, '一件事', '退休一件事');
  await page.getByTestId('bundle-versions').getByText('草稿').waitFor();
  await page.getByRole('button', { name: `发布草稿（第 ${draft.version} 版）` }).click();
  await page.getByText(`已发布第 ${draft.version} 版。`).waitFor();
  await expect.poll(() => page.getByTestId('bundle-versions').getByText('草稿').count()).toBe(0);
  const versions = await api<Array<{ version: number; status: string }>>(
    base,
    token,
    'GET',
    '/api/v1/admin/catalogue/bundles/retirement/versions',
  );
  expect(versions.find((v) => v.version === draft.version)?.status).toBe('published');
});

it('exports the catalogue as JSON and imports it back, all or nothing', async () => {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出目录（JSON）' }).click();
  const file = path.join(tmp, 'catalogue.json');
  await (await download).saveAs(file);
  const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    bundles: Array<{ items: Array<{ item: string; version?: number }> }>;
    items: unknown[];
  };
  expect(exported.bundles.length).toBeGreaterThanOrEqual(8);
  // Bundles in a file are pinned to the file's items: a bundle published before one of its items got a newer
  // version (another journey edits an item) is republished with the new pin; every other bundle is unchanged.
  const latest = new Map(
    (await api<Array<{ code: string; version: number }>>(base, null, 'GET', '/api/v1/catalogue/items')).map((i) => [
      i.code,
      i.version,
    ]),
  );
  const repinned = exported.bundles.filter((b) => b.items.some((i) => i.version !== latest.get(i.item))).length;

  await page.getByTestId('catalogue-file').setInputFiles(file);
  await page
    .getByTestId('import-result')
    .getByText(/导入完成/)
    .waitFor();
  const result = await page.getByTestId('import-result').innerText();
  expect(result).toContain('事项新发布 0 个');
  expect(result).toContain(`一件事新发布 ${repinned} 个`);

  // Not JSON: said in the user's words, nothing sent.
  const bad = path.join(tmp, 'notes.json');
  fs.writeFileSync(bad, 'this is not json');
  await page.getByTestId('catalogue-file').setInputFiles(bad);
  await page.getByText('“notes.json”不是 JSON 文件。').waitFor();
});

it('lists the calendar years and loads 2030 from a file', async () => {
  await page.getByRole('link', { name: '工作日历' }).click();
  await page.getByRole('heading', { level: 1, name: '工作日历' }).waitFor();
  await page.getByTestId('calendar-years').getByText('国务院办公厅关于2026年部分节假日安排的通知').waitFor();
  const file = path.join(tmp, '2030.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      year: 2030,
      source: { title: '测试用 2030 年节假日安排（非官方，仅供浏览器测试）', published: '2029-11-01' },
      holidays: [
        {
          name: { zh: '元旦', en: "New Year's Day" },
          days: ['2030-01-01', '2030-01-02', '2030-01-03'],
          adjustedWorkdays: [],
        },
      ],
    }),
  );
  await page.getByLabel('年份', { exact: true }).fill('2030');
  await page.getByTestId('calendar-file').setInputFiles(file);
  await page.getByRole('button', { name: '加载', exact: true }).click();
  await page.getByTestId('calendar-loaded').getByText('2030 年已加载（1 个节假日）。').waitFor();
  await page.getByTestId('calendar-years').getByText('测试用 2030 年节假日安排（非官方，仅供浏览器测试）').waitFor();
  await shot(page, 'admin-calendar');
  expect(errors).toEqual([]);
});

it('shows the dashboard with the figures the statistics API gives, drawn with ECharts', async () => {
  // Its own data, whatever ran before: a newborn application whose birth certificate is concluded and whose
  // household registration waits for a 补正 (the API test server/src/modules/analytics checks the figures against
  // SQL over the tables; this server's PGlite directory belongs to its process, so here the page is checked
  // against the API).
  const { app } = await submitNewborn(base);
  await requestCorrection(base, app);
  const stats = await api<CaseStats>(base, token, 'GET', '/api/v1/stats/cases');
  expect(stats.open).toBeGreaterThan(0);
  expect(stats.perBundle.find((b) => b.bundleCode === 'newborn')?.count).toBeGreaterThan(0);
  expect(stats.onTime.concluded).toBeGreaterThan(0);
  expect(stats.workdaysPerItem.map((i) => i.itemCode)).toContain('birth-medical-certificate');
  expect(stats.slowestSteps.length).toBeGreaterThan(0);
  const items = new Map(
    (await api<Array<{ code: string; name: { zh: string } }>>(base, null, 'GET', '/api/v1/catalogue/items')).map(
      (i) => [i.code, i.name.zh],
    ),
  );
  const departments = new Map(
    (await api<Array<{ code: string; name: { zh: string } }>>(base, null, 'GET', '/api/v1/catalogue/departments')).map(
      (d) => [d.code, d.name.zh],
    ),
  );
  const zh = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../web/src/i18n/zh-CN.json'), 'utf8')) as {
    caseStatus: Record<string, string>;
  };
  const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

  await page.goto(`${base}/admin/dashboard`);
  await page.getByRole('heading', { level: 1, name: '运行监测' }).waitFor();
  await expect.poll(() => page.getByTestId('figure-open').locator('strong').innerText()).toBe(String(stats.open));
  expect(await page.getByTestId('figure-overdue').locator('strong').innerText()).toBe(String(stats.overdue));
  expect(await page.getByTestId('figure-nearDue').locator('strong').innerText()).toBe(String(stats.nearDue));
  expect(await page.getByTestId('figure-submissions').locator('strong').innerText()).toBe(
    String(stats.submissionsPerDay.reduce((n, d) => n + d.count, 0)),
  );
  expect(await page.getByTestId('figure-onTimeRate').locator('strong').innerText()).toBe(percent(stats.onTime.rate));
  await page
    .getByTestId('figure-onTimeRate')
    .getByText(`${stats.onTime.onTime} / ${stats.onTime.concluded} 件按承诺时限办结`)
    .waitFor();
  await page.getByTestId('chart-department').getByText('南京市卫生健康委员会').waitFor();
  await page.getByTestId('chart-status').locator('path').first().waitFor();

  // Each bar's category and its value label, as the API gives them (SVG text the charts draw).
  const chartTexts = async (testId: string) => page.getByTestId(testId).locator('text').allTextContents();
  await page.getByTestId('chart-per-bundle').getByText('新生儿出生一件事').waitFor();
  const bundleTexts = await chartTexts('chart-per-bundle');
  for (const b of stats.perBundle) expect(bundleTexts).toContain(String(b.count));
  await page
    .getByTestId('chart-on-time')
    .getByText(departments.get(stats.onTime.byDepartment[0]!.departmentCode)!)
    .waitFor();
  const onTimeTexts = await chartTexts('chart-on-time');
  for (const d of stats.onTime.byDepartment) {
    expect(onTimeTexts).toContain(departments.get(d.departmentCode));
    if (d.rate !== null) expect(onTimeTexts).toContain(percent(d.rate));
  }
  await page.getByTestId('chart-workdays').getByText(items.get('birth-medical-certificate')!).waitFor();
  const workdayTexts = await chartTexts('chart-workdays');
  for (const i of stats.workdaysPerItem) {
    expect(workdayTexts).toContain(items.get(i.itemCode));
    expect(workdayTexts).toContain(String(i.avgWorkdays));
  }
  if (stats.overdueByRegion.length === 0)
    await page.getByTestId('card-overdue-region').getByText('本期无数据').waitFor();
  else {
    await page
      .getByTestId('chart-overdue-region')
      .getByText(stats.overdueByRegion[0]!.regionName ?? stats.overdueByRegion[0]!.regionCode)
      .waitFor();
    for (const r of stats.overdueByRegion)
      expect(await chartTexts('chart-overdue-region')).toContain(String(r.overdue));
  }
  // 堵点: the table's rows are the API's slowest steps, in its order.
  const rows = page.getByTestId('table-slowest').locator('tbody tr.ant-table-row');
  await expect.poll(() => rows.count()).toBe(stats.slowestSteps.length);
  const cells = await rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
  );
  expect(cells).toEqual(
    stats.slowestSteps.map((st) => [
      items.get(st.itemCode) ?? st.itemCode,
      zh.caseStatus[st.status],
      String(st.stays),
      String(st.avgWorkdays),
    ]),
  );
  await shot(page, 'admin-dashboard');
  expect(errors).toEqual([]);
});
