// The journey the platform exists for, in Chinese on a desktop: from the home page to the receipt of a
// newborn application as zhangsan — the service guide, login, the situation questions with the reason for
// each item, the one form prefilled from his profile (sources shown), inline validation, materials by
// e-certificate consent, upload and a signed 容缺 commitment, one submission, the receipt, the timeline.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { axe, describeViolations, launchBrowser, PASSWORD, PDF, shot, watchErrors } from './harness.ts';

const base = inject('baseUrl');
let browser: Browser;
let page: Page;
let errors: string[];
let draftId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  errors = watchErrors(page);
});
afterAll(async () => browser?.close());

async function accessible(name: string) {
  const { serious } = await axe(page);
  expect(serious, `${name}:\n${describeViolations(serious)}`).toEqual([]);
}

it('finds the newborn bundle from the home page and reads its one-time notice', async () => {
  await page.goto(base);
  await page.getByRole('heading', { level: 1, name: '高效办成一件事' }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  await page.getByRole('link', { name: '新生儿出生一件事' }).waitFor();
  await expect.poll(() => page.locator('.bundle-card').count()).toBeGreaterThanOrEqual(6);
  await page.getByRole('link', { name: '出生', exact: true }).waitFor();
  await page.getByRole('link', { name: '注销退出' }).waitFor();
  await shot(page, 'home-zh');
  await accessible('home');

  await page.getByRole('link', { name: '新生儿出生一件事' }).click();
  await page.getByRole('heading', { level: 1, name: '新生儿出生一件事' }).waitFor();
  await page.getByText('南京市公安局').first().waitFor();
  await page.getByRole('heading', { name: '一次告知：申请材料' }).waitFor();
  expect(await page.getByText('无需上传').count()).toBeGreaterThan(0);
  await page.getByText('不收费').first().waitFor();
  await shot(page, 'bundle-zh');
  await accessible('bundle page');
});

it('logs in and narrows the items with the situation questions, showing why', async () => {
  await page.getByRole('button', { name: '我要办理' }).click();
  await page.getByRole('heading', { name: '登录' }).waitFor();
  await shot(page, 'login-zh');
  await page.getByLabel('用户名').fill('zhangsan');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();

  await page.getByRole('heading', { name: '情形引导' }).waitFor();
  await page
    .getByRole('group', { name: /是否在江苏省内/ })
    .getByLabel('是')
    .check();
  await page
    .getByRole('group', { name: /是否已登记结婚/ })
    .getByLabel('否')
    .check();
  // Not married: the household registration is left out, and the page says why.
  await page
    .getByRole('group', { name: /生育医疗费用/ })
    .getByLabel('否')
    .check();
  await page.getByTestId('item-out-household-registration').getByText('根据您的回答不需要办理').waitFor();
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
  await page.getByTestId('item-in-household-registration').waitFor();
  await shot(page, 'questionnaire-zh');
  // The draft follows the applicant: its id is in the address once the first answer is saved.
  await page.waitForURL(/draft=[0-9a-f-]{36}/);
  draftId = /draft=([0-9a-f-]{36})/.exec(page.url())![1]!;
});

it('fills the one form, prefilled with sources, checked as it is typed', async () => {
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '填写申请表' }).waitFor();
  const mother = page.getByRole('group', { name: '母亲' });
  await expect.poll(() => mother.getByLabel('姓名').inputValue()).toBe('李梅');
  await mother.getByText('已预填 · 来源：民政 婚姻登记信息').first().waitFor();
  const father = page.getByRole('group', { name: '父亲' });
  expect(await father.getByLabel('公民身份号码').inputValue()).toBe('32010219880512123X');

  const child = page.getByRole('group', { name: '新生儿' });
  await child.getByLabel('姓名').fill('张小宝');
  await child.getByLabel('男').check();
  await child.getByLabel('出生日期').fill('2026-11-20');
  await child.getByLabel('出生日期').press('Enter');
  await child.getByLabel('民族').fill('汉族');
  await child.getByLabel('出生的助产机构').fill('南京市妇幼保健院');
  // Inline validation in the user's language.
  await mother.getByLabel('手机号码').fill('1395100');
  await mother.getByText('手机号码应为 11 位手机号码，以 1 开头').waitFor();
  await mother.getByLabel('手机号码').fill('13951000002');
  await expect.poll(() => mother.getByText('手机号码应为 11 位手机号码，以 1 开头').count()).toBe(0);
  await page.getByRole('group', { name: '联系方式' }).getByLabel('证件邮寄地址').fill('南京市玄武区北京东路41号');
  const bank = page.getByRole('group', { name: '生育医疗费用报销账户' });
  await bank.getByLabel('开户银行').fill('中国工商银行南京分行');
  await bank.getByLabel('银行账号(产妇本人)').fill('6222020200112233445');
  await page.getByText(/草稿已自动保存/).waitFor();
  await shot(page, 'form-zh');
  await accessible('form');
});

