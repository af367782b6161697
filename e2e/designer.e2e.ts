// An administrator publishes a new "one thing" without a developer, and a citizen applies for it: in the
// bundle designer (Chinese, 1280 px) the provincial administrator composes 儿童健康服务一件事 from two published
// items of the health commission — a check first shows what is missing, in words; the two items, a
// prerequisite drawn in the graph, a situation question that switches one item on, the one form built from
// both items' fields (shared fields asked once) with its live preview, the mappings filled in — then checks and
// publishes. 王强 then finds it on the portal, answers the question, fills the form and submits; each item
// becomes a case of its department with the form's values mapped onto the item's fields. Finally the bundle is
// changed in the designer into a second version and the diff between the versions lists the change.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { api, chooseOption, launchBrowser, login, shot, signedInContext, watchErrors } from './harness.ts';

const base = inject('baseUrl');
const CODE = 'child-health-e2e';
let browser: Browser;
let admin: Page;
let adminErrors: string[];

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await (await signedInContext(browser, base, 'admin')).newPage();
  adminErrors = watchErrors(admin);
});
afterAll(async () => browser?.close());

it('composes a new bundle from published items in the designer, checks it and publishes it', async () => {
  await admin.goto(`${base}/admin/catalogue`);
  await admin.getByRole('button', { name: '新建一件事' }).click();
  await admin.getByRole('heading', { level: 1, name: '新建一件事' }).waitFor();

  await admin.getByLabel('编码').fill(CODE);
  await admin.getByLabel('名称（中文）').fill('儿童健康服务一件事');
  await admin.getByLabel('名称（英文）').fill('Child health services');
  await admin.getByLabel('简介（中文）').fill('新生儿出院后一次申请：办理预防接种证，需要时同时登记科学育儿指导服务。');
  await admin
    .getByLabel('简介（英文）')
    .fill('One application after birth: the vaccination certificate, and parenting guidance when wanted.');

  // Checked before it is complete: the problems are listed in words, nothing is saved.
  await admin.getByRole('button', { name: '检查', exact: true }).click();
  await admin
    .getByTestId('designer-errors')
    .getByText(/检查未通过/)
    .waitFor();
  const problems = await admin.getByTestId('designer-errors').innerText();
  expect(problems).toContain('事项及先后关系: '); // no items yet
  expect(problems).toContain('牵头部门: 编码只能由字母、数字');
  const before = await api<{ items: Array<{ code: string }> }>(
    base,
    null,
    'GET',
    '/api/v1/catalogue/bundles?limit=100',
  );
  expect(before.items.map((b) => b.code)).not.toContain(CODE);

  // Two published items of the health commission; guidance waits for the vaccination certificate.
  // 添加事项 is an action (its value stays empty): the item's row in the table shows that it took effect.
  for (const [name, code] of [
    ['预防接种证办理', 'vaccination-certificate'],
    ['科学育儿指导服务登记', 'parenting-guidance-registration'],
  ]) {
    await chooseOption(admin, '添加事项', name!, {
      type: name!,
      until: admin.getByTestId('designer-items').getByText(code!),
    });
  }
  await expect
    .poll(() =>
      admin.getByLabel('牵头部门').locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').innerText(),
    )
    .toContain('南京市卫生健康委员会');
  await chooseOption(admin, '“科学育儿指导服务登记”的前置事项', '预防接种证办理');
  await admin.getByTestId('designer-graph').getByText('科学育儿指导服务登记').waitFor();

  // A yes/no question that switches the guidance item on.
  await admin.getByLabel('问题编号（如 has_register）').fill('wants_guidance');
  await admin.getByLabel('问题（中文）').fill('是否需要科学育儿指导服务？');
  await admin.getByLabel('问题（英文）').fill('Do you want parenting guidance?');
  await admin.getByRole('button', { name: '添加问题' }).click();
  await chooseOption(admin, '“科学育儿指导服务登记”的适用情形', '回答“是”时');

  // The one form: a group, then each item's fields; the fields both items have are asked once.
  await admin.getByLabel('分组编号（如 child）').fill('child');
  await admin.getByLabel('分组名（中文）').fill('儿童与监护人');
  await admin.getByLabel('分组名（英文）').fill('Child and guardian');
  await admin.getByRole('button', { name: '添加分组' }).click();
  for (const item of ['预防接种证办理', '科学育儿指导服务登记']) {
    await chooseOption(admin, '按事项添加字段', item);
    await admin.getByRole('button', { name: '加入该事项的字段' }).click();
  }
  const fields = admin.getByTestId('designer-fields');
  await expect.poll(() => fields.locator('tbody tr').count()).toBe(6); // 5 + 5 fields, 4 shared
  const preview = admin.getByTestId('designer-preview');
  await preview.getByRole('group', { name: '儿童与监护人' }).getByLabel('家庭住址').waitFor();
  // A title edited in the table shows in the preview as it is typed.
  await admin.getByLabel('字段 child.childName 的中文名称').fill('宝宝姓名');
  await preview.getByLabel('宝宝姓名').waitFor();
  // Every required field of both items is fed by the form.
  expect(await admin.getByTestId('designer-mappings').getByText('必填，未映射').count()).toBe(0);
  await admin.getByTestId('designer-materials').getByText('无需材料。').waitFor();
  await shot(admin, 'admin-designer', { fullPage: true });

  await admin.getByRole('button', { name: '检查并发布' }).click();
  await admin.getByTestId('designer-published').getByText('已发布第 1 版。').waitFor();
  const published = await api<{
    version: number;
    content: {
      leadDepartment: string;
      items: Array<{ item: string; version?: number; after: string[]; map: Record<string, string> }>;
    };
  }>(base, null, 'GET', `/api/v1/catalogue/bundles/${CODE}`);
  expect(published.content.leadDepartment).toBe('nj-health');
  expect(published.content.items.map((i) => [i.item, i.after, typeof i.version])).toEqual([
    ['vaccination-certificate', [], 'number'],
    ['parenting-guidance-registration', ['vaccination-certificate'], 'number'],
  ]);
  expect(published.content.items[1]!.map['child.childName']).toBe('childName');
  expect(adminErrors).toEqual([]);
});

