// The catalogue through its API: drafting and publishing items and bundles, the checks at publish, immutable
// published versions, import and export. Self-contained: it builds its own department, items and bundle.
import type {
  BundleCheck,
  BundleDetail,
  BundleList,
  CatalogueExport,
  ImportResult,
  ItemVersion,
} from '@onething/shared/catalogue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, problem, type TestApp } from './helpers.ts';

let t: TestApp;
let admin: Record<string, string>;

const txt = (zh: string, en: string) => ({ zh, en });

function birthCert(name = txt('出生医学证明签发（测试）', 'Birth medical certificate (test)')) {
  return {
    code: 'test-birth-cert',
    name,
    departmentCode: 'test-health',
    regionCode: '320100',
    itemType: 'administrative_confirmation',
    serviceObjects: ['person'],
    acceptanceConditions: [txt('在省内助产机构出生', 'Born at a midwifery institution in the province')],
    materials: [
      {
        id: 'mother-id',
        name: txt('母亲身份证', "Mother's ID card"),
        required: true,
        certificateType: 'resident-id-card',
      },
    ],
    statutoryDays: null,
    promisedDays: 1,
    fields: { type: 'object', properties: { childName: { type: 'string' }, motherName: { type: 'string' } } },
    outputs: [{ certificateType: 'birth-medical-certificate', name: txt('出生医学证明', 'Birth medical certificate') }],
  };
}

const household = {
  code: 'test-household',
  name: txt('出生登记（测试）', 'Birth registration (test)'),
  departmentCode: 'test-police',
  regionCode: '320100',
  itemType: 'administrative_confirmation',
  serviceObjects: ['person'],
  materials: [
    {
      id: 'household-book',
      name: txt('户口簿', 'Household register'),
      required: true,
      certificateType: 'household-register',
    },
    {
      id: 'mother-id',
      name: txt('母亲身份证', "Mother's ID card"),
      required: true,
      certificateType: 'resident-id-card',
    },
  ],
  statutoryDays: 20,
  promisedDays: 5,
  fields: { type: 'object', properties: { childName: { type: 'string' }, relation: { type: 'string' } } },
};

function bundle(overrides: Record<string, unknown> = {}) {
  return {
    code: 'test-newborn',
    name: txt('新生儿出生一件事（测试）', "A baby's birth (test)"),
    stage: 'birth',
    audience: 'person',
    regionCode: '320000',
    leadDepartment: 'test-health',
    supportingDepartments: ['test-police'],
    situations: [{ id: 'born_in_province', ask: txt('是否在省内出生？', 'Born in the province?'), type: 'boolean' }],
    form: {
      type: 'object',
      required: ['child'],
      properties: {
        child: { type: 'object', properties: { name: { type: 'string', minLength: 1 } } },
        mother: { type: 'object', properties: { name: { type: 'string' } } },
      },
    },
    items: [
      {
        item: 'test-birth-cert',
        when: { q: 'born_in_province', eq: true },
        map: { 'child.name': 'childName', 'mother.name': 'motherName' },
      },
      { item: 'test-household', after: ['test-birth-cert'], map: { 'child.name': 'childName' } },
    ],
    materials: [
      {
        id: 'mother-id-card',
        name: txt('母亲身份证', "Mother's ID card"),
        satisfiedBy: 'certificate:resident-id-card',
        usedBy: [
          { item: 'test-birth-cert', material: 'mother-id' },
          { item: 'test-household', material: 'mother-id' },
        ],
      },
      {
        id: 'household-book',
        name: txt('户口簿', 'Household register'),
        usedBy: [{ item: 'test-household', material: 'household-book' }],
      },
    ],
    ...overrides,
  };
}

async function put(url: string, payload: unknown) {
  return t.app.inject({ method: 'PUT', url, headers: admin, payload: payload as object });
}
async function post(url: string, payload?: unknown) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: admin,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}
async function publishBundleDraft(content: unknown) {
  const saved = await put(`/api/v1/admin/catalogue/bundles/${(content as { code: string }).code}/draft`, content);
  expect(saved.statusCode, saved.body).toBe(200);
  return post(`/api/v1/admin/catalogue/bundles/${(content as { code: string }).code}/publish`);
}

beforeAll(async () => {
  t = await createTestApp();
  admin = { ...bearer(await t.login('admin')), 'accept-language': 'en' };
  for (const [code, zh, en] of [
    ['test-health', '测试卫健委', 'Test health commission'],
    ['test-police', '测试公安局', 'Test public security bureau'],
  ] as const) {
    expect(
      (
        await put(`/api/v1/admin/catalogue/departments/${code}`, {
          name: txt(zh, en),
          regionCode: '320100',
          sector: code,
        })
      ).statusCode,
    ).toBe(204);
  }
  for (const item of [birthCert(), household]) {
    expect((await put(`/api/v1/admin/catalogue/items/${item.code}/draft`, item)).statusCode).toBe(200);
    const pub = await post(`/api/v1/admin/catalogue/items/${item.code}/publish`);
    expect(pub.statusCode, pub.body).toBe(200);
  }
});
afterAll(async () => t?.close());

