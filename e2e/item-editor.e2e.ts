// An administrator writes a service item without a developer: in the item editor (Chinese, 1280 px) the provincial
// administrator creates 新生儿预防接种信息登记 of the health commission — basics, a condition, one material, time
// limits and process, legal basis, three data fields, an output and a source. A promised limit above the statutory
// one is refused by the server when publishing, with the problem named beside the time-limit section and nothing
// written; fixed, version 1 is published. Then a seeded item (预防接种证办理) is opened from the catalogue, its
// promised limit changed and version 2 published: everything else is as it was, and the diff card shows the change.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import {
  api,
  axe,
  chooseOption,
  describeViolations,
  launchBrowser,
  login,
  setPreferences,
  shot,
  signedInContext,
  watchErrors,
} from './harness.ts';

const base = inject('baseUrl');
const CODE = 'newborn-vaccination-record-e2e';
let browser: Browser;
let admin: Page;
let adminErrors: string[];
let token: string;

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await (await signedInContext(browser, base, 'admin')).newPage();
  adminErrors = watchErrors(admin);
  token = await login(base, 'admin');
});
afterAll(async () => browser?.close());

/** The status of a GET: 404 while the item does not exist. */
async function status(url: string): Promise<number> {
  return (await fetch(base + url, { headers: { authorization: `Bearer ${token}` } })).status;
}

