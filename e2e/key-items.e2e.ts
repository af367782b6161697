// 重点事项清单 in the console, in Chinese at 1280 px, as the provincial administrator: the 2024 list shows the
// newborn key item delivered by the published newborn bundle and the unverified items marked with their source;
// the administrator links 企业破产信息核查 (unlinked in the seed) to the enterprise deregistration bundle with a
// target date, and the row and the summary change to what the API then says.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { api, chooseOption, launchBrowser, login, shot, signedInContext, watchErrors } from './harness.ts';

const base = inject('baseUrl');
let browser: Browser;
let page: Page;
let errors: string[];
let token: string;

interface List {
  items: Array<{
    id: string;
    status: string;
    bundle: { code: string } | null;
    targetDate: string | null;
    published: { version: number } | null;
  }>;
  summary: { total: number; linked: number; published: number };
}

/** Waits (Playwright's own wait, no time asserted) until the element shows the text. */
async function withText(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).waitFor();
}

beforeAll(async () => {
  browser = await launchBrowser();
  token = await login(base, 'admin');
  const context = await signedInContext(browser, base, 'admin');
  page = await context.newPage();
  errors = watchErrors(page);
});
afterAll(async () => {
  await browser?.close();
});

it('shows the 2024 list with the newborn item published and the unverified ones marked', async () => {
  await page.goto(`${base}/admin`);
  await page.getByRole('link', { name: '重点事项清单' }).click();
  await page.getByRole('heading', { level: 1, name: '重点事项清单' }).waitFor();
  await chooseOption(page, page.getByRole('combobox', { name: '年度' }), '2024');
  const table = page.getByTestId('key-items-table');
  await table.getByText('新生儿出生', { exact: true }).waitFor();
  const newborn = page.getByTestId('key-status-2024-1-newborn');
  await withText(newborn, /^已发布 v\d+$/);
  const newbornRow = table.locator('tr', { has: newborn });
  await newbornRow.getByRole('link', { name: '新生儿出生一件事' }).waitFor();
  expect(await newbornRow.getByRole('link', { name: '新生儿出生一件事' }).getAttribute('href')).toBe(
    '/bundles/newborn',
  );

  // An item no source confirms carries the marker and its source link.
  const transportRow = table.locator('tr', { hasText: '开办运输企业' });
  await transportRow.getByTestId('key-unverified').waitFor();
  expect(await transportRow.getByRole('link', { name: '来源' }).getAttribute('href')).toMatch(/^https?:\/\//);
  await page.getByTestId('key-batches').getByText('2024年新一批').waitFor();

  const before = await api<List>(base, token, 'GET', '/api/v1/admin/key-items?year=2024');
  await withText(
    page.getByTestId('key-items-summary'),
    `已关联一件事 ${before.summary.linked} / ${before.summary.total} 项，已发布 ${before.summary.published} 项`,
  );
});

it('links an unlinked item to a bundle with a target date and shows the new status', async () => {
  const before = await api<List>(base, token, 'GET', '/api/v1/admin/key-items?year=2024');
  expect(before.items.find((i) => i.id === '2024-1-bankruptcy')).toMatchObject({ status: 'not_linked', bundle: null });
  await withText(page.getByTestId('key-status-2024-1-bankruptcy'), /^未关联$/);

  await page.getByTestId('key-edit-2024-1-bankruptcy').click();
  const dialog = page.getByRole('dialog', { name: '编辑：企业破产信息核查' });
  await dialog.waitFor();
  // Typed first: the list of published bundles grows as other journeys publish theirs, and a long list is virtual.
  await chooseOption(page, dialog.getByLabel('承接的一件事'), '企业注销一件事', { type: '企业注销' });
  await dialog.getByLabel('目标日期').fill('2027-06-30');
  await dialog.getByLabel('备注').fill('破产信息核查并入企业注销一件事办理');
  await shot(page, 'admin-key-items-edit', { fullPage: false });
  await dialog.getByRole('button', { name: '保存' }).click();
  await dialog.waitFor({ state: 'hidden' });

  const status = page.getByTestId('key-status-2024-1-bankruptcy');
  await withText(status, /^已发布 v\d+$/);
  const row = page.getByTestId('key-items-table').locator('tr', { has: status });
  await row.getByRole('link', { name: '企业注销一件事' }).waitFor();
  await row.getByText('2027-06-30').waitFor();

  const after = await api<List>(base, token, 'GET', '/api/v1/admin/key-items?year=2024');
  expect(after.items.find((i) => i.id === '2024-1-bankruptcy')).toMatchObject({
    status: 'published',
    bundle: { code: 'enterprise-deregistration' },
    targetDate: '2027-06-30',
  });
  expect(after.summary.linked).toBe(before.summary.linked + 1);
  await withText(
    page.getByTestId('key-items-summary'),
    `已关联一件事 ${after.summary.linked} / ${after.summary.total} 项，已发布 ${after.summary.published} 项`,
  );
  await shot(page, 'admin-key-items');
  expect(errors).toEqual([]);
});
