// The placeholder portal in a real browser: the seeded bundles render in Chinese, in English, and on a phone.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, startServer, type Server } from './harness.ts';

let server: Server;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('lists the seeded one-thing bundles in Chinese by default', async () => {
  const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.getByRole('heading', { name: '新生儿出生一件事' }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  expect(await page.locator('.bundles li').count()).toBeGreaterThanOrEqual(6);
  await page.screenshot({ path: screenshotPath('home-zh'), fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});

it('switches to English and fits a 375 px phone', async () => {
  const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { name: 'Individuals' }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: screenshotPath('home-en-phone'), fullPage: true });
  await page.close();
});

it('serves the API documentation', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/api/docs`);
  await page.getByText('OneThing API').first().waitFor();
  await page.screenshot({ path: screenshotPath('api-docs') });
  await page.close();
});
