// Excel files of the console through the API: staff accounts, departments and service items exported as .xlsx
// (Chinese headers, a frozen header row); staff and departments imported back (nothing changes), new and changed
// rows written; a file with bad rows refused whole (422, every bad row and column named in Chinese and English,
// counted before and after: nothing written); uploads that are not workbooks, too large, or of another type.
import type { ItemVersion } from '@onething/shared/catalogue';
import type { RowProblem } from '@onething/shared/spreadsheets';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, loginWithCode, problem, type TestApp } from './helpers.ts';
import { XLSX_TYPE } from '../src/platform/xlsx.ts';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
});
afterAll(async () => t?.close());

const download = (url: string, token = admin) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
const upload = (url: string, body: Buffer | string, type = XLSX_TYPE, lang = 'zh-CN', token = admin) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { ...bearer(token), 'content-type': type, 'accept-language': lang },
    payload: body,
  });

async function sheetOf(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}
const rowsOf = (sheet: ExcelJS.Worksheet) => {
  const out: string[][] = [];
  sheet.eachRow((r) =>
    out.push((r.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))),
  );
  return out;
};
async function workbook(header: string[], rows: Array<Array<string | number>>) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('导入');
  ws.addRow(header);
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const count = async (table: string, where = 'true') =>
  Number((await t.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)).rows[0]!.n);
const counts = async () => ({
  accounts: await count('accounts'),
  roles: await count('account_roles'),
  departments: await count('departments'),
  audit: await count('audit_events'),
});