describe('seeded catalogue', () => {
  it('lists the seeded real bundles publicly, newborn with 7 or more items across departments', async () => {
    const list = await t.app.inject('/api/v1/catalogue/bundles?limit=100');
    expect(list.statusCode).toBe(200);
    const body = list.json() as BundleList;
    expect(body.total).toBeGreaterThanOrEqual(6);
    const codes = body.items.map((b) => b.code);
    for (const c of [
      'newborn',
      'restaurant-opening',
      'employee-hiring',
      'retirement',
      'enterprise-deregistration',
      'enterprise-change',
    ])
      expect(codes).toContain(c);
    const newborn = (await t.app.inject('/api/v1/catalogue/bundles/newborn')).json() as BundleDetail;
    expect(newborn.items.length).toBeGreaterThanOrEqual(7);
    expect(new Set(newborn.items.map((i) => i.departmentCode)).size).toBeGreaterThanOrEqual(4);
  });

  it('filters by stage and audience and searches by name', async () => {
    const birth = (await t.app.inject('/api/v1/catalogue/bundles?stage=birth')).json() as BundleList;
    expect(birth.items.map((b) => b.code)).toContain('newborn');
    const ent = (await t.app.inject('/api/v1/catalogue/bundles?audience=enterprise')).json() as BundleList;
    expect(ent.items.length).toBeGreaterThan(0);
    expect(ent.items.every((b) => b.audience === 'enterprise')).toBe(true);
    const q = (await t.app.inject(`/api/v1/catalogue/bundles?q=${encodeURIComponent('注销')}`)).json() as BundleList;
    expect(q.items.map((b) => b.code)).toContain('enterprise-deregistration');
  });
});

