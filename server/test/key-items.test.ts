// The yearly key-item list (GET/PUT /api/v1/admin/key-items): each item's status from the catalogue (a bundle with
// only a draft, then published), its use over the last 30 days against an independent count in SQL, the fields of
// bad changes named, 404s, the export as JSON and .xlsx, and who may call it.
import type { KeyItemExport, KeyItemList as List } from '@onething/shared/keyitems';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/platform/clock.ts';
import { createTestApp, loginHeaders, problem, submitNewborn, type TestApp } from './helpers.ts';

const clock = fixedClock('2026-03-02');
let t: TestApp;
const H: Record<string, Record<string, string>> = {};

const call = (who: string, method: 'GET' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: H[who], ...(payload !== undefined ? { payload: payload as object } : {}) });
const list = async (year?: number) => {
  const res = await call('admin', 'GET', `/api/v1/admin/key-items${year ? `?year=${year}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as List;
};
const byId = (l: List, id: string) => l.items.find((i) => i.id === id)!;

async function act(caseId: string, body: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/actions`,
    headers: H['reviewer.health'],
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  Object.assign(H, await loginHeaders(t, ['zhangsan', 'admin', 'admin.wuxi', 'auditor.nanjing', 'reviewer.health']));
  const ids = await submitNewborn(t, H.zhangsan!, ['keyitems-0001', 'keyitems-0002', 'keyitems-0003']);
  // One application from before the window: not counted.
  await t.db.query(`UPDATE applications SET submitted_on = '2026-01-15' WHERE id = $1`, [ids[2]]);
  // One birth certificate concluded (on time), one accepted and still open.
  const { rows } = await t.db.query<{ id: string; application_id: string }>(
    `SELECT id, application_id FROM cases WHERE item_code = 'birth-medical-certificate' AND application_id = ANY($1::uuid[]) ORDER BY application_id`,
    [ids.slice(0, 2)],
  );
  for (const action of ['accept', 'start_review']) await act(rows[0]!.id, { action });
  await act(rows[0]!.id, { action: 'decide', decision: 'approve' });
  await act(rows[0]!.id, { action: 'conclude' });
  await act(rows[1]!.id, { action: 'accept' });
}, 120_000);
afterAll(async () => t?.close());

describe('the key-item list', () => {
  it('lists the 2024 batches as seeded, with the seeded bundles linked and published', async () => {
    const l = await list(2024);
    expect(l.year).toBe(2024);
    expect(l.years).toEqual([2024, 2025, 2026]);
    expect(l.window).toEqual({ from: '2026-02-01', to: '2026-03-02', days: 30 });
    expect(l.batches.map((b) => [b.id, b.itemCount, b.namesKnown])).toEqual([
      ['2024-1', 13, 13],
      ['2024-2', 8, 0],
    ]);
    expect(l.items).toHaveLength(13);
    const newborn = byId(l, '2024-1-newborn');
    expect(newborn).toMatchObject({
      status: 'published',
      verified: true,
      bundle: { code: 'newborn', name: { zh: '新生儿出生一件事' } },
    });
    expect(newborn.published?.version).toBe(1);
    // Unverified membership and inferred fields travel as data.
    expect(byId(l, '2024-1-transport')).toMatchObject({
      status: 'not_linked',
      verified: false,
      bundle: null,
      usage: null,
      published: null,
    });
    expect(byId(l, '2024-1-retirement')).toMatchObject({
      verified: false,
      inferred: ['leadDepartment'],
      bundle: { code: 'retirement' },
    });
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM key_items k JOIN key_item_batches b ON b.id = k.batch_id WHERE b.year = 2024 AND k.bundle_code IS NOT NULL`,
    );
    expect(l.summary).toEqual({ total: 13, linked: rows[0]!.n, published: rows[0]!.n });
    expect(l.summary.linked).toBe(5);
  });

  it('counts use over the last 30 days as an independent count does', async () => {
    const newborn = byId(await list(2024), '2024-1-newborn');
    const apps = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM applications WHERE bundle_code = 'newborn' AND submitted_on BETWEEN '2026-02-01' AND '2026-03-02' AND region_code LIKE '32%'`,
    );
    const done = await t.db.query<{ concluded: number; on_time: number }>(
      `SELECT count(*)::int AS concluded, count(*) FILTER (WHERE e.on_day <= c.due_date)::int AS on_time
         FROM cases c JOIN applications a ON a.id = c.application_id JOIN case_events e ON e.case_id = c.id AND e.action = 'conclude'
        WHERE a.bundle_code = 'newborn' AND e.on_day BETWEEN '2026-02-01' AND '2026-03-02' AND c.region_code LIKE '32%'`,
    );
    expect(apps.rows[0]!.n).toBe(2);
    expect(done.rows[0]).toEqual({ concluded: 1, on_time: 1 });
    expect(newborn.usage).toEqual({ applications: 2, concluded: 1, onTime: 1, onTimeShare: 1 });
    // A linked bundle nobody used: zeros, no share.
    expect(byId(await list(2024), '2024-1-hiring').usage).toEqual({
      applications: 0,
      concluded: 0,
      onTime: 0,
      onTimeShare: null,
    });
  });

  it('shows draft_only for a bundle with only a draft, then published once it is published', async () => {
    const newborn = (await call('admin', 'GET', '/api/v1/catalogue/bundles/newborn')).json() as {
      content: Record<string, unknown>;
    };
    const draft = {
      ...newborn.content,
      code: 'ki-transport',
      name: { zh: '开办运输企业一件事（测试）', en: 'Opening a transport enterprise (test)' },
    };
    const saved = await call('admin', 'PUT', '/api/v1/admin/catalogue/bundles/ki-transport/draft', draft);
    expect(saved.statusCode, saved.body).toBe(200);

    const linked = await call('admin', 'PUT', '/api/v1/admin/key-items/2024-1-transport', {
      bundleCode: 'ki-transport',
      targetDate: '2026-06-30',
      note: '交通运输厅牵头',
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({
      status: 'draft_only',
      published: null,
      targetDate: '2026-06-30',
      note: '交通运输厅牵头',
      bundle: { code: 'ki-transport', name: { zh: '开办运输企业一件事（测试）' } },
    });
    expect(byId(await list(2024), '2024-1-transport').status).toBe('draft_only');
    const audit = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'key_item.updated' AND subject_id = '2024-1-transport'`,
    );
    expect(audit.rows[0]!.n).toBe(1);

    const published = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/catalogue/bundles/ki-transport/publish',
      headers: H.admin,
    });
    expect(published.statusCode, published.body).toBe(200);
    const after = byId(await list(2024), '2024-1-transport');
    expect(after.status).toBe('published');
    expect(after.published?.version).toBe(1);
    expect(after.usage).toEqual({ applications: 0, concluded: 0, onTime: 0, onTimeShare: null });

    // Fields not given stay; null unlinks.
    const noted = await call('admin', 'PUT', '/api/v1/admin/key-items/2024-1-transport', { note: '已上线' });
    expect(noted.json()).toMatchObject({ status: 'published', targetDate: '2026-06-30', note: '已上线' });
    const unlinked = await call('admin', 'PUT', '/api/v1/admin/key-items/2024-1-transport', {
      bundleCode: null,
      targetDate: null,
    });
    expect(unlinked.json()).toMatchObject({ status: 'not_linked', bundle: null, targetDate: null, note: '已上线' });
  });

  it('names the field of a bad change, writes nothing, and 404s an unknown item', async () => {
    const before = await t.db.query(
      `SELECT bundle_code, target_date::text, note FROM key_items WHERE id = '2024-1-disability'`,
    );
    const cases: Array<[unknown, number, string]> = [
      [{ targetDate: '2026-02-30' }, 400, '/targetDate'],
      [{ targetDate: '30/06/2026' }, 400, '/targetDate'],
      [{ bundleCode: 'no such code!' }, 400, '/bundleCode'],
      [{ note: 'x'.repeat(501) }, 400, '/note'],
      [{ bundleCode: 'no-such-bundle' }, 422, '/bundleCode'],
    ];
    for (const [body, status, pointer] of cases) {
      const p = problem(await call('admin', 'PUT', '/api/v1/admin/key-items/2024-1-disability', body));
      expect(p.status, JSON.stringify(body)).toBe(status);
      expect(p.errors?.map((e) => e.pointer)).toEqual([pointer]);
    }
    const unknownField = problem(
      await call('admin', 'PUT', '/api/v1/admin/key-items/2024-1-disability', { status: 'published' }),
    );
    expect(unknownField.status).toBe(400);
    expect(
      (await t.db.query(`SELECT bundle_code, target_date::text, note FROM key_items WHERE id = '2024-1-disability'`))
        .rows,
    ).toEqual(before.rows);

    expect(problem(await call('admin', 'PUT', '/api/v1/admin/key-items/2099-9-none', { note: 'x' }))).toMatchObject({
      status: 404,
      code: 'key_items.not_found',
    });
    expect(problem(await call('admin', 'GET', '/api/v1/admin/key-items?year=1999')).status).toBe(400);
  });

  it('marks the 2026 count as inferred and lists its six names', async () => {
    const l = await list(2026);
    expect(l.batches).toEqual([
      expect.objectContaining({ id: '2026-1', itemCount: 13, countInferred: true, namesKnown: 6 }),
    ]);
    expect(l.items.map((i) => i.name.zh)).toContain('育儿补贴申领');
    expect(l.summary).toMatchObject({ total: 6, linked: 0, published: 0 });
  });

  it('exports the list as JSON and as an Excel workbook', async () => {
    const json = await call('admin', 'GET', '/api/v1/admin/key-items/export?year=2024');
    expect(json.statusCode).toBe(200);
    expect(String(json.headers['content-disposition'])).toContain('key-items-2024.json');
    const exported = json.json() as KeyItemExport;
    expect(exported.items).toEqual((await list(2024)).items);

    const xlsx = await call('admin', 'GET', '/api/v1/admin/key-items/export.xlsx?year=2024');
    expect(xlsx.statusCode).toBe(200);
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.actualRowCount).toBe(14);
    expect(sheet.getRow(1).getCell(2).value).toBe('事项名称');
    const newbornRow = sheet.getRows(2, 13)!.find((r) => r.getCell(2).value === '新生儿出生')!;
    expect([newbornRow.getCell(8).value, newbornRow.getCell(9).value, newbornRow.getCell(11).value]).toEqual([
      'newborn',
      '已发布',
      2,
    ]);
  });

  it("is the provincial administrator's: a city administrator, an auditor and an applicant are refused", async () => {
    for (const who of ['admin.wuxi', 'auditor.nanjing', 'zhangsan']) {
      expect((await call(who, 'GET', '/api/v1/admin/key-items')).statusCode, who).toBe(403);
      expect((await call(who, 'PUT', '/api/v1/admin/key-items/2024-1-newborn', { note: 'x' })).statusCode, who).toBe(
        403,
      );
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/key-items' })).statusCode).toBe(401);
  });
});
