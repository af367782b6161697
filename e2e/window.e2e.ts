// The window clerk's side of 帮办代办, in Chinese at 1280 px: window.nanjing opens the workbench, identifies 张三
// from his ID card (a wrong check digit is named on its field by the server), records his consent with his card
// read at the window, acts for him,
// opens the newborn application as he would see it, submits it for him through the same intake API and session,
// prints the receipt (number, items, departments, promised dates; the shell gone on paper), and ends the visit.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { api, axe, describeViolations, launchBrowser, login, PDF, shot, watchErrors } from './harness.ts';
import { ANSWERS, FORM, type AppView } from './fixtures.ts';

const base = inject('baseUrl');
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
let token: string;
let app: AppView;

beforeAll(async () => {
  browser = await launchBrowser();
  token = await login(base, 'window.nanjing');
  context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  await context.addCookies([
    {
      name: 'onething_session',
      value: token,
      domain: new URL(base).hostname,
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
    },
  ]);
  page = await context.newPage();
  errors = watchErrors(page);
});
afterAll(async () => browser?.close());

/** The consent form; the identity card below it (binding a number at the window) has fields of the same names. */
const consent = () => page.locator('form').filter({ has: page.getByRole('button', { name: '记录授权并开始代办' }) });

it('starts a window clerk at the window workbench and names a wrong ID number on its field', async () => {
  await page.goto(`${base}/staff`);
  await page.waitForURL(/\/staff\/window$/);
  await page.getByRole('heading', { level: 1, name: '窗口帮办' }).waitFor();
  await consent().getByLabel('姓名（与身份证一致）').fill('张三');
  await consent().getByLabel('公民身份号码').fill('320102198805121230'); // the check digit should be X
  await consent().getByLabel('已在本窗口用读卡器读取本人身份证（记录在案）').check();
  await page.getByRole('button', { name: '记录授权并开始代办' }).click();
  await consent().locator('.ant-form-item-explain-error').first().waitFor();
  expect(await consent().locator('.ant-form-item-explain-error').allInnerTexts()).toEqual([
    expect.stringMatching(/校验/),
  ]);
  const { serious } = await axe(page);
  expect(serious, describeViolations(serious)).toEqual([]);
});

it('records consent and acts for the person, showing every one-thing the consent covers', async () => {
  await consent().getByLabel('公民身份号码').fill('32010219880512123X');
  await consent().getByLabel('读卡记录编号').fill('NJ-WIN-2026-0001');
  await page.getByRole('button', { name: '记录授权并开始代办' }).click();
  await page.getByTestId('assisting').getByText('正在为 张三 代办').waitFor();
  await page.getByTestId('apply-newborn').waitFor();
  expect(await page.locator('.window-bundles li').count()).toBeGreaterThanOrEqual(6);
  await shot(page, 'window-assisting');

  // The application pages are the person's own, opened under the clerk's session.
  await page.getByTestId('apply-newborn').click();
  await page.getByRole('heading', { name: '情形引导' }).waitFor();
  await page.goBack();
  await page.getByTestId('assisting').waitFor();
});

it('fills in and submits the newborn application with him on the pages, scanning a paper invoice', async () => {
  await page.getByTestId('apply-newborn').click();
  await page.getByRole('heading', { name: '情形引导' }).waitFor();
  await page
    .getByRole('group', { name: /是否在江苏省内/ })
    .getByLabel('是')
    .check();
  await page
    .getByRole('group', { name: /是否已登记结婚/ })
    .getByLabel('是')
    .check();
  await page
    .getByRole('group', { name: /随父亲还是母亲/ })
    .getByLabel('随母亲入户')
    .check();
  await page
    .getByRole('group', { name: /生育医疗费用/ })
    .getByLabel('是')
    .check();
  await page.getByText('您需要办理 7 个事项').waitFor();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '填写申请表' }).waitFor();
  // Prefilled from 张三's own records, as if he applied himself.
  await expect.poll(() => page.getByRole('group', { name: '母亲' }).getByLabel('姓名').inputValue()).toBe('李梅');
  const child = page.getByRole('group', { name: '新生儿' });
  await child.getByLabel('姓名').fill('张小满');
  await child.getByLabel('女').check();
  await child.getByLabel('出生日期').fill('2026-11-30');
  await child.getByLabel('出生日期').press('Enter');
  await child.getByLabel('民族').fill('汉族');
  await child.getByLabel('出生的助产机构').fill('南京市妇幼保健院');
  await page.getByRole('group', { name: '母亲' }).getByLabel('手机号码').fill('13951000002');
  await page.getByRole('group', { name: '联系方式' }).getByLabel('证件邮寄地址').fill('南京市玄武区北京东路41号');
  const bank = page.getByRole('group', { name: '生育医疗费用报销账户' });
  await bank.getByLabel('开户银行').fill('中国工商银行南京分行');
  await bank.getByLabel('银行账号(产妇本人)').fill('6222020200112233445');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '提交材料' }).waitFor();
  for (const id of ['parents-id-cards', 'parents-household-register', 'marriage-certificate'])
    await page.getByTestId(`m-${id}`).getByRole('checkbox').check();

  // The paper invoice he brought, under the document camera: two pages, each uploaded as a picture.
  const invoices = page.getByTestId('m-maternity-medical-invoices');
  await invoices.getByRole('button', { name: /高拍仪扫描/ }).click();
  const scanner = page.getByRole('dialog', { name: /扫描“/ });
  await expect
    .poll(() => scanner.getByTestId('scan-video').evaluate((v: HTMLVideoElement) => v.videoWidth))
    .toBeGreaterThan(0);
  await shot(page, 'window-scan');
  await scanner.getByRole('button', { name: '拍摄本页' }).click();
  await scanner.getByText('已扫描 1 页').waitFor();
  await scanner.getByRole('button', { name: '拍摄本页' }).click();
  await scanner.getByText('已扫描 2 页').waitFor();
  await scanner.getByRole('button', { name: '完成' }).click();
  await invoices.getByText(/扫描件-.*-1\.jpg/).waitFor();
  await invoices.getByText(/扫描件-.*-2\.jpg/).waitFor();

  const summary = page.getByTestId('m-discharge-summary');
  await summary.getByLabel('容缺：先承诺，后补交').check();
  await summary.getByLabel('请输入您的姓名以签署承诺').fill('张三');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '核对并提交' }).waitFor();
  await page.getByRole('button', { name: '确认无误，一次提交' }).click();
  await page.getByRole('heading', { name: '提交成功' }).waitFor();
  const number = await page.getByTestId('application-number').innerText();

  // His application, made at the window under the consent just recorded.
  const id = /applications\/([0-9a-f-]{36})\/receipt/.exec(page.url())![1]!;
  const made = await api<{ number: string; channel: string; onBehalf: { proxyKind: string } }>(
    base,
    await login(base, 'zhangsan'),
    'GET',
    `/api/v1/applications/${id}`,
  );
  expect(made).toMatchObject({ number, channel: 'window', onBehalf: { proxyKind: 'window_consent' } });
  await page.goto(`${base}/staff/window`);
  await page.getByTestId('assisting').waitFor();
  expect(errors).toEqual([]);
});