describe('publishing a bundle', () => {
  it('publishes a bundle pinned to the latest published item versions', async () => {
    const res = await publishBundleDraft(bundle());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ code: 'test-newborn', version: 1, status: 'published' });
    const got = (await t.app.inject('/api/v1/catalogue/bundles/test-newborn')).json() as BundleDetail;
    expect(got.version).toBe(1);
    expect(got.content.items.map((i) => `${i.item}@${i.version}`)).toEqual(['test-birth-cert@1', 'test-household@1']);
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE subject_id = 'test-newborn' ORDER BY id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['catalogue.bundle_draft_saved', 'catalogue.bundle_published']);
  });

  it('validates without writing, reporting a cycle with the offending path', async () => {
    const cyclic = bundle({
      code: 'test-cyclic',
      items: [
        { item: 'test-birth-cert', after: ['test-household'] },
        { item: 'test-household', after: ['test-birth-cert'] },
      ],
    });
    const res = await post('/api/v1/admin/catalogue/bundles/validate', cyclic);
    expect(res.statusCode).toBe(200);
    const body = res.json() as BundleCheck;
    expect(body.valid).toBe(false);
    const cycle = body.errors.find((e) => e.code === 'catalogue.cycle');
    expect(cycle?.pointer).toBe('/items/0/after');
    expect(cycle?.detail.en).toContain('test-birth-cert → test-household → test-birth-cert');
    // Publishing it fails the same way and leaves no published version.
    const pub = await publishBundleDraft(cyclic);
    expect(pub.statusCode).toBe(422);
    const p = problem(pub);
    expect(p.code).toBe('catalogue.invalid_bundle');
    expect(p.errors?.find((e) => e.code === 'catalogue.cycle')?.pointer).toBe('/items/0/after');
    expect((await t.app.inject('/api/v1/catalogue/bundles/test-cyclic')).statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: '/api/v1/admin/catalogue/bundles/test-cyclic/versions', headers: admin })).json(),
    ).toEqual([expect.objectContaining({ version: 1, status: 'draft' })]);
  });

  it('rejects a mapping to a field that does not exist, in the form or in the item', async () => {
    const broken = bundle({
      code: 'test-broken-map',
      items: [
        { item: 'test-birth-cert', map: { 'child.nmae': 'childName', 'mother.name': 'motherNmae' } },
        { item: 'test-household', after: ['test-birth-cert'] },
      ],
    });
    const p = problem(await publishBundleDraft(broken));
    expect(p.status).toBe(422);
    expect(p.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/items/0/map/child.nmae', code: 'catalogue.unknown_form_field' }),
        expect.objectContaining({ pointer: '/items/0/map/mother.name', code: 'catalogue.unknown_item_field' }),
      ]),
    );
  });

  it('rejects a form schema that does not compile, an unknown item and an unknown version', async () => {
    const res = await post(
      '/api/v1/admin/catalogue/bundles/validate',
      bundle({
        form: { type: 'object', properties: { child: { type: 'strng' } } },
        items: [
          { item: 'test-birth-cert', version: 9 },
          { item: 'no-such-item' },
          { item: 'test-household', after: ['test-birth-cert'] },
        ],
      }),
    );
    const errors = (res.json() as BundleCheck).errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/form/properties/child/type', code: 'catalogue.schema_invalid' }),
        expect.objectContaining({ pointer: '/items/0/version', code: 'catalogue.unknown_item_version' }),
        expect.objectContaining({ pointer: '/items/1/item', code: 'catalogue.unknown_item' }),
      ]),
    );
  });

  it('rejects conditions on unknown situations and a required material left out of the material set', async () => {
    const res = await post(
      '/api/v1/admin/catalogue/bundles/validate',
      bundle({
        items: [
          { item: 'test-birth-cert', when: { q: 'parents_married', eq: true } },
          { item: 'test-household', after: ['test-birth-cert'], when: { q: 'born_in_province', eq: 'yes' } },
        ],
        materials: [
          {
            id: 'mother-id-card',
            name: txt('母亲身份证', "Mother's ID"),
            usedBy: [{ item: 'test-birth-cert', material: 'mother-id' }],
          },
        ],
      }),
    );
    const errors = (res.json() as BundleCheck).errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/items/0/when/q', code: 'catalogue.unknown_situation' }),
        expect.objectContaining({ pointer: '/items/1/when/eq', code: 'catalogue.condition_type' }),
        expect.objectContaining({ pointer: '/items/1', code: 'catalogue.material_not_covered' }),
      ]),
    );
  });

  it('names the field of a structurally invalid draft and writes nothing', async () => {
    const before = await t.db.query(`SELECT count(*)::int AS n FROM bundle_versions`);
    const res = await put('/api/v1/admin/catalogue/bundles/test-bad/draft', {
      ...bundle({ code: 'test-bad' }),
      stage: 'moon',
      items: [],
    });
    const p = problem(res);
    expect(p.status).toBe(422);
    expect(p.errors?.map((e) => e.pointer)).toEqual(expect.arrayContaining(['/stage', '/items']));
    const mismatch = await put('/api/v1/admin/catalogue/bundles/other-code/draft', bundle());
    expect(problem(mismatch).code).toBe('catalogue.code_mismatch');
    const after = await t.db.query(`SELECT count(*)::int AS n FROM bundle_versions`);
    expect(after.rows).toEqual(before.rows);
  });

  it('explains a malformed code and division code in the reader’s language', async () => {
    const draft = { ...bundle({ code: 'test-bad' }), leadDepartment: '', regionCode: '3201' };
    const check = async (lang: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/catalogue/bundles/validate',
        headers: { ...admin, 'accept-language': lang },
        payload: draft,
      });
      expect(res.statusCode, res.body).toBe(200);
      const errors = (res.json() as BundleCheck).errors;
      return Object.fromEntries(errors.map((e) => [e.pointer, e.detail]));
    };
    const details = await check('zh-CN');
    expect(details['/leadDepartment']).toEqual({
      zh: expect.stringContaining('编码只能由字母、数字'),
      en: expect.stringContaining('code: letters, digits'),
    });
    expect(details['/regionCode']).toEqual({
      zh: '应为 6 位数字的行政区划代码（GB/T 2260）',
      en: 'six digits (GB/T 2260)',
    });
    // The problem+json of a draft carries the reader's language.
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/catalogue/bundles/test-bad/draft',
      headers: { ...admin, 'accept-language': 'zh-CN' },
      payload: draft,
    });
    expect(problem(res).errors?.find((e) => e.pointer === '/regionCode')?.detail).toBe(
      '应为 6 位数字的行政区划代码（GB/T 2260）',
    );
  });

  it('404s unknown bundles, items and versions', async () => {
    expect(problem(await t.app.inject('/api/v1/catalogue/bundles/nope')).code).toBe('catalogue.bundle_not_found');
    expect(problem(await t.app.inject('/api/v1/catalogue/bundles/test-newborn?version=99')).code).toBe(
      'catalogue.version_not_found',
    );
    expect(problem(await t.app.inject('/api/v1/catalogue/items/nope')).code).toBe('catalogue.item_not_found');
    expect(problem(await post('/api/v1/admin/catalogue/items/nope/publish')).code).toBe('catalogue.item_not_found');
  });
});

