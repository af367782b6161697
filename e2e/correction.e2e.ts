// A 补正 answered: the departments act through the API (the health commission issues the birth certificate,
// the police accept the household registration and ask for two corrections in one notice); the applicant
// sees it in the inbox and on the home page, supplies both in the page — one e-certificate fetched again,
// one new upload — and the timeline shows the clock running again.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { axe, describeViolations, launchBrowser, PNG, shot, signedInContext, watchErrors } from './harness.ts';
import { requestCorrection, submitNewborn, type AppView } from './fixtures.ts';

const base = inject('baseUrl');
let browser: Browser;
let page: Page;
let errors: string[];
let app: AppView;

beforeAll(async () => {
  browser = await launchBrowser();
  ({ app } = await submitNewborn(base));
  await requestCorrection(base, app);
  const context = await signedInContext(browser, base, 'zhangsan');
  page = await context.newPage();
  errors = watchErrors(page);
});
afterAll(async () => browser?.close());

it('tells the applicant: in the inbox and among the pending things', async () => {
  await page.goto(`${base}/notifications`);
  await page.getByRole('heading', { level: 1, name: '消息' }).waitFor();
  const notice = page.locator('li', { hasText: '户口登记(申报出生登记)：部门一次性告知需要补正。' }).first();
  await notice.getByText('共 2 项需要补正，请查看并回复。').waitFor();
  await shot(page, 'notifications-zh');
  const { serious } = await axe(page);
  expect(serious, describeViolations(serious)).toEqual([]);

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '首页' }).click();
  await page.getByRole('link', { name: `新生儿出生一件事（${app.number}）需要您处理` }).click();
  await page.getByTestId('application-number').getByText(app.number).waitFor();
});

it('shows exactly what to fix and takes the corrections in one action', async () => {
  const hukou = page.getByTestId('case-household-registration');
  await hukou.getByText('待补正', { exact: true }).waitFor();
  await hukou.getByText('补正中，计时已暂停').waitFor();
  const notice = hukou.getByRole('region', { name: '补正通知（一次性告知）' });
  await notice.getByText('户口簿首页影像不清晰，请重新提供').first().waitFor();
  await notice.getByText('父亲身份证已过有效期，请上传新证件').first().waitFor();
  await notice.getByText('请一次补齐以上材料').waitFor();
  await shot(page, 'correction-zh');

  // Nothing chosen yet: the form says what is missing instead of sending.
  await hukou.getByRole('button', { name: '提交补正材料' }).click();
  await hukou.getByText('请为“父母(入户方)居民户口簿”选择电子证照或上传文件').waitFor();

  const register = hukou.getByTestId(/-parents-household-register$/);
  await register.getByRole('checkbox').check();
  const ids = hukou.getByTestId(/-parents-id-cards$/);
  await ids.getByLabel('上传文件').check();
  await ids.locator('input[type=file]').setInputFiles({ name: '父亲身份证.png', mimeType: 'image/png', buffer: PNG });
  await ids.getByText(/父亲身份证\.png/).waitFor();
  await hukou.getByRole('button', { name: '提交补正材料' }).click();

  await hukou.getByText('审查中', { exact: true }).waitFor();
  await hukou.getByText('已提交补正材料').waitFor();
  await expect
    .poll(() => hukou.locator('.timeline-action').allInnerTexts())
    .toEqual([
      '提交申请',
      '前置事项已办结，开始办理',
      '部门已受理',
      '开始审查',
      '部门一次性告知补正',
      '已提交补正材料',
    ]);
  await hukou.getByText(/办结期限 \d{4}-\d{2}-\d{2}/).waitFor();
  await hukou.getByText(/已完成的补正（1 次）/).waitFor();
  await shot(page, 'application-corrected-zh');
  const { serious } = await axe(page);
  expect(serious, describeViolations(serious)).toEqual([]);
  expect(errors).toEqual([]);
});