it('submits the newborn bundle for him through the intake API and prints the receipt', async () => {
  const file = await api<{ id: string }>(base, token, 'POST', '/api/v1/files', new Uint8Array(PDF), {
    'content-type': 'application/pdf',
    'x-file-name': encodeURIComponent('分娩费用票据.pdf'),
  });
  const materials = [
    { id: 'parents-id-cards', kind: 'certificate', consent: true },
    { id: 'parents-household-register', kind: 'certificate', consent: true },
    { id: 'marriage-certificate', kind: 'certificate', consent: true },
    { id: 'maternity-medical-invoices', kind: 'upload', fileIds: [file.id] },
    { id: 'discharge-summary', kind: 'gap', commitment: '本人承诺补交出院小结。承诺人：张三' },
  ];
  app = await api<AppView & { channel: string }>(
    base,
    token,
    'POST',
    '/api/v1/applications',
    { bundle: 'newborn', answers: ANSWERS, form: FORM, materials },
    { 'idempotency-key': `e2e-window-${Date.now()}` },
  );
  expect((app as AppView & { channel: string }).channel).toBe('window');

  await page.reload();
  await page.getByTestId(`receipt-${app.number}`).click();
  await page.getByRole('heading', { level: 1, name: '受理回执' }).waitFor();
  expect(await page.getByTestId('receipt-number').innerText()).toBe(app.number);
  await page.getByTestId('receipt-row-birth-medical-certificate').getByText('南京市卫生健康委员会').waitFor();
  await page.getByTestId('receipt-row-household-registration').getByText('南京市公安局').waitFor();
  expect(await page.locator('.print-receipt-table tbody tr').count()).toBe(app.cases.length);
  await expect
    .poll(async () =>
      (await page.locator('.print-receipt-table tbody tr td:nth-child(4)').allInnerTexts()).every((t) =>
        /^\d{4}-\d{2}-\d{2}/.test(t),
      ),
    )
    .toBe(true);
  await page.getByText('张三', { exact: true }).waitFor();
  await shot(page, 'window-receipt');
  // On paper: no shell, no buttons.
  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('.banner').isVisible()).toBe(false);
  expect(await page.getByRole('button', { name: '打印回执' }).isVisible()).toBe(false);
  await shot(page, 'window-receipt-print');
  await page.emulateMedia({ media: 'screen' });
});

it('ends the visit: back to the clerk, and the person sees the window application as his own', async () => {
  await page.getByRole('button', { name: '返回窗口帮办' }).click();
  await page.getByRole('button', { name: '结束代办' }).click();
  await page.getByRole('button', { name: '记录授权并开始代办' }).waitFor();
  const mine = await api<{ channel: string; onBehalf: { proxyKind: string } }>(
    base,
    await login(base, 'zhangsan'),
    'GET',
    `/api/v1/applications/${app.id}`,
  );
  expect(mine).toMatchObject({ channel: 'window', onBehalf: { proxyKind: 'window_consent' } });
  // The clerk, no longer acting, cannot read it.
  await page.goto(`${base}/staff/window/receipt/${app.id}`);
  await page.getByRole('alert').waitFor();
  expect(errors).toEqual([]);
});