it('creates a new item in the editor; a promise above the statutory limit is refused at publish, named beside its section', async () => {
  await admin.goto(`${base}/admin/catalogue`);
  await admin.getByTestId('catalogue-items').getByRole('button', { name: '新建事项' }).click();
  await admin.getByRole('heading', { level: 1, name: '新建事项' }).waitFor();

  // Checked while empty: the browser's check names the fields in the editor's words.
  await admin.getByRole('button', { name: '检查', exact: true }).click();
  const check = await admin.getByTestId('item-check').innerText();
  expect(check).toContain('事项编码: 只能由字母、数字');
  expect(check).toContain('实施部门: 必须填写');
  await admin.getByTestId('item-basics-problems').getByText('事项名称 · 中文: 必须填写').waitFor();

  await admin.getByLabel('事项编码').fill(CODE);
  await admin.getByLabel('行政区划代码').fill('320100');
  await admin.getByLabel('事项名称（中文）').fill('新生儿预防接种信息登记');
  await admin.getByLabel('事项名称（英文）').fill('Newborn vaccination record registration');
  await admin.getByLabel('简称（中文）').fill('接种信息登记');
  await admin.getByLabel('简称（英文）').fill('Vaccination record');
  await chooseOption(admin, '实施部门', '南京市卫生健康委员会', { type: '南京市卫生健康委员会' });
  await chooseOption(admin, '事项类型', '行政确认');
  await admin.getByLabel('事项简介（中文）').fill('新生儿出生后，由接种单位登记其预防接种信息，建立预防接种档案。');
  await admin
    .getByLabel('事项简介（英文）')
    .fill(
      'After birth, the vaccination unit records the newborn’s vaccination information and opens a vaccination record.',
    );

  await admin.getByRole('button', { name: '添加受理条件' }).click();
  await admin.getByLabel('受理条件 1（中文）').fill('新生儿在本市助产机构出生。');
  await admin.getByLabel('受理条件 1（英文）').fill('The newborn was born at a midwifery institution of the city.');

  await admin.getByRole('button', { name: '添加材料' }).click();
  await admin.getByLabel('材料 1 的材料编号').fill('birth-certificate');
  await admin.getByLabel('材料 1 的材料名称（中文）').fill('出生医学证明');
  await admin.getByLabel('材料 1 的材料名称（英文）').fill('Birth medical certificate');
  await admin.getByLabel('材料 1 的电子证照类型').fill('birth-medical-certificate');
  await admin.getByLabel('材料 1 的告知承诺').check();

  // The wrong input: 5 working days promised against a statutory limit of 3.
  await admin.getByLabel('无法定时限').uncheck();
  await admin.getByLabel('法定办结时限（工作日）').fill('3');
  await admin.getByLabel('承诺办结时限（工作日）').fill('5');
  await admin.getByRole('button', { name: '添加流程环节' }).click();
  await admin.getByLabel('流程环节 1 的环节名称（中文）').fill('申请');
  await admin.getByLabel('流程环节 1 的环节名称（英文）').fill('Application');
  await admin.getByRole('button', { name: '添加流程环节' }).click();
  await admin.getByLabel('流程环节 2 的环节名称（中文）').fill('受理');
  await admin.getByLabel('流程环节 2 的环节名称（英文）').fill('Acceptance');
  await admin.getByLabel('流程环节 2 的时限（工作日）').fill('1');

  await admin.getByRole('button', { name: '添加设定依据' }).click();
  await admin.getByLabel('设定依据 1（中文）').fill('《中华人民共和国疫苗管理法》');
  await admin.getByLabel('设定依据 1（英文）').fill('Vaccine Administration Law of the PRC');

  // Three data fields, each with the checks of its kind.
  const fields: Array<[string, string, string, string, boolean]> = [
    ['childName', '儿童姓名', 'Child name', '文本', true],
    ['childBirthDate', '出生日期', 'Date of birth', '日期', true],
    ['guardianPhone', '监护人手机号码', 'Guardian mobile', '手机号码', false],
  ];
  for (const [key, zh, en, kind, required] of fields) {
    await admin.getByLabel('新字段编号（如 childName）').fill(key);
    await admin.getByLabel('新字段中文名称').fill(zh);
    await admin.getByLabel('新字段英文名称').fill(en);
    await chooseOption(admin, '新字段类型', kind);
    const req = admin.getByTestId('item-fields').getByLabel('必填', { exact: true });
    if (required) await req.check();
    else await req.uncheck();
    await admin.getByTestId('item-fields').getByRole('button', { name: '添加字段' }).click();
  }
  await expect.poll(() => admin.getByTestId('item-fields-table').locator('tbody tr.ant-table-row').count()).toBe(3);

  await admin.getByRole('button', { name: '添加办理结果' }).click();
  await admin.getByLabel('办理结果 1 的证照类型').fill('vaccination-record');
  await admin.getByLabel('办理结果 1 的结果名称（中文）').fill('预防接种档案');
  await admin.getByLabel('办理结果 1 的结果名称（英文）').fill('Vaccination record');
  await admin.getByRole('button', { name: '添加信息来源' }).click();
  await admin.getByLabel('信息来源 1', { exact: true }).fill('https://wjw.nanjing.gov.cn/');

  await admin.getByRole('button', { name: '保存并发布' }).click();
  const timeProblems = admin.getByTestId('item-time-problems');
  await timeProblems.getByText('承诺办结时限（工作日）: 承诺时限（5）不得超过法定时限（3）个工作日').waitFor();
  await admin
    .getByTestId('item-problem')
    .getByText('承诺办结时限（工作日）: 承诺时限（5）不得超过法定时限（3）个工作日')
    .waitFor();
  // Nothing was written: no version, draft or published.
  expect(await status(`/api/v1/admin/catalogue/items/${CODE}/versions`)).toBe(404);
  expect(await status(`/api/v1/catalogue/items/${CODE}`)).toBe(404);
  await timeProblems.scrollIntoViewIfNeeded();
  await shot(admin, 'admin-item-editor-problem', { fullPage: false });

  // Fixed: 2 working days promised; version 1 is published.
  await admin.getByLabel('承诺办结时限（工作日）').fill('2');
  await admin.getByRole('button', { name: '保存并发布' }).click();
  await admin.getByTestId('item-published').getByText('已发布第 1 版。').waitFor();
  expect(await timeProblems.count()).toBe(0);
  await admin.getByRole('heading', { level: 1, name: '修改事项：新生儿预防接种信息登记' }).waitFor();
  expect(await admin.getByLabel('事项编码').isDisabled()).toBe(true);
  await shot(admin, 'admin-item-editor', { fullPage: true });
  // The materials table scrolls sideways; its right-hand columns (form, copies, note) keep their widths.
  const materials = admin.getByTestId('item-materials');
  await materials.scrollIntoViewIfNeeded();
  await materials
    .locator('.ant-table-content')
    .first()
    .evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
  await shot(admin, 'admin-item-editor-materials', { fullPage: false });

  const published = await api<{ version: number; content: Record<string, unknown> }>(
    base,
    null,
    'GET',
    `/api/v1/catalogue/items/${CODE}`,
  );
  expect(published.version).toBe(1);
  expect(published.content).toMatchObject({
    code: CODE,
    name: { zh: '新生儿预防接种信息登记', en: 'Newborn vaccination record registration' },
    departmentCode: 'nj-health',
    regionCode: '320100',
    itemType: 'administrative_confirmation',
    serviceObjects: ['person'],
    statutoryDays: 3,
    promisedDays: 2,
    materials: [
      {
        id: 'birth-certificate',
        name: { zh: '出生医学证明', en: 'Birth medical certificate' },
        required: true,
        toleratedGapAllowed: false,
        commitmentAllowed: true,
        certificateType: 'birth-medical-certificate',
        form: 'electronic',
        copies: 1,
      },
    ],
    stages: [
      { code: 'apply', name: { zh: '申请', en: 'Application' }, excludedFromLimit: false },
      { code: 'accept', name: { zh: '受理', en: 'Acceptance' }, excludedFromLimit: false, days: 1 },
    ],
    legalBasis: [{ zh: '《中华人民共和国疫苗管理法》', en: 'Vaccine Administration Law of the PRC' }],
    outputs: [{ certificateType: 'vaccination-record', name: { zh: '预防接种档案', en: 'Vaccination record' } }],
    sources: ['https://wjw.nanjing.gov.cn/'],
  });
  const schema = published.content.fields as {
    properties: Record<string, { type: string; title: string; pattern?: string }>;
    required: string[];
  };
  expect(Object.keys(schema.properties).sort()).toEqual(['childBirthDate', 'childName', 'guardianPhone']);
  expect(schema.properties.guardianPhone).toEqual({
    type: 'string',
    title: '监护人手机号码 / Guardian mobile',
    pattern: '^1[0-9]{10}$',
  });
  expect(schema.required).toEqual(['childName', 'childBirthDate']);
  expect(adminErrors).toEqual([]);
});

