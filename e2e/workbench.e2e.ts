// The department's side of the newborn journey, in Chinese at 1280 px: reviewer.health logs in on the page
// (password, then the one-time code), finds the birth-medical-certificate case in the queue, and takes it
// through 受理 → 开始审查 → 一次性告知补正 (two problems in one notice) → (the applicant supplies them) →
// 决定 准予 → 办结. At each step the page shows exactly the buttons the transition table allows, and the
// status tag follows.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import {
  api,
  axe,
  type AxeViolation,
  chooseOption,
  describeViolations,
  launchBrowser,
  login,
  PASSWORD,
  PDF,
  shot,
  signedInContext,
  watchErrors,
} from './harness.ts';
import { submitNewborn, type AppView } from './fixtures.ts';

const base = inject('baseUrl');
let browser: Browser;
let page: Page;
let errors: string[];
let app: AppView;
let applicant: string;

beforeAll(async () => {
  ({ app, token: applicant } = await submitNewborn(base));
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  errors = watchErrors(page);
});
afterAll(async () => browser?.close());

// The shell's 消息 link (web/src/app/Layout.tsx, not this page) has an aria-label that does not contain its
// visible text when there are unread messages; reported to the portal's owner, left out here until fixed.
const shellIssue = (v: AxeViolation) =>
  v.id === 'label-content-name-mismatch' && v.nodes.every((n) => n.target.join(' ').includes('notifications'));

async function accessible(name: string) {
  const serious = (await axe(page)).serious.filter((v) => !shellIssue(v));
  expect(serious, `${name}:\n${describeViolations(serious)}`).toEqual([]);
}

/** The action buttons on the case page, as shown. */
async function buttons(): Promise<string[]> {
  const group = page.getByTestId('case-actions');
  if ((await group.count()) === 0) return [];
  return (await group.getByRole('button').allInnerTexts()).map((s) => s.replace(/\s+/g, ''));
}

async function expectStep(status: string, shown: string[]) {
  await page.getByTestId('case-status').getByText(status, { exact: true }).waitFor();
  await expect.poll(buttons).toEqual(shown);
}

it('logs in as a reviewer with the one-time code and shows the queue, due soonest first', async () => {
  await page.goto(`${base}/staff`);
  await page.getByRole('heading', { name: '登录' }).waitFor();
  await page.getByLabel('用户名').fill('reviewer.health');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  const challengeOrQueue = await Promise.race([
    page
      .getByRole('heading', { name: '输入验证码' })
      .waitFor()
      .then(() => 'code' as const),
    page
      .getByRole('heading', { name: '待办件队列' })
      .waitFor()
      .then(() => 'queue' as const),
  ]);
  if (challengeOrQueue === 'code') {
    const otp = await api<{ code: string }>(base, null, 'GET', '/api/v1/dev/otp?username=reviewer.health');
    await page.getByLabel('验证码').fill(otp.code);
    await page.getByRole('button', { name: '验证并登录' }).click();
  }
  await page.getByRole('heading', { level: 1, name: '待办件队列' }).waitFor();
  const row = page
    .locator('.staff-queue tr', { hasText: app.number })
    .filter({ has: page.getByTestId('open-birth-medical-certificate') });
  await row.waitFor();
  await row.getByText('待受理').waitFor();
  await row.getByText('未受理，未计时').waitFor();
  // "N open cases": the number is the API's X-Total-Count, the same as counting through every page.
  const head = await fetch(`${base}/api/v1/cases?limit=1`, {
    headers: { authorization: `Bearer ${await login(base, 'reviewer.health')}` },
  });
  const open = Number(head.headers.get('x-total-count'));
  expect(open).toBeGreaterThan(0);
  await page.getByTestId('queue-total').getByText(`共 ${open} 件在办`).waitFor();

  // The filters narrow the queue: nothing of this department is overdue yet; by status it is there again.
  await chooseOption(page, '期限', '已超期');
  await page.getByText('没有符合条件的办件。').waitFor();
  await chooseOption(page, '期限', '全部');
  await chooseOption(page, '状态', '待受理');
  await row.waitFor();
  await shot(page, 'workbench-queue');
  await accessible('queue');
});

