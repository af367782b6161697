// Accounts in the page: a staff login answers the second step (a one-time code) and lands on the workbench;
// an enterprise's agent switches to act for the enterprise and back.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { api, axe, describeViolations, launchBrowser, PASSWORD, shot, signedInContext } from './harness.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

it('logs a reviewer in with the one-time code step', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill('reviewer.health');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '输入验证码' }).waitFor();
  await page.getByText(/验证码已发送至 /).waitFor();
  await shot(page, 'login-code-zh');
  const { serious } = await axe(page);
  expect(serious, describeViolations(serious)).toEqual([]);
  const otp = await api<{ code: string }>(base, null, 'GET', '/api/v1/dev/otp?username=reviewer.health');
  await page.getByLabel('验证码').fill(otp.code);
  await page.getByRole('button', { name: '验证并登录' }).click();
  await page.waitForURL(/\/staff/);
  await context.close();
});

it('lets an enterprise agent act for the enterprise, and back', async () => {
  const context = await signedInContext(browser, base, 'jinling-foods');
  const page = await context.newPage();
  await page.goto(base);
  const menu = page.getByRole('button', { name: /^账户菜单：/ });
  await menu.click();
  await page.getByRole('button', { name: '代办企业事项' }).click();
  const dialog = page.getByRole('dialog', { name: '代办企业事项' });
  await dialog.getByLabel(/南京金陵餐饮有限公司/).check();
  await shot(page, 'act-as-zh', { fullPage: false });
  await dialog.getByRole('button', { name: '切换' }).click();
  await page.getByRole('button', { name: '账户菜单：南京金陵餐饮有限公司' }).waitFor();
  await page.getByRole('button', { name: '账户菜单：南京金陵餐饮有限公司' }).click();
  await page.getByRole('button', { name: '代办企业事项' }).click();
  await page
    .getByRole('dialog', { name: '代办企业事项' })
    .getByLabel(/以本人身份办理/)
    .check();
  await page.getByRole('dialog', { name: '代办企业事项' }).getByRole('button', { name: '切换' }).click();
  await page.getByRole('button', { name: /^账户菜单：(?!南京金陵)/ }).waitFor();
  await context.close();
});