it('gives the materials: e-certificates by consent, an upload with preview, a signed 容缺 commitment', async () => {
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '提交材料' }).waitFor();
  // Produced by an earlier item of this application: nothing to give.
  await page.getByTestId('m-newborn-birth-medical-certificate').getByText('由本次申请中的前一事项出具').waitFor();
  for (const id of ['parents-id-cards', 'parents-household-register', 'marriage-certificate']) {
    const row = page.getByTestId(`m-${id}`);
    await row.getByText('无需上传', { exact: true }).waitFor();
    await row.getByRole('checkbox').check();
  }
  // Not allowed: the wrong kind of file is refused before upload.
  const invoices = page.getByTestId('m-maternity-medical-invoices');
  await invoices
    .locator('input[type=file]')
    .setInputFiles({ name: 'virus.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
  await invoices.getByText('“virus.exe”的格式不支持').waitFor();
  await invoices
    .locator('input[type=file]')
    .setInputFiles({ name: '分娩费用票据.pdf', mimeType: 'application/pdf', buffer: PDF });
  await invoices.getByText(/分娩费用票据\.pdf/).waitFor();
  const summary = page.getByTestId('m-discharge-summary');
  await summary.getByLabel('容缺：先承诺，后补交').check();
  await summary.getByText('本人承诺在部门容缺受理后规定的期限内补交').waitFor();
  await summary.getByLabel('请输入您的姓名以签署承诺').fill('张三');
  await shot(page, 'materials-zh');
});

it('reviews, submits once, and shows the receipt with each item’s promised date', async () => {
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '核对并提交' }).waitFor();
  await page.getByText('张小宝').waitFor();
  await page.getByText('容缺，已签署承诺').waitFor();
  await shot(page, 'review-zh');
  await page.getByRole('button', { name: '确认无误，一次提交' }).click();
  await page.getByRole('heading', { name: '提交成功' }).waitFor();
  const number = await page.getByTestId('application-number').innerText();
  expect(number).toMatch(/^YJS\d{16}$/);
  await expect.poll(() => page.locator('.receipt-table tbody tr').count()).toBe(7);
  // Every item has a date (projected on the official calendar), and the total is the server's promise.
  await expect
    .poll(() => page.locator('.receipt-table tbody td:nth-child(3)').allInnerTexts())
    .toEqual(Array(7).fill(expect.stringMatching(/^\d{4}-\d{2}-\d{2}/)));
  await page.getByText(/全部事项预计于 \d{4}-\d{2}-\d{2} 前办结/).waitFor();
  await shot(page, 'receipt-zh');

  await page.getByRole('button', { name: '查看办理进度' }).click();
  await page.getByTestId('case-household-registration').getByText('等待前置事项').first().waitFor();
  await page.getByTestId('case-birth-medical-certificate').getByText('待受理', { exact: true }).waitFor();
  await page.getByTestId('case-birth-medical-certificate').getByText('南京市卫生健康委员会').waitFor();
  await shot(page, 'application-zh');
  await accessible('application');

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的办件' }).click();
  await page.getByTestId(`app-${number}`).waitFor();
  // The draft was consumed by the submission (other journeys may have left drafts of their own).
  await page.getByRole('heading', { name: '草稿' }).waitFor();
  await page.locator('section[aria-labelledby="my-drafts"] .ant-skeleton').waitFor({ state: 'detached' });
  expect(await page.locator(`a[href*="draft=${draftId}"]`).count()).toBe(0);
  await shot(page, 'my-zh');
  await accessible('my applications');
  expect(errors).toEqual([]);
});
