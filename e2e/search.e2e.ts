// The portal's search as people type: colloquial Chinese finds its bundle from the home page's box, the page
// says which words found it, and a life stage with nothing online yet says what to do instead. An administrator
// adds a search term in the console and the portal uses it at once.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { axe, describeViolations, launchBrowser, shot, signedInContext } from './harness.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

it.each([
  ['开餐馆', '开办餐饮店一件事'],
  ['孩子出生', '新生儿出生一件事'],
  ['上户口', '新生儿出生一件事'],
])('finds for %s the bundle %s first, from the home page', async (query, name) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(base);
  await page.getByRole('searchbox', { name: /搜索/ }).fill(query);
  await page.getByRole('search').getByRole('button', { name: '搜索' }).click();
  await page.getByRole('heading', { name: `“${query}”的搜索结果` }).waitFor();
  const first = page.locator('.bundle-card').first();
  await expect(first.getByRole('heading').textContent()).resolves.toBe(name);
  await expect(first.locator('.bundle-matched').textContent()).resolves.toMatch(/^匹配：/);
  await shot(page, `search-${query}`);
  await context.close();
});

it('says what to do when a life stage has nothing online yet', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${base}/services?stage=education`);
  await page.getByText('“教育”阶段的一件事尚未上线。').waitFor();
  await page
    .getByRole('status')
    .getByText(/拨打 12345/)
    .waitFor();
  await shot(page, 'search-stage-empty');
  const { serious } = await axe(page);
  expect(serious, describeViolations(serious)).toEqual([]);
  await context.close();
});

it('uses a search term an administrator adds in the console', async () => {
  const context = await signedInContext(browser, base, 'admin');
  const page = await context.newPage();
  await page.goto(`${base}/admin/search-terms`);
  await page.getByRole('columnheader', { name: '群众的说法' }).waitFor();
  await page.getByRole('button', { name: '新增一条' }).click();
  await page.getByLabel('群众的说法 1', { exact: true }).fill('撸串');
  await page.getByLabel('目录中的意思 1', { exact: true }).fill('开办 餐饮店');
  await page.getByRole('button', { name: '保存全部' }).click();
  await page.getByText('已保存，门户搜索即刻使用。').waitFor();
  await shot(page, 'admin-search-terms');
  await page.goto(`${base}/services?q=${encodeURIComponent('撸串')}`);
  await page.locator('.bundle-card').first().waitFor();
  await expect(page.locator('.bundle-card').first().getByRole('heading').textContent()).resolves.toBe(
    '开办餐饮店一件事',
  );
  await context.close();
});
