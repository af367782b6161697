// The service item editor's model: a seeded item opened and saved unchanged, every list edited, the flat field
// list over the JSON Schema (unknown parts kept), the content the shared contract accepts, and problems placed
// and named in the editor's words.
import { describe, expect, it } from 'vitest';
import { ITEM_TYPES as SHARED_ITEM_TYPES, ServiceItemContent } from '@onething/shared/catalogue';
import seed from '../../../../server/seed/catalogue.json';
import zhCatalogue from '../../i18n/zh-CN.json';
import enCatalogue from '../../i18n/en.json';
import {
  addItemField,
  addMaterial,
  addOutput,
  addSource,
  addStage,
  addText,
  ITEM_FIELD_KINDS,
  ITEM_TYPES,
  MATERIAL_FORMS,
  STAGE_CODES,
  type LabelPart,
  itemFields,
  kindOf,
  localProblems,
  newItem,
  openItem,
  pointerParts,
  removeAt,
  removeItemField,
  sectionOf,
  setSource,
  setStatutoryDays,
  setText,
  toContent,
  updateItemField,
  updateMaterial,
  updateOutput,
  updateStage,
} from './itemEditor';

const text = (zh: string, en: string) => ({ zh, en });
/** As the server stores and returns it: parsed by the contract, its defaults filled in. */
const stored = (code: string) =>
  ServiceItemContent.parse(seed.items.find((i) => i.code === code)) as unknown as Record<string, unknown>;

function registration() {
  let i = newItem('320100');
  i = {
    ...i,
    code: 'newborn-vaccination-record',
    name: text('新生儿预防接种信息登记', 'Newborn vaccination record'),
    departmentCode: 'nj-health',
  };
  i = addMaterial(i);
  i = updateMaterial(i, 0, {
    id: 'birth-certificate',
    name: text('出生医学证明', 'Birth medical certificate'),
    certificateType: 'birth-medical-certificate',
  });
  i = addItemField(i, 'childName', text('儿童姓名', 'Child name'), 'text', true);
  i = addItemField(i, 'childBirthDate', text('出生日期', 'Date of birth'), 'date', true);
  i = addItemField(i, 'guardianPhone', text('监护人手机号码', 'Guardian mobile'), 'mobile', false);
  return i;
}

