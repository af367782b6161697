// The portal on a 375 px phone (nothing scrolls sideways, the banner wraps, steps stack) and in the
// elderly mode (larger text, higher contrast, one question and one form section per screen).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { horizontalOverflow, launchBrowser, shot, signedInContext, watchErrors } from './harness.ts';
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

async function fits(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  expect(await horizontalOverflow(page), `${name} scrolls sideways`).toBeLessThanOrEqual(0);
  await shot(page, name);
}

async function answerNewborn(page: Page, yes: string, no: string, mother: string) {
  await page
    .getByRole('group', { name: /江苏省内|midwifery/ })
    .getByLabel(yes)
    .check();
  await page
    .getByRole('group', { name: /登记结婚|married/ })
    .getByLabel(yes)
    .check();
  await page
    .getByRole('group', { name: /随父亲还是母亲|household\?/ })
    .getByLabel(mother)
    .check();
  await page
    .getByRole('group', { name: /生育医疗费用|maternity/ })
    .getByLabel(no)
    .check();
}

it('fits a 375 px phone: home, bundle page, questionnaire, form, my applications, an application', async () => {
  const context = await signedInContext(browser, base, 'zhangsan', {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(base);
  await page.getByRole('heading', { level: 1, name: '高效办成一件事' }).waitFor();
  await page.getByRole('link', { name: '新生儿出生一件事' }).first().waitFor();
  await fits(page, 'home-phone');
  await page.goto(`${base}/bundles/newborn`);
  await page.getByRole('heading', { name: '一次告知：申请材料' }).waitFor();
  await fits(page, 'bundle-phone');
  await page.getByRole('button', { name: '我要办理' }).click();
  await page.getByRole('heading', { name: '情形引导' }).waitFor();
  await answerNewborn(page, '是', '否', '随母亲入户');
  await page.getByText('您需要办理 6 个事项').waitFor();
  await fits(page, 'questionnaire-phone');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '填写申请表' }).waitFor();
  await page
    .getByRole('group', { name: '母亲' })
    .getByText(/已预填/)
    .first()
    .waitFor();
  await fits(page, 'form-phone');
  await page.goto(`${base}/applications/${app.id}`);
  await page.getByTestId('case-household-registration').getByText('待补正', { exact: true }).waitFor();
  await fits(page, 'application-phone');
  await page.goto(`${base}/me`);
  await page.getByTestId(`app-${app.number}`).waitFor();
  await fits(page, 'my-phone');
  expect(errors).toEqual([]);
  await context.close();
});

it('in the elderly mode asks one question per screen and shows one form section at a time, larger', async () => {
  const context: BrowserContext = await signedInContext(browser, base, 'zhangsan', {
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(base);
  await page.getByRole('button', { name: '长辈模式' }).click();
  expect(await page.getByRole('button', { name: '长辈模式' }).getAttribute('aria-pressed')).toBe('true');
  const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  expect(size).toBeGreaterThanOrEqual(19);
  await page.getByRole('link', { name: '新生儿出生一件事' }).first().waitFor();
  await shot(page, 'home-elderly');
  await page.goto(`${base}/bundles/newborn/apply`);
  await page.getByRole('heading', { name: '情形引导' }).waitFor();
  // One question on the screen at a time.
  await expect.poll(() => page.locator('fieldset.question').count()).toBe(1);
  await shot(page, 'questionnaire-elderly');
  for (const [question, answer] of [
    [/江苏省内/, '是'],
    [/登记结婚/, '是'],
    [/随父亲还是母亲/, '随母亲入户'],
    [/生育医疗费用/, '否'],
  ] as const) {
    await page.getByRole('group', { name: question }).getByLabel(answer).check();
    await page.getByRole('button', { name: '下一步' }).click();
  }
  await page.getByText('您需要办理 6 个事项').waitFor();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: /填写申请表（1\/6）|填写申请表 \(1\/6\)/ }).waitFor();
  await expect.poll(() => page.locator('fieldset.form-section').count()).toBe(1);
  await shot(page, 'form-elderly');
  // The first section must be complete before the next one.
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByText('请填写姓名').first().waitFor();
  await page.goto(`${base}/applications/${app.id}`);
  await page.getByTestId('case-household-registration').getByText('待补正', { exact: true }).waitFor();
  await shot(page, 'application-elderly');
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 375, height: 812 });
  await phone.goto(`${base}/bundles/newborn`);
  await phone.getByRole('heading', { name: '一次告知：申请材料' }).waitFor();
  await fits(phone, 'bundle-elderly-phone');
  expect(errors).toEqual([]);
  await context.close();
});