describe('published versions never change', () => {
  it('keeps version 1 as it was when version 2 is published, and the database refuses edits', async () => {
    const v1 = (await t.app.inject('/api/v1/catalogue/items/test-birth-cert?version=1')).json() as ItemVersion;
    const draft = await put(
      '/api/v1/admin/catalogue/items/test-birth-cert/draft',
      birthCert(txt('出生医学证明首次签发', 'First issue of the birth medical certificate')),
    );
    expect(draft.json()).toEqual({ code: 'test-birth-cert', version: 2, status: 'draft' });
    // The public still sees version 1 until the draft is published.
    expect(((await t.app.inject('/api/v1/catalogue/items/test-birth-cert')).json() as ItemVersion).version).toBe(1);
    expect((await post('/api/v1/admin/catalogue/items/test-birth-cert/publish')).json()).toEqual({
      code: 'test-birth-cert',
      version: 2,
      status: 'published',
    });
    const again = (await t.app.inject('/api/v1/catalogue/items/test-birth-cert?version=1')).json() as typeof v1;
    expect(again).toEqual(v1);
    expect(again.content.name.zh).toBe('出生医学证明签发（测试）');
    // The bundle published before keeps its pin; a new bundle version pins version 2.
    const b1 = (await t.app.inject('/api/v1/catalogue/bundles/test-newborn?version=1')).json() as BundleDetail;
    expect(b1.content.items[0]?.version).toBe(1);
    expect((await publishBundleDraft(bundle({ description: txt('新版', 'New version') }))).json()).toEqual({
      code: 'test-newborn',
      version: 2,
      status: 'published',
    });
    const b2 = (await t.app.inject('/api/v1/catalogue/bundles/test-newborn')).json() as BundleDetail;
    expect(b2.version).toBe(2);
    expect(b2.content.items[0]?.version).toBe(2);
    await expect(
      t.db.query(
        `UPDATE service_item_versions SET content = '{}'::jsonb WHERE item_code = 'test-birth-cert' AND version = 1`,
      ),
    ).rejects.toThrow(/immutable/);
    await expect(
      t.db.query(`DELETE FROM bundle_versions WHERE bundle_code = 'test-newborn' AND version = 1`),
    ).rejects.toThrow(/immutable/);
    expect(problem(await post('/api/v1/admin/catalogue/items/test-birth-cert/publish')).code).toBe(
      'catalogue.no_draft',
    );
  });

  it('refuses a promise longer than the statutory limit', async () => {
    const res = await put('/api/v1/admin/catalogue/items/test-household/draft', {
      ...household,
      statutoryDays: 20,
      promisedDays: 25,
    });
    const p = problem(res);
    expect(p.code).toBe('catalogue.invalid_item');
    expect(p.errors?.[0]).toMatchObject({ pointer: '/promisedDays', code: 'catalogue.promise_exceeds_law' });
  });
});

describe('import and export', () => {
  it('round-trips: exporting and importing again changes nothing', async () => {
    const file = (
      await t.app.inject({ url: '/api/v1/admin/catalogue/export', headers: admin })
    ).json() as CatalogueExport;
    expect(file.bundles.length).toBeGreaterThanOrEqual(7);
    const res = await post('/api/v1/admin/catalogue/import', file);
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json() as ImportResult;
    expect(summary.items.published).toBe(0);
    expect(summary.bundles.published).toBe(0);
    expect(summary.items.unchanged).toBe(file.items.length);
  });

  it('imports all or nothing, pointing into the file', async () => {
    const before = await t.db.query(
      `SELECT (SELECT count(*) FROM departments)::int AS d, (SELECT count(*) FROM service_item_versions)::int AS i, (SELECT count(*) FROM audit_events)::int AS a`,
    );
    const file = {
      format: 'onething.catalogue/v1',
      departments: [
        { code: 'test-new-dept', name: txt('新部门', 'New department'), regionCode: '320100', sector: 'x' },
      ],
      items: [
        { ...household, code: 'test-import-ok', departmentCode: 'test-new-dept' },
        { ...household, code: 'test-import-bad', departmentCode: 'no-such-dept' },
      ],
      bundles: [],
    };
    const p = problem(await post('/api/v1/admin/catalogue/import', file));
    expect(p.code).toBe('catalogue.invalid_file');
    expect(p.errors).toEqual([
      expect.objectContaining({ pointer: '/items/1/departmentCode', code: 'catalogue.unknown_department' }),
    ]);
    const after = await t.db.query(
      `SELECT (SELECT count(*) FROM departments)::int AS d, (SELECT count(*) FROM service_item_versions)::int AS i, (SELECT count(*) FROM audit_events)::int AS a`,
    );
    expect(after.rows).toEqual(before.rows);
    const wrongFormat = problem(await post('/api/v1/admin/catalogue/import', { format: 'other', items: [{}] }));
    expect(wrongFormat.errors?.map((e) => e.pointer)).toEqual(expect.arrayContaining(['/format']));
  });
});