it('lets a citizen find the new bundle and apply for it once; each item becomes its department’s case', async () => {
  const context = await signedInContext(browser, base, 'wangqiang');
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${base}/services?stage=birth`);
  await page.getByRole('link', { name: '儿童健康服务一件事' }).click();
  await page.getByRole('heading', { level: 1, name: '儿童健康服务一件事' }).waitFor();
  await page.getByText('南京市卫生健康委员会').first().waitFor();
  await page.getByRole('button', { name: '我要办理' }).click();

  await page
    .getByRole('group', { name: /是否需要科学育儿指导服务/ })
    .getByLabel('是')
    .check();
  await page.getByText('您需要办理 2 个事项').waitFor();
  await page.getByRole('button', { name: '下一步' }).click();
  const child = page.getByRole('group', { name: '儿童与监护人' });
  await child.getByLabel('宝宝姓名').fill('王小丫');
  await child.getByLabel('女').check();
  await child.getByLabel('出生日期').fill('2026-11-28');
  await child.getByLabel('出生日期').press('Enter');
  await child.getByLabel('监护人姓名').fill('王强');
  await child.getByLabel('监护人手机号码').fill('13951000004');
  await child.getByLabel('家庭住址').fill('南京市秦淮区中华路1号');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '提交材料' }).waitFor();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('heading', { name: '核对并提交' }).waitFor();
  await page.getByRole('button', { name: '确认无误，一次提交' }).click();
  await page.getByRole('heading', { name: '提交成功' }).waitFor();
  await expect.poll(() => page.locator('.receipt-table tbody tr').count()).toBe(2);
  await shot(page, 'designer-bundle-receipt');
  expect(errors).toEqual([]);

  // The department sees the values under its own item's field names (the form's child.childName → childName).
  const number = await page.getByTestId('application-number').innerText();
  const reviewer = await login(base, 'reviewer.health');
  const queue = await api<Array<{ id: string; applicationNumber: string; itemCode: string }>>(
    base,
    reviewer,
    'GET',
    `/api/v1/cases?bundle=${CODE}&limit=50`,
  );
  const vaccination = queue.find((c) => c.applicationNumber === number && c.itemCode === 'vaccination-certificate');
  expect(vaccination, 'the vaccination case of the new application').toBeTruthy();
  const view = await api<{ data: Record<string, unknown> }>(base, reviewer, 'GET', `/api/v1/cases/${vaccination!.id}`);
  expect(view.data).toMatchObject({
    childName: '王小丫',
    childGender: 'female',
    childBirthDate: '2026-11-28',
    guardianName: '王强',
  });
  await context.close();
});

it('changes the bundle into a second version and shows what changed between the versions', async () => {
  await admin.goto(`${base}/admin/catalogue/design/${CODE}`);
  await admin.getByRole('heading', { level: 1, name: '修改一件事：儿童健康服务一件事' }).waitFor();
  await admin.getByLabel('名称（英文）').fill('Child health services (revised)');
  await admin.getByRole('button', { name: '保存草稿' }).click();
  await admin.getByText('已保存为第 2 版草稿。').waitFor();
  await admin.reload();
  const diff = admin.getByTestId('designer-diff');
  await diff.getByText('name.en').waitFor();
  await diff.getByText('"Child health services (revised)"').waitFor();
  // The draft's items are not pinned yet (publishing pins each to its latest version): shown as such.
  await diff.getByText('items[vaccination-certificate].version').waitFor();
  await shot(admin, 'admin-designer-diff');
  expect(adminErrors).toEqual([]);
});