it('edits a seeded item from the catalogue into version 2; only the promised limit changes and the diff shows it', async () => {
  const before = await api<{ version: number; content: Record<string, unknown> }>(
    base,
    null,
    'GET',
    '/api/v1/catalogue/items/vaccination-certificate',
  );
  expect(before.content.promisedDays).toBe(1);

  await admin.goto(`${base}/admin/catalogue`);
  const items = admin.getByTestId('catalogue-items');
  await items.getByLabel('按名称或编码筛选事项').fill('newborn-vaccination');
  await items.getByText(CODE).waitFor(); // the new item is in the catalogue's list
  await items.getByLabel('按名称或编码筛选事项').fill('预防接种证');
  await shot(admin, 'admin-catalogue-items', { fullPage: true });
  await items.getByRole('link', { name: '修改事项“预防接种证办理”' }).click();
  await admin.getByRole('heading', { level: 1, name: '修改事项：预防接种证办理' }).waitFor();
  // The seeded fields show as a flat list with their kinds.
  await expect.poll(() => admin.getByTestId('item-fields-table').locator('tbody tr.ant-table-row').count()).toBe(5);
  expect(await admin.getByLabel('无法定时限').isChecked()).toBe(true);

  await admin.getByLabel('承诺办结时限（工作日）').fill('2');
  await admin.getByRole('button', { name: '保存并发布' }).click();
  await admin
    .getByTestId('item-published')
    .getByText(`已发布第 ${before.version + 1} 版。`)
    .waitFor();

  const after = await api<{ version: number; content: Record<string, unknown> }>(
    base,
    null,
    'GET',
    '/api/v1/catalogue/items/vaccination-certificate',
  );
  expect(after.version).toBe(before.version + 1);
  expect(after.content).toEqual({ ...before.content, promisedDays: 2 });

  const diff = admin.getByTestId('item-diff');
  await diff.locator('tbody tr.ant-table-row').first().waitFor();
  expect(await diff.locator('tbody tr.ant-table-row').count()).toBe(1);
  const row = await diff.locator('tbody tr.ant-table-row').innerText();
  expect(row.split(/\s+/)).toEqual(['promisedDays', '修改', '1', '2']);
  await diff.scrollIntoViewIfNeeded();
  await shot(admin, 'admin-item-editor-diff', { fullPage: false });
  expect(adminErrors).toEqual([]);
});

it('reads the same in English, and axe finds nothing serious in the editor', async () => {
  const context = await signedInContext(browser, base, 'admin');
  await setPreferences(context, { lang: 'en' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${base}/admin/catalogue/items/${CODE}`);
  await page
    .getByRole('heading', { level: 1, name: 'Edit service item: Newborn vaccination record registration' })
    .waitFor();
  expect(
    await page
      .getByLabel('Item type', { exact: true })
      .locator('xpath=ancestor::div[contains(@class,"ant-select")][1]')
      .innerText(),
  ).toContain('Administrative confirmation');
  expect(await page.getByLabel('Promised limit (working days)').inputValue()).toBe('2');
  await page.getByTestId('item-fields-table').getByText('guardianPhone').waitFor();
  // A problem the browser finds is named in English too.
  await page.getByLabel('Item name (English)').fill('');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await page.getByTestId('item-basics-problems').getByText('Item name · English: must be filled in').waitFor();
  await shot(page, 'admin-item-editor-en', { fullPage: false });
  const { serious } = await axe(page);
  expect(serious, describeViolations(serious)).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