describe('the service item editor', () => {
  it('lists the same item types as the shared contract', () => {
    expect([...ITEM_TYPES]).toEqual([...SHARED_ITEM_TYPES]);
  });

  it('opens every seeded item and saves it unchanged', () => {
    for (const { code } of seed.items) {
      const content = stored(code);
      expect(toContent(openItem(content)), code).toEqual(content);
    }
  });

  it('keeps what it does not edit: unknown schema parts, a field’s own checks and extra keys', () => {
    const content = stored('vaccination-certificate');
    const fields = content.fields as Record<string, unknown> & { properties: Record<string, Record<string, unknown>> };
    fields.$comment = 'kept';
    fields.properties.childName!['x-prefill'] = 'profile.child.name';
    let i = openItem(content);
    i = updateItemField(i, 'childName', { title: text('宝宝姓名', 'Baby name') });
    i = updateItemField(i, 'guardianPhone', { required: true });
    const out = toContent(i) as {
      fields: Record<string, unknown> & { properties: Record<string, Record<string, unknown>>; required: string[] };
    };
    expect(out.fields.$comment).toBe('kept');
    expect(out.fields.properties.childName).toEqual({
      type: 'string',
      title: '宝宝姓名 / Baby name',
      minLength: 1,
      maxLength: 50,
      'x-prefill': 'profile.child.name',
    });
    expect(out.fields.required).toEqual(['childName', 'childBirthDate', 'guardianName', 'guardianPhone']);
    expect(out.fields.properties.childGender).toEqual(fields.properties.childGender);
  });

  it('builds a new item that the shared contract accepts, with its fields as a JSON Schema in the order added', () => {
    const content = toContent(registration());
    const parsed = ServiceItemContent.parse(content);
    expect(parsed.fields).toEqual({
      type: 'object',
      properties: {
        childName: { type: 'string', title: '儿童姓名 / Child name', minLength: 1, maxLength: 100 },
        childBirthDate: { type: 'string', title: '出生日期 / Date of birth', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
        guardianPhone: { type: 'string', title: '监护人手机号码 / Guardian mobile', pattern: '^1[0-9]{10}$' },
      },
      required: ['childName', 'childBirthDate'],
      'x-order': ['childName', 'childBirthDate', 'guardianPhone'],
    });
    expect(parsed.materials).toEqual([
      {
        id: 'birth-certificate',
        name: text('出生医学证明', 'Birth medical certificate'),
        required: true,
        toleratedGapAllowed: false,
        commitmentAllowed: false,
        certificateType: 'birth-medical-certificate',
        form: 'electronic',
        copies: 1,
      },
    ]);
    expect(content).not.toHaveProperty('shortName');
    expect(content).not.toHaveProperty('description');
  });

  it('shows the fields as a flat list with their kinds; a field it cannot describe is kept as it is', () => {
    let i = openItem(stored('vaccination-certificate'));
    i = {
      ...i,
      fields: {
        ...i.fields,
        properties: { ...i.fields.properties, code: { type: 'string', title: '编号', pattern: '^[A-Z]{3}$' } },
      },
    };
    expect(itemFields(i).map((f) => [f.key, f.kind, f.required])).toEqual([
      ['childName', 'text', true],
      ['childGender', 'gender', false],
      ['childBirthDate', 'date', true],
      ['guardianName', 'text', true],
      ['guardianPhone', 'mobile', false],
      ['code', null, false],
    ]);
    expect(itemFields(i)[0]!.title).toEqual(text('儿童姓名', 'Child name'));
    expect(kindOf({ type: 'string', maxLength: 500 })).toBe('longText');
    expect(kindOf({ type: 'string', pattern: '^[0-9]{17}[0-9Xx]$' })).toBe('idNumber');
    expect(kindOf({ type: 'boolean' })).toBe('boolean');
    expect(kindOf({ type: 'integer', minimum: 1 })).toBe('integer');
  });

  it('changes a field’s kind, keeping its title and its own keys, and removes a field everywhere', () => {
    let i = registration();
    i = {
      ...i,
      fields: {
        ...i.fields,
        properties: {
          ...i.fields.properties,
          guardianPhone: { ...i.fields.properties!.guardianPhone!, description: '联系用' },
        },
      },
    };
    i = updateItemField(i, 'guardianPhone', { kind: 'idNumber' });
    expect(i.fields.properties!.guardianPhone).toEqual({
      description: '联系用',
      type: 'string',
      title: '监护人手机号码 / Guardian mobile',
      pattern: '^[0-9]{17}[0-9Xx]$',
    });
    i = removeItemField(i, 'childName');
    expect(Object.keys(i.fields.properties!)).toEqual(['childBirthDate', 'guardianPhone']);
    expect(i.fields.required).toEqual(['childBirthDate']);
    expect(i.fields['x-order']).toEqual(['childBirthDate', 'guardianPhone']);
    // A bad or taken key changes nothing.
    expect(addItemField(i, '1bad', text('x', 'x'), 'text', true)).toBe(i);
    expect(addItemField(i, 'childBirthDate', text('x', 'x'), 'text', true)).toBe(i);
  });

  it('edits the lists: conditions, legal basis, materials, stages, outputs, sources, and the time limits', () => {
    let i = registration();
    i = setText(addText(i, 'acceptanceConditions'), 'acceptanceConditions', 0, 'zh', '已在本市助产机构出生');
    i = setText(i, 'acceptanceConditions', 0, 'en', 'Born at a midwifery institution of the city');
    i = addText(addText(i, 'legalBasis'), 'legalBasis');
    i = removeAt(setText(i, 'legalBasis', 1, 'zh', '《疫苗管理法》'), 'legalBasis', 0);
    expect(i.legalBasis).toEqual([text('《疫苗管理法》', '')]);
    // A second material gets a fresh id; making a required one optional clears its 容缺.
    i = addMaterial(i);
    expect(i.materials[1]!.id).toBe('material-2');
    i = updateMaterial(i, 1, { toleratedGapAllowed: true });
    i = updateMaterial(i, 1, { required: false });
    expect(i.materials[1]).toMatchObject({ required: false, toleratedGapAllowed: false });
    i = addStage(addStage(i));
    expect(i.stages.map((s) => s.code)).toEqual(['apply', 'accept']);
    i = updateStage(i, 1, { days: 2, name: text('受理', 'Acceptance') });
    i = addOutput(i);
    i = updateOutput(i, 0, { certificateType: 'vaccination-record', name: text('预防接种记录', 'Vaccination record') });
    i = setSource(addSource(i), 0, 'https://example.gov.cn/guide');
    i = setStatutoryDays(i, 20);
    const content = toContent(i) as { stages: unknown[]; materials: unknown[] };
    expect(content.stages).toEqual([
      { code: 'apply', name: text('', ''), excludedFromLimit: false },
      { code: 'accept', name: text('受理', 'Acceptance'), excludedFromLimit: false, days: 2 },
    ]);
    expect(content.materials[1]).not.toHaveProperty('certificateType');
    expect(content).toMatchObject({
      statutoryDays: 20,
      sources: ['https://example.gov.cn/guide'],
      outputs: [{ certificateType: 'vaccination-record' }],
    });
  });

  it('finds the obvious problems before the server does, where they belong', () => {
    let i = registration();
    expect(localProblems(i)).toEqual([]);
    i = setStatutoryDays({ ...i, promisedDays: 5 }, 3);
    i = addMaterial(i);
    i = updateMaterial(i, 1, { id: 'birth-certificate' });
    expect(localProblems(i)).toEqual([
      { pointer: '/materials/1/id', key: 'duplicateId', params: { id: 'birth-certificate' } },
      { pointer: '/materials/1/name/zh', key: 'required' },
      { pointer: '/materials/1/name/en', key: 'required' },
      { pointer: '/promisedDays', key: 'promiseExceedsLaw', params: { promised: 5, statutory: 3 } },
    ]);
    expect(localProblems(setStatutoryDays(i, null)).map((p) => p.pointer)).not.toContain('/promisedDays');
    expect(localProblems({ ...newItem('32010'), code: 'a b' }).map((p) => p.pointer)).toEqual([
      '/code',
      '/name/zh',
      '/name/en',
      '/departmentCode',
      '/regionCode',
    ]);
  });

  it('puts a problem next to its section and names the field in the editor’s words', () => {
    const i = registration();
    expect(['/promisedDays', '/statutoryDays', '/stages/0/days'].map(sectionOf)).toEqual(['time', 'time', 'time']);
    expect(
      [
        '/materials/0/id',
        '/fields/properties/x',
        '/departmentCode',
        '',
        '/legalBasis/0/zh',
        '/sources/1',
        '/fee/description/en',
      ].map(sectionOf),
    ).toEqual(['materials', 'fields', 'basics', 'basics', 'legal', 'other', 'fee']);
    expect(pointerParts('/promisedDays', i)).toEqual([{ key: 'labels.promisedDays' }]);
    expect(pointerParts('/materials/0/toleratedGapAllowed', i)).toEqual([
      { key: 'labels.materialN', params: { id: 'birth-certificate' } },
      { key: 'material.toleratedGapAllowed' },
    ]);
    expect(pointerParts('/materials/0/name/en', i)).toEqual([
      { key: 'labels.materialN', params: { id: 'birth-certificate' } },
      { key: 'material.name' },
      { key: 'langEn' },
    ]);
    expect(pointerParts('/acceptanceConditions/2/zh', i)).toEqual([
      { key: 'labels.acceptanceConditionsN', params: { n: 3 } },
      { key: 'langZh' },
    ]);
    expect(pointerParts('/fields/properties/childName/pattern', i)).toEqual([
      { key: 'labels.fields' },
      { text: 'childName' },
      { text: 'pattern' },
    ]);
    expect(pointerParts('/name/zh', i)).toEqual([{ key: 'labels.name' }, { key: 'langZh' }]);
    expect(pointerParts('/whatever', i)).toEqual([{ text: '/whatever' }]);
  });

  it('has every key it names by pattern in both catalogues: labels, kinds, types, forms, stages, problems', () => {
    const i = registration();
    const pointers = [
      '',
      '/code',
      '/name/zh',
      '/shortName/en',
      '/departmentCode',
      '/regionCode',
      '/itemType',
      '/serviceObjects',
      '/description/zh',
      '/acceptanceConditions',
      '/acceptanceConditions/0/en',
      '/statutoryDays',
      '/promisedDays',
      '/fee/charged',
      '/fee/description/zh',
      '/legalBasis',
      '/legalBasis/0/zh',
      '/fields',
      '/offline/en',
      '/sources',
      '/sources/0',
      '/outputs',
      '/outputs/0/name/zh',
      '/outputs/0/certificateType',
      '/materials',
      '/stages',
      ...[
        'id',
        'name',
        'required',
        'toleratedGapAllowed',
        'commitmentAllowed',
        'certificateType',
        'form',
        'copies',
        'note',
      ].map((p) => `/materials/0/${p}`),
      ...['code', 'name', 'excludedFromLimit', 'days'].map((p) => `/stages/0/${p}`),
    ];
    const keys = new Set(
      pointers.flatMap((p) => pointerParts(p, i)).flatMap((p: LabelPart) => ('key' in p ? [p.key] : [])),
    );
    for (const l of ['acceptanceConditions', 'legalBasis', 'materials', 'stages', 'outputs', 'sources'])
      keys.add(`add.${l}`);
    for (const l of ['acceptanceConditions', 'legalBasis']) keys.add(`${l}Help`).add(`labels.${l}N`);
    ITEM_TYPES.forEach((k) => keys.add(`types.${k}`));
    MATERIAL_FORMS.forEach((k) => keys.add(`forms.${k}`));
    STAGE_CODES.forEach((k) => keys.add(`stages.${k}`));
    for (const k of ['required', 'badCode', 'badRegion', 'duplicateId', 'promiseExceedsLaw']) keys.add(`problems.${k}`);
    const problemKeys = localProblems({
      ...newItem('x'),
      statutoryDays: 0,
      materials: [addMaterial(registration()).materials[0]!, addMaterial(registration()).materials[0]!],
    }).map((p) => `problems.${p.key}`);
    problemKeys.forEach((k) => keys.add(k));
    const has = (tree: unknown, key: string) =>
      typeof key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], tree) ===
      'string';
    for (const [lang, catalogue] of [
      ['zh-CN', zhCatalogue],
      ['en', enCatalogue],
    ] as const) {
      expect(
        [...keys].filter((k) => !has(catalogue.admin.itemEditor, k)).map((k) => `${lang}: admin.itemEditor.${k}`),
      ).toEqual([]);
    }
    ITEM_FIELD_KINDS.forEach((k) =>
      expect(has(zhCatalogue.admin.designer, `kinds.${k}`) && has(enCatalogue.admin.designer, `kinds.${k}`)).toBe(true),
    );
  });
});
