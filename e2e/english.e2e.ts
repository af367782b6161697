// The portal in English: switching language changes every label and <html lang>, the server's problems
// arrive in English too, and the bundle page, questionnaire and form read in English.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import path from 'node:path';
import { launchBrowser, PASSWORD, SCREENSHOTS, setPreferences, shot, signedInContext, watchErrors } from './harness.ts';

const base = inject('baseUrl');
let browser: Browser;
let page: Page;
let errors: string[];
let draftId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  errors = watchErrors(page);
});
afterAll(async () => browser?.close());

it('switches to English and searches', async () => {
  await page.goto(base);
  await page.getByRole('heading', { level: 1, name: '高效办成一件事' }).waitFor(); // zh-CN is the default
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Get one thing done' }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  await page.getByRole('link', { name: "A baby's birth" }).waitFor();
  await page.getByRole('heading', { name: 'Individuals: by life event' }).waitFor();
  await shot(page, 'home-en');
  await page.getByRole('searchbox', { name: 'Search for a one-thing service' }).fill('出生');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Results for “出生”' }).waitFor();
  await page.getByText('1 result').waitFor();
});

it('reads the bundle page and the questionnaire in English', async () => {
  await page.getByRole('link', { name: "A baby's birth" }).click();
  await page.getByRole('heading', { level: 1, name: "A baby's birth" }).waitFor();
  await page.getByRole('heading', { name: 'Told once: the materials' }).waitFor();
  await page.getByText('Nanjing Municipal Public Security Bureau').first().waitFor();
  await shot(page, 'bundle-en');
  await page.getByRole('button', { name: 'Apply now' }).click();
  await page.getByLabel('Username').fill('zhangsan');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
  // The server's problem, in English because the page asked in English.
  await page
    .getByRole('alert')
    .filter({ hasText: /password/i })
    .waitFor();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Your situation' }).waitFor();
  await page
    .getByRole('group', { name: /licensed midwifery institution/ })
    .getByLabel('Yes')
    .check();
  await page
    .getByRole('group', { name: /parents married/ })
    .getByLabel('Yes')
    .check();
  await page
    .getByRole('group', { name: /father’s or the mother’s household/ })
    .getByLabel("Father's household")
    .check();
  await page
    .getByRole('group', { name: /maternity medical expenses/ })
    .getByLabel('No')
    .check();
  await page
    .getByTestId('item-out-maternity-expense-reimbursement')
    .getByText(/not needed given your answers/)
    .waitFor();
  await page.getByText('You need 6 service items').waitFor();
  await shot(page, 'questionnaire-en');
});

it('labels the form in English, with English validation messages', async () => {
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Application form' }).waitFor();
  const child = page.getByRole('group', { name: 'Child' });
  await child.getByLabel('Female').check();
  await child.getByLabel('Name').fill('Zhang Xiaobao');
  const father = page.getByRole('group', { name: 'Father' });
  await father
    .getByText(/^Prefilled · source:/)
    .first()
    .waitFor();
  await father.getByLabel('ID number').fill('32010219880512');
  await father.getByText('ID number has 18 characters: digits, the last may be X').waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  // Date of birth is required: the step does not move on, and says so.
  await child.getByText('Enter Date of birth').waitFor();
  await shot(page, 'form-en');
  await page.getByText(/^Draft saved automatically/).waitFor();
  draftId = /draft=([0-9a-f-]{36})/.exec(page.url())![1]!;
  // "Saved" may still be the save made when the form step opened; the page saves what was typed since a second
  // later (or on leaving). Wait until the server holds it, so that the other device resumes what was typed here.
  await expect
    .poll(
      async () =>
        JSON.stringify(
          (await (await page.request.get(`${base}/api/v1/application-drafts/${draftId}`)).json()).form ?? {},
        ),
      { timeout: 20_000 },
    )
    .toContain('Zhang Xiaobao');
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'My applications' })
    .click();
  await page.getByRole('heading', { level: 1, name: 'My applications' }).waitFor();
  // The draft was saved as we went and is listed to resume.
  await page.locator(`a[href*="draft=${draftId}"]`).waitFor();
  await shot(page, 'my-en');
  expect(errors).toEqual([]);
});

it('resumes the draft on another device where it was left', async () => {
  const other = await signedInContext(browser, base, 'zhangsan', {
    locale: 'en-GB',
    viewport: { width: 390, height: 844 },
    isMobile: true,
  });
  await setPreferences(other, { lang: 'en' });
  const phone = await other.newPage();
  await phone.goto(`${base}/me`);
  await phone.locator(`a[href*="draft=${draftId}"]`).first().click();
  await phone
    .getByRole('heading', { name: 'Application form' })
    .waitFor()
    .catch(async (e: unknown) => {
      // What the other device showed instead, for whoever reads the failure.
      await phone.screenshot({ path: path.join(SCREENSHOTS, 'resume-failure-en.png'), fullPage: true });
      throw e;
    });
  await expect
    .poll(() => phone.getByRole('group', { name: 'Child' }).getByLabel('Name').inputValue())
    .toBe('Zhang Xiaobao');
  expect(await phone.getByRole('group', { name: 'Child' }).getByLabel('Female').isChecked()).toBe(true);
  await other.close();
});
