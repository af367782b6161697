// axe-core (from its npm package, injected into the page) on the main pages, in Chinese and English and in
// the elderly mode: no serious or critical WCAG 2.1 A/AA violation. Also keyboard use: the skip link is
// the first stop and leads into <main>.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { axe, describeViolations, launchBrowser, setPreferences, signedInContext } from './harness.ts';
import { requestCorrection, submitNewborn, type AppView } from './fixtures.ts';

const base = inject('baseUrl');
let browser: Browser;
let app: AppView;

beforeAll(async () => {
  browser = await launchBrowser();
  ({ app } = await submitNewborn(base));
  await requestCorrection(base, app);
});
afterAll(async () => browser?.close());

// The newborn and correction journeys check home, bundle page, form, application, my applications and
// the inbox in Chinese on their way; these are the other pages, and a sample in English and elderly mode.
type Target = { path: () => string; ready: (p: Page) => Promise<unknown> };
const HOME: Target = { path: () => '/', ready: (p) => p.locator('.bundle-card').first().waitFor() };
const BUNDLE: Target = { path: () => '/bundles/newborn', ready: (p) => p.locator('.item-row').first().waitFor() };
const QUESTIONS: Target = {
  path: () => '/bundles/newborn/apply',
  ready: (p) => p.locator('fieldset.question').first().waitFor(),
};
const APPLICATION: Target = {
  path: () => `/applications/${app.id}`,
  ready: (p) => p.getByTestId('case-household-registration').locator('.correction-notice').waitFor(),
};
const SEARCH: Target = {
  path: () => '/services?stage=birth',
  ready: (p) => p.locator('.bundle-card').first().waitFor(),
};
const RECEIPT: Target = {
  path: () => `/applications/${app.id}/receipt`,
  ready: (p) => p.locator('.receipt-table tbody tr').first().waitFor(),
};

async function check(context: BrowserContext, label: string, targets: Target[]) {
  const page = await context.newPage();
  const found: string[] = [];
  for (const target of targets) {
    await page.goto(base + target.path());
    await target.ready(page);
    const { serious } = await axe(page);
    if (serious.length) found.push(`${label} ${target.path()}:\n${describeViolations(serious)}`);
  }
  await page.close();
  expect(found.join('\n')).toBe('');
}

it('finds no serious violation on the search, questionnaire and receipt pages', async () => {
  const context = await signedInContext(browser, base, 'zhangsan');
  await check(context, 'zh', [SEARCH, QUESTIONS, RECEIPT]);
  await context.close();
});

it('finds no serious violation in English', async () => {
  const context = await signedInContext(browser, base, 'zhangsan');
  await setPreferences(context, { lang: 'en' });
  await check(context, 'en', [HOME, BUNDLE, APPLICATION]);
  await context.close();
});

it('finds no serious violation in the elderly mode', async () => {
  const context = await signedInContext(browser, base, 'zhangsan');
  await setPreferences(context, { elderly: true });
  await check(context, 'elderly', [HOME, QUESTIONS, APPLICATION]);
  await context.close();
});

it('works from the keyboard: skip link first, focus moves into main', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(base);
  await page.locator('.bundle-card').first().waitFor();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到主要内容');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
  // A visible focus indicator (3 px outline) on what has focus.
  expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineWidth)).toBe('3px');
  await context.close();
});
