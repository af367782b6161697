// The administrator's people page and calendar, in Chinese at 1280 px: a staff account created (a wrong phone
// number first: the server's words on the field), its roles changed; the staff exported as Excel and imported back
// (nothing changes), a bad file refused with every bad row listed; the calendar's 2026 previewed, and the 2026
// notice file previewed before it is loaded.
// Uses its own account only: the seeded ones other files log in as stay as they are.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { StaffAccount } from '@onething/shared/identity';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import {
  api,
  chooseOption,
  launchBrowser,
  login,
  PASSWORD,
  ROOT,
  shot,
  signedInContext,
  watchErrors,
} from './harness.ts';

const base = inject('baseUrl');
let browser: Browser;
let page: Page;
let errors: string[];
let token: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-people-e2e-'));
const USERNAME = `clerk.e2e-${Date.now().toString(36)}`;
const NAME = `浏览器测试办事员${USERNAME.slice(-3)}`;

const staffList = () => api<StaffAccount[]>(base, token, 'GET', '/api/v1/admin/accounts?limit=200');

beforeAll(async () => {
  browser = await launchBrowser();
  token = await login(base, 'admin');
  const context = await signedInContext(browser, base, 'admin', { acceptDownloads: true });
  page = await context.newPage();
  errors = watchErrors(page);
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it('creates a staff account: a wrong phone number is named on its field, then the right one is saved', async () => {
  await page.goto(`${base}/admin/people`);
  await page.getByRole('heading', { level: 1, name: '机构与人员' }).waitFor();
  await page.getByRole('cell', { name: 'reviewer.health' }).waitFor();
  await page.getByRole('button', { name: '新建工作人员' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('用户名').fill(USERNAME);
  await dialog.getByLabel('姓名').fill(NAME);
  await dialog.getByLabel('初始密码').fill(PASSWORD);
  await dialog.getByLabel('手机号码').fill('1395100');
  await chooseOption(page, page.getByRole('dialog').getByLabel('部门', { exact: true }), '南京市卫生健康委员会', {
    type: '南京市卫生健康委员会',
  });
  await dialog.getByLabel('辖区').fill('320100');
  await chooseOption(page, page.getByRole('dialog').getByLabel('角色', { exact: true }), '部门审核人员', {
    type: '部门审核人员',
  });
  await dialog.getByTestId('staff-save').click();
  // The server's field error (problem+json), in Chinese, under the phone field.
  const phoneError = dialog
    .locator('.ant-form-item', { has: page.getByLabel('手机号码') })
    .locator('.ant-form-item-explain-error');
  await phoneError.getByText('请填写 11 位手机号码').waitFor();
  await shot(page, 'people-staff-new-error', { fullPage: false });
  expect((await staffList()).some((s) => s.username === USERNAME)).toBe(false);

  await dialog.getByLabel('手机号码').fill('13951009099');
  await dialog.getByTestId('staff-save').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('cell', { name: USERNAME }).waitFor();
  const created = (await staffList()).find((s) => s.username === USERNAME)!;
  expect(created).toMatchObject({
    roles: ['reviewer'],
    departmentCode: 'nj-health',
    jurisdiction: '320100',
    disabled: false,
  });
  // The new account can log in with its initial password (and the one-time code staff need).
  expect(await login(base, USERNAME)).toBeTruthy();
});

it('changes the account’s roles in its dialog; the list shows them', async () => {
  await page.getByRole('button', { name: `编辑工作人员：${NAME}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('部门审核人员').waitFor();
  await chooseOption(page, page.getByRole('dialog').getByLabel('角色', { exact: true }), '部门负责人', {
    type: '部门负责人',
  });
  await shot(page, 'people-staff-edit', { fullPage: false });
  await dialog.getByTestId('staff-save').click();
  await dialog.waitFor({ state: 'hidden' });
  const row = page.getByRole('row', { name: new RegExp(USERNAME) });
  await row.getByText('部门负责人').waitFor();
  const changed = (await staffList()).find((s) => s.username === USERNAME)!;
  expect([...changed.roles].sort()).toEqual(['department_head', 'reviewer']);
  await shot(page, 'people-page');
  expect(errors).toEqual([]);
});

it('exports the staff to Excel and imports the file back (nothing changes); a file with bad rows is refused, each listed', async () => {
  const download = page.waitForEvent('download');
  await page.getByTestId('accounts-export').click();
  const file = path.join(tmp, 'staff.xlsx');
  await (await download).saveAs(file);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0]!;
  expect(sheet.getRow(1).getCell(1).value).toBe('用户名');
  const usernames: string[] = [];
  sheet.eachRow((r, n) => n > 1 && usernames.push(String(r.getCell(1).value)));
  const before = await staffList();
  expect(usernames.sort()).toEqual(before.map((s) => s.username).sort());
  expect(usernames).toContain(USERNAME);

  await page.getByTestId('accounts-import-file').setInputFiles(file);
  await page
    .getByTestId('accounts-import-result')
    .getByText(`导入完成：新建 0 条，更新 0 条，未变 ${before.length} 条。`)
    .waitFor();
  expect(await staffList()).toEqual(before);

  // Two bad rows: a phone number too short, and an unknown role with a new account lacking its password.
  const bad = new ExcelJS.Workbook();
  const ws = bad.addWorksheet('工作人员');
  ws.addRow(['用户名', '姓名', '手机号码', '部门编码', '辖区（区划代码）', '角色', '状态', '初始密码（仅新账号）']);
  ws.addRow(['clerk.sheet-ok', '正确的一行', '13951009201', 'nj-health', '320100', '部门审核人员', '正常', PASSWORD]);
  ws.addRow(['clerk.sheet-phone', '手机号错误', '1395100', 'nj-health', '320100', '部门审核人员', '正常', PASSWORD]);
  ws.addRow(['clerk.sheet-role', '角色错误', '13951009203', 'nj-health', '320100', '超级管理员', '正常', '']);
  const badFile = path.join(tmp, 'bad.xlsx');
  await bad.xlsx.writeFile(badFile);
  await page.getByTestId('accounts-import-file').setInputFiles(badFile);
  const result = page.getByTestId('accounts-import-result');
  await result.getByText('导入文件有 2 行不符合要求，未导入任何内容').waitFor();
  await result.getByRole('row', { name: '3 手机号码 请填写 11 位手机号码' }).waitFor();
  await result.getByRole('row', { name: '4 角色 不是工作人员角色' }).waitFor();
  await result.getByRole('row', { name: '4 初始密码（仅新账号） 新账号须填写初始密码' }).waitFor();
  await result.scrollIntoViewIfNeeded();
  await shot(page, 'people-import-refused', { fullPage: false });
  expect((await staffList()).length).toBe(before.length);
  expect(errors).toEqual([]);
});

it('exports the published service items from the catalogue page as Excel', async () => {
  await page.goto(`${base}/admin/catalogue`);
  await page.getByRole('heading', { level: 1, name: '事项与一件事目录' }).waitFor();
  const download = page.waitForEvent('download');
  await page.getByTestId('items-export').click();
  const file = path.join(tmp, 'items.xlsx');
  await (await download).saveAs(file);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0]!;
  expect(sheet.getRow(1).getCell(1).value).toBe('事项编码');
  const codes: string[] = [];
  sheet.eachRow((r, n) => n > 1 && codes.push(String(r.getCell(1).value)));
  const items = await api<Array<{ code: string }>>(base, token, 'GET', '/api/v1/catalogue/items');
  expect(codes.sort()).toEqual(items.map((i) => i.code).sort());
});

it('previews 2026 in the calendar: holidays and adjusted working days named in words, the year’s working days counted', async () => {
  await page.goto(`${base}/admin/calendar`);
  await page.getByRole('heading', { level: 1, name: '工作日历' }).waitFor();
  await chooseOption(page, '查看年份', '2026');
  const grid = page.getByTestId('calendar-grid');
  await grid.getByRole('table', { name: '2026 年 10 月' }).waitFor();
  expect(await grid.locator('[data-date="2026-10-01"]').getAttribute('aria-label')).toBe('10月1日 国庆节 节假日');
  expect(await grid.locator('[data-date="2026-10-10"]').getAttribute('aria-label')).toBe('10月10日 国庆节 调休上班');
  await grid.getByRole('cell', { name: '2月14日 春节 调休上班' }).waitFor();
  expect(await grid.locator('[data-date="2026-10-01"]').innerText()).toContain('休');
  expect(await grid.locator('[data-date="2026-10-10"]').innerText()).toContain('班');
  await page.getByTestId('calendar-grid-workdays').getByText('2026 年共 248 个工作日').waitFor();
  await shot(page, 'people-calendar-2026');

  // The notice's file is previewed in the same grid before it is loaded; nothing changes until the button is pressed.
  const file = path.join(ROOT, 'server/data/calendar/2026.json');
  const loadedAt = async () =>
    (await api<Array<{ year: number; loadedAt: string }>>(base, token, 'GET', '/api/v1/calendar/years')).find(
      (y) => y.year === 2026,
    )?.loadedAt;
  const before = await loadedAt();
  await page.getByTestId('calendar-file').setInputFiles(file);
  const preview = page.getByTestId('calendar-file-grid');
  await preview.getByRole('cell', { name: '5月1日 劳动节 节假日' }).waitFor();
  await preview.getByRole('cell', { name: '5月9日 劳动节 调休上班' }).waitFor();
  await page.getByText('预览“2026.json”（国务院办公厅关于2026年部分节假日安排的通知），尚未加载').waitFor();
  expect(await loadedAt()).toBe(before);
  await shot(page, 'people-calendar-file-preview');
  await page.getByRole('button', { name: '加载', exact: true }).click();
  await page.getByTestId('calendar-loaded').getByText('2026 年已加载（7 个节假日）。').waitFor();
  expect(await loadedAt()).not.toBe(before);
  expect(errors).toEqual([]);
});