it('takes the birth-medical-certificate case through 受理, 审查, one 补正 notice, 准予 and 办结', async () => {
  await page.locator('.staff-queue tr', { hasText: app.number }).getByTestId('open-birth-medical-certificate').click();
  await page.getByRole('heading', { level: 1, name: /出生医学证明/ }).waitFor();
  await page.getByText('张小宝').first().waitFor();
  await expectStep('待受理', ['受理', '容缺受理', '一次性告知补正', '不予受理']);

  await page.getByRole('button', { name: '受理', exact: true }).click();
  await expectStep('已受理', ['开始审查', '终止办理']);
  await expect.poll(() => page.getByTestId('due-date').innerText()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await page
    .getByText(/剩 \d+ 个工作日|今日到期/)
    .first()
    .waitFor();

  await page.getByRole('button', { name: '开始审查' }).click();
  await expectStep('审查中', ['一次性告知补正', '作出决定', '终止办理']);

  // One notice, every problem at once: two rows, each a material and its problem, and a note.
  await page.getByRole('button', { name: '一次性告知补正' }).click();
  const dialog = page.getByRole('dialog', { name: '一次性告知补正' });
  // An empty row is refused before anything is sent.
  await dialog.getByRole('button', { name: '确认一次性告知补正' }).click();
  await dialog.getByText('请填写此项').first().waitFor();
  const first = dialog.getByTestId('problem-0');
  await first.getByLabel('材料').fill('parents-id-cards');
  await first.getByLabel('问题', { exact: true }).fill('父亲身份证已过有效期，请上传新证件');
  await dialog.getByRole('button', { name: '添加一个问题' }).click();
  const second = dialog.getByTestId('problem-1');
  await second.getByLabel('材料').fill('parents-household-register');
  await second.getByLabel('问题', { exact: true }).fill('户口簿首页影像不清晰，请重新提供');
  await dialog.getByLabel('补充说明（可选）').fill('请一次补齐以上材料');
  await shot(page, 'workbench-correction');
  await accessible('correction notice');
  await dialog.getByRole('button', { name: '确认一次性告知补正' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await expectStep('待补正', []);
  await page.getByText('补正中，计时暂停').first().waitFor();
  await page.getByText('户口簿首页影像不清晰，请重新提供').waitFor();
  await page.getByText('等待申请人补正').waitFor();

  // The applicant supplies both corrections; the case returns to review with the clock running again.
  const bmc = app.cases.find((c) => c.item.code === 'birth-medical-certificate')!.id;
  await api(base, applicant, 'POST', `/api/v1/cases/${bmc}/actions`, {
    action: 'supply_correction',
    materials: [
      { id: 'parents-id-cards', kind: 'certificate', consent: true },
      { id: 'parents-household-register', kind: 'certificate', consent: true },
    ],
  });
  await page.reload();
  await expectStep('审查中', ['一次性告知补正', '作出决定', '终止办理']);
  await page.getByText(/已补正/).waitFor();

  // 不予 needs a reason; 准予 does not.
  await page.getByRole('button', { name: '作出决定' }).click();
  const decide = page.getByRole('dialog', { name: '作出决定' });
  await decide.getByLabel('不予').check();
  await decide.getByRole('button', { name: '确认作出决定' }).click();
  await decide.getByText('请填写此项').waitFor();
  await decide.getByLabel('准予').check();
  await decide.getByRole('button', { name: '确认作出决定' }).click();
  await decide.waitFor({ state: 'hidden' });
  await expectStep('已决定', ['办结']);
  await page.getByText('准予').first().waitFor();

  await page.getByRole('button', { name: '办结' }).click();
  await expectStep('已办结', []);
  await page.getByText('当前状态下没有可执行的操作。').waitFor();
  await page
    .locator('.ant-message-notice')
    .first()
    .waitFor({ state: 'detached', timeout: 5000 })
    .catch(() => undefined);
  await shot(page, 'workbench-case');
  await accessible('case');
  expect(errors).toEqual([]);
});

it('shows an action the server refuses as its problem, in the user’s language', async () => {
  // A stale page: the case moved on elsewhere; the server's problem+json detail is shown, not a crash.
  const { app: other } = await submitNewborn(base);
  const id = other.cases.find((c) => c.item.code === 'birth-medical-certificate')!.id;
  await page.goto(`${base}/staff/cases/${id}`);
  await expectStep('待受理', ['受理', '容缺受理', '一次性告知补正', '不予受理']);
  await api(base, await login(base, 'reviewer.health'), 'POST', `/api/v1/cases/${id}/actions`, { action: 'accept' });
  await page.getByRole('button', { name: '不予受理' }).click();
  const dialog = page.getByRole('dialog', { name: '不予受理' });
  await dialog.getByLabel('理由').fill('不符合受理条件');
  await dialog.getByRole('button', { name: '确认不予受理' }).click();
  await dialog.getByRole('alert').waitFor();
  expect(await dialog.getByRole('alert').innerText()).toMatch(/[\u4e00-\u9fff]/);
  expect(errors).toEqual([]);
});

it('accepts several waiting cases at once, says which could not be, and narrows the queue by due day and district', async () => {
  // Two new applications wait for 受理; a third is accepted elsewhere while the reviewer has it selected.
  const apps = [(await submitNewborn(base)).app, (await submitNewborn(base)).app, (await submitNewborn(base)).app];
  const bmc = (a: AppView) => a.cases.find((c) => c.item.code === 'birth-medical-certificate')!.id;
  const reviewer = await login(base, 'reviewer.health');
  await page.goto(`${base}/staff`);
  await page.getByRole('heading', { level: 1, name: '待办件队列' }).waitFor();
  await chooseOption(page, '状态', '待受理');
  for (const a of apps) await page.getByLabel(`选择申请 ${a.number}`).first().check();
  const bar = page.getByTestId('bulk-bar');
  await bar.getByText('已选 3 件').waitFor();
  // Waiting cases can be accepted in bulk; none of them is accepted yet, so "start review" has nothing to do.
  expect(await bar.getByRole('button', { name: '所选已受理件开始审查（0）' }).isDisabled()).toBe(true);
  await api(base, reviewer, 'POST', `/api/v1/cases/${bmc(apps[2]!)}/actions`, { action: 'accept' });
  await bar.getByRole('button', { name: '受理所选待受理件（3）' }).click();
  await page.getByRole('tooltip').getByText('受理所选的 3 件？').waitFor();
  await page.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
  const result = page.getByTestId('bulk-result');
  await result.getByText('已受理 2 件。').waitFor();
  // The one accepted meanwhile is named with the server's reason, in Chinese words.
  expect(await result.innerText()).toContain(
    `${apps[2]!.number} · 《出生医学证明》首签: 办件当前为“已受理”，不能“受理”`,
  );
  await expect.poll(() => page.getByTestId('bulk-bar').count()).toBe(0);
  await shot(page, 'workbench-bulk');
  for (const a of apps) {
    const c = await api<{ status: string; history: Array<{ action: string }> }>(
      base,
      reviewer,
      'GET',
      `/api/v1/cases/${bmc(a)}`,
    );
    expect(c.status).toBe('accepted');
    expect(c.history.filter((h) => h.action === 'accept')).toHaveLength(1); // once, not twice
  }

  // Due today (the overdue included), and one district: the counts the API gives for the same filters.
  await chooseOption(page, '状态', '全部');
  const count = async (query: string) => {
    const res = await fetch(`${base}/api/v1/cases?${query}&limit=1`, {
      headers: { authorization: `Bearer ${reviewer}` },
    });
    return Number(res.headers.get('x-total-count'));
  };
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  await chooseOption(page, '期限', '今日到期（含已超期）');
  const dueToday = await count(`dueBefore=${today}`);
  if (dueToday === 0) await page.getByText('没有符合条件的办件。').waitFor();
  else await page.getByTestId('queue-total').getByText(`共 ${dueToday} 件在办`).waitFor();
  await chooseOption(page, '期限', '全部');
  await chooseOption(page, '区县', '玄武区');
  await page
    .getByTestId('queue-total')
    .getByText(`共 ${await count('region=320102')} 件在办`)
    .waitFor();
  expect(errors).toEqual([]);
});

it('shows the maternity case’s materials as given and opens the uploaded invoice in the viewer', async () => {
  // The invoice serves 生育医疗费用报销 (nj-medical-insurance), not the birth certificate: its reviewer looks.
  const maternity = app.cases.find((c) => c.item.code === 'maternity-expense-reimbursement')!.id;
  const context = await signedInContext(browser, base, 'reviewer.medical-insurance');
  const reviewer = await context.newPage();
  const pageErrors = watchErrors(reviewer);
  await reviewer.goto(`${base}/staff/cases/${maternity}`);
  const card = reviewer.locator('.ant-card', { has: reviewer.getByRole('heading', { name: '材料与前置结果' }) });
  await card.waitFor();
  const invoices = card.getByTestId('material-maternity-medical-invoices');
  await invoices.getByText('已上传').waitFor();
  await card.getByTestId('material-discharge-summary').getByText('容缺（申请人承诺后补）').waitFor();
  await card
    .getByTestId('material-discharge-summary')
    .getByText(/本人承诺补交出院小结/)
    .waitFor();
  await card.scrollIntoViewIfNeeded();
  await shot(reviewer, 'workbench-materials-card', { fullPage: false });

  await invoices.getByRole('button', { name: '查看文件 分娩费用票据.pdf' }).click();
  const dialog = reviewer.getByRole('dialog', { name: '分娩费用票据.pdf' });
  await dialog.waitFor();
  const viewer = dialog.locator('object[aria-label="分娩费用票据.pdf"]');
  await viewer.waitFor();
  // The embedded document is the uploaded file, byte for byte, from a blob URL (fetched with the session cookie).
  const data = await viewer.getAttribute('data');
  expect(data).toMatch(/^blob:/);
  const bytes = await reviewer.evaluate(
    async (url) => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())),
    data!,
  );
  expect(Buffer.from(bytes).equals(PDF)).toBe(true);
  await dialog.getByRole('link', { name: '下载 分娩费用票据.pdf' }).waitFor();
  await shot(reviewer, 'workbench-materials', { fullPage: false });

  await dialog.getByRole('button', { name: '关闭' }).first().click();
  await dialog.waitFor({ state: 'hidden' });
  // Closing the viewer revokes the blob URL.
  expect(
    await reviewer.evaluate(
      async (url) =>
        fetch(url).then(
          () => 'open',
          () => 'revoked',
        ),
      data!,
    ),
  ).toBe('revoked');
  const serious = (await axe(reviewer)).serious.filter((v) => !shellIssue(v));
  expect(serious, describeViolations(serious)).toEqual([]);
  expect(pageErrors).toEqual([]);
  await context.close();
});