describe('export', () => {
  it('gives staff accounts as a workbook: Chinese headers, the header row frozen, phone numbers masked', async () => {
    const res = await download('/api/v1/admin/excel/accounts');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_TYPE);
    expect(String(res.headers['content-disposition'])).toMatch(
      /^attachment; filename="staff-\d{4}-\d{2}-\d{2}\.xlsx"; filename\*=UTF-8''/,
    );
    const sheet = await sheetOf(res.rawPayload);
    expect(sheet.name).toBe('工作人员');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const [header, ...rows] = rowsOf(sheet);
    expect(header).toEqual([
      '用户名',
      '姓名',
      '手机号码',
      '部门编码',
      '部门名称（仅供查看）',
      '辖区（区划代码）',
      '角色',
      '状态',
      '初始密码（仅新账号）',
    ]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    const health = rows.find((r) => r[0] === 'reviewer.health')!;
    expect(health).toEqual([
      'reviewer.health',
      '南京市卫健委审核员',
      '139****9011',
      'nj-health',
      '南京市卫生健康委员会',
      '320100',
      '部门审核人员',
      '正常',
    ]);
    // The province's administrator sees every staff account of the province; the city's only its own.
    expect(rows.length).toBe(await count('accounts', "kind = 'staff'"));
    const wuxi = await sheetOf(
      (await download('/api/v1/admin/excel/accounts', await t.login('admin.wuxi'))).rawPayload,
    );
    expect(
      rowsOf(wuxi)
        .slice(1)
        .every((r) => r[5]!.startsWith('3202')),
    ).toBe(true);
  });

  it('gives departments and the published service items as workbooks', async () => {
    const deps = await sheetOf((await download('/api/v1/admin/excel/departments')).rawPayload);
    const [dh, ...drows] = rowsOf(deps);
    expect(dh).toEqual(['部门编码', '中文名称', '英文名称', '行政区划代码', '条线']);
    expect(drows.length).toBe(await count('departments'));
    expect(drows.find((r) => r[0] === 'nj-health')).toEqual([
      'nj-health',
      '南京市卫生健康委员会',
      expect.any(String),
      '320100',
      'health',
    ]);

    const res = await download('/api/v1/admin/excel/items');
    expect(res.headers['content-type']).toBe(XLSX_TYPE);
    const items = await sheetOf(res.rawPayload);
    expect(items.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const [ih = [], ...irows] = rowsOf(items);
    expect(ih.slice(0, 10)).toEqual([
      '事项编码',
      '版本',
      '事项名称',
      '英文名称',
      '办理部门编码',
      '办理部门',
      '事项类型',
      '服务对象',
      '法定办结时限（工作日）',
      '承诺办结时限（工作日）',
    ]);
    expect(ih).toContain('申请材料数');
    const published = await t.db.query<{ n: string | number }>(
      `SELECT count(DISTINCT item_code) AS n FROM service_item_versions WHERE status = 'published'`,
    );
    expect(irows.length).toBe(Number(published.rows[0]!.n));
    const birth = irows.find((r) => r[0] === 'birth-medical-certificate')!;
    const item = (await t.app.inject('/api/v1/catalogue/items/birth-medical-certificate')).json() as ItemVersion;
    expect(birth[1]).toBe(String(item.version));
    expect(birth[2]).toBe(item.content.name.zh);
    expect(birth[9]).toBe(String(item.content.promisedDays));
    expect(birth[ih.indexOf('申请材料数')]).toBe(String(item.content.materials.length));
  });

  it('is for administrators only', async () => {
    const reviewer = await t.login('reviewer.health');
    expect((await download('/api/v1/admin/excel/accounts', reviewer)).statusCode).toBe(403);
    expect((await download('/api/v1/admin/excel/items', reviewer)).statusCode).toBe(403);
    expect(
      (await upload('/api/v1/admin/excel/departments', Buffer.from('x'), XLSX_TYPE, 'en', reviewer)).statusCode,
    ).toBe(403);
  });
});

describe('import', () => {
  it('round-trips: the exported staff and departments imported back change nothing', async () => {
    const before = await counts();
    const staff = await upload(
      '/api/v1/admin/excel/accounts',
      (await download('/api/v1/admin/excel/accounts')).rawPayload,
    );
    expect(staff.statusCode, staff.body).toBe(200);
    expect(staff.json()).toEqual({ created: 0, updated: 0, unchanged: await count('accounts', "kind = 'staff'") });
    const deps = await upload(
      '/api/v1/admin/excel/departments',
      (await download('/api/v1/admin/excel/departments')).rawPayload,
    );
    expect(deps.statusCode, deps.body).toBe(200);
    expect(deps.json()).toEqual({ created: 0, updated: 0, unchanged: before.departments });
    expect(await counts()).toEqual(before);
  });

  it('creates new accounts and changes known ones from a sheet; a change of roles ends that account’s sessions', async () => {
    const sheet = await sheetOf((await download('/api/v1/admin/excel/accounts')).rawPayload);
    const header = rowsOf(sheet)[0]!;
    const head = await loginWithCode(t.app, t.db, 'head.health');
    const res = await upload(
      '/api/v1/admin/excel/accounts',
      await workbook(header, [
        [
          'clerk.sheet',
          '表格导入办事员',
          '13951009101',
          'nj-hrss',
          '',
          '320100',
          '部门审核人员、综合窗口工作人员',
          '正常',
          'Sheet-import-2026',
        ],
        [
          'head.health',
          '南京市卫健委政务服务处负责人',
          '139****9021',
          'nj-health',
          '',
          '320100',
          'department_head, reviewer',
          '正常',
          '',
        ],
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 1, updated: 1, unchanged: 0 });
    const staff = (
      await t.app.inject({ url: '/api/v1/admin/accounts?limit=200', headers: bearer(admin) })
    ).json() as Array<{ username: string; roles: string[]; departmentCode: string; phone: string }>;
    expect(staff.find((s) => s.username === 'clerk.sheet')).toMatchObject({
      roles: expect.arrayContaining(['reviewer', 'window_staff']),
      departmentCode: 'nj-hrss',
      phone: '139****9101',
    });
    expect([...staff.find((s) => s.username === 'head.health')!.roles].sort()).toEqual(['department_head', 'reviewer']);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(head) })).statusCode).toBe(401);
    expect(await loginWithCode(t.app, t.db, 'clerk.sheet', 'Sheet-import-2026')).toBeTruthy();
  });

  it('refuses a staff sheet with two bad rows whole: each bad row and column named in Chinese and English, nothing written', async () => {
    const header = rowsOf(await sheetOf((await download('/api/v1/admin/excel/accounts')).rawPayload))[0]!;
    const file = await workbook(header, [
      [
        'clerk.good',
        '一名正确的办事员',
        '13951009102',
        'nj-health',
        '',
        '320100',
        '部门审核人员',
        '正常',
        'Good-password-2026',
      ],
      [
        'clerk.bad-phone',
        '手机号错误的办事员',
        '1395100',
        'nj-health',
        '',
        '320100',
        '部门审核人员',
        '正常',
        'Good-password-2026',
      ],
      [
        'clerk.good2',
        '又一名正确的办事员',
        '13951009103',
        '',
        '',
        '320104',
        '综合窗口工作人员',
        '正常',
        'Good-password-2026',
      ],
      [
        'clerk.bad-many',
        '多处错误的办事员',
        '13951009104',
        'no-such-department',
        '',
        '320100',
        '部门审核人员、超级管理员',
        '休假',
        '',
      ],
    ]);
    const before = await counts();
    const zh = await upload('/api/v1/admin/excel/accounts', file);
    expect(zh.statusCode).toBe(422);
    const p = problem(zh) as ReturnType<typeof problem> & {
      rows: Array<{ row: number; column: string; code: string; detail: { zh: string; en: string } }>;
    };
    expect(p.code).toBe('identity.import_invalid');
    expect(p.title).toBe('导入文件有 2 行不符合要求，未导入任何内容');
    expect(p.rows.map((r) => [r.row, r.column])).toEqual([
      [3, '手机号码'],
      [5, '状态'],
      [5, '初始密码（仅新账号）'],
      [5, '部门编码'],
      [5, '角色'],
    ]);
    expect(p.rows[0]!.detail).toEqual({ zh: '请填写 11 位手机号码', en: 'an 11-digit mobile number' });
    expect(p.rows.find((r) => r.column === '角色')!.detail).toEqual({ zh: '不是工作人员角色', en: 'not a staff role' });
    expect(p.rows.find((r) => r.column === '部门编码')!.detail.zh).toBe('部门不存在');
    expect(p.errors!.map((e) => e.pointer)).toContain('/3/手机号码');
    const en = problem(await upload('/api/v1/admin/excel/accounts', file, XLSX_TYPE, 'en'));
    expect(en.title).toBe('2 rows of the file are not valid; nothing was imported');
    expect(en.errors![0]).toMatchObject({ pointer: '/3/手机号码', detail: 'an 11-digit mobile number' });
    expect(await counts()).toEqual(before);
    expect(await count('accounts', "username LIKE 'clerk.good%'")).toBe(0);
  });

  it('refuses a department sheet with two bad rows whole, a code given twice included, nothing written', async () => {
    const file = await workbook(
      ['部门编码', '中文名称', '英文名称', '行政区划代码', '条线'],
      [
        ['nj-culture', '南京市文化和旅游局', 'Nanjing Culture and Tourism Bureau', '320100', 'culture'],
        ['Bad Code', '坏编码', 'Bad code', '320100', 'culture'],
        ['nj-health', '南京市卫生健康委员会（改名）', 'Renamed', '3201', 'health'],
        ['nj-culture', '重复', 'Duplicate', '320100', 'culture'],
      ],
    );
    const before = await counts();
    const res = await upload('/api/v1/admin/excel/departments', file);
    expect(res.statusCode).toBe(422);
    const p = res.json() as { title: string; rows: RowProblem[] };
    expect(p.title).toBe('导入文件有 3 行不符合要求，未导入任何内容');
    expect(p.rows.map((r) => [r.row, r.column])).toEqual([
      [3, '部门编码'],
      [4, '行政区划代码'],
      [5, '部门编码'],
    ]);
    expect(p.rows[2]!.detail).toEqual({ zh: '与第 2 行的编码重复', en: 'the same code as row 2' });
    expect(p.rows.every((r) => r.detail.zh && r.detail.en)).toBe(true);
    expect(await counts()).toEqual(before);

    const good = await upload(
      '/api/v1/admin/excel/departments',
      await workbook(
        ['部门编码', '中文名称', '英文名称', '行政区划代码', '条线'],
        [['nj-culture', '南京市文化和旅游局', 'Nanjing Culture and Tourism Bureau', '320100', 'culture']],
      ),
    );
    expect(good.json()).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(await count('departments')).toBe(before.departments + 1);
  });

  it('refuses what is not a workbook: another type 415, other bytes 400, a sheet without its columns 422, too large 413', async () => {
    const before = await counts();
    const json = await upload('/api/v1/admin/excel/accounts', '{"rows":[]}', 'application/json');
    expect(json.statusCode).toBe(415);
    expect(problem(json).title).toBe('请上传 Excel 工作簿（.xlsx）');
    expect((await upload('/api/v1/admin/excel/accounts', 'a,b,c', 'text/csv')).statusCode).toBe(415);
    const junk = problem(
      await upload(
        '/api/v1/admin/excel/departments',
        Buffer.from('PK\u0003\u0004 not really a zip at all, just bytes'),
        XLSX_TYPE,
        'en',
      ),
    );
    expect(junk).toMatchObject({ status: 400, code: 'xlsx.not_xlsx' });
    expect(junk.title).toContain('not a valid Excel workbook');
    const pdf = await upload(
      '/api/v1/admin/excel/departments',
      Buffer.from('%PDF-1.4\n%%EOF\n'),
      'application/octet-stream',
    );
    expect(pdf.statusCode).toBe(400);
    const columns = problem(
      await upload('/api/v1/admin/excel/departments', await workbook(['编码', '名称'], [['x', 'y']])),
    );
    expect(columns).toMatchObject({ status: 422, code: 'xlsx.missing_columns' });
    expect(columns.title).toContain('中文名称');
    const big = await upload('/api/v1/admin/excel/accounts', Buffer.alloc(3 * 1024 * 1024, 1));
    expect(big.statusCode).toBe(413);
    expect(await counts()).toEqual(before);
  });
});
