// The bundle designer's model: building the one form from items' fields, mappings, the one material set, the
// departments, removing things without leaving dangling references, and the diff between versions.
import { describe, expect, it } from 'vitest';
import {
  addField,
  addItem,
  addItemFields,
  addSection,
  addSituation,
  diffContent,
  fieldSchema,
  formFields,
  newBundle,
  openForEditing,
  removeField,
  removeItem,
  removeSituation,
  setLeadDepartment,
  setMapping,
  setMaterialCondition,
  syncMaterials,
  toContent,
  unmappedRequired,
  updateField,
  updateItem,
  type ItemInfo,
} from './designer';

const text = (zh: string, en: string) => ({ zh, en });
const vaccination: ItemInfo = {
  code: 'vaccination',
  name: text('预防接种证办理', 'Vaccination certificate'),
  departmentCode: 'health',
  serviceObjects: ['person'],
  fields: {
    type: 'object',
    properties: {
      childName: { type: 'string', title: '儿童姓名 / Child name', minLength: 1 },
      childBirthDate: { type: 'string', title: '出生日期 / Date of birth', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
      guardianPhone: { type: 'string', title: '监护人手机号码 / Guardian mobile', pattern: '^1[0-9]{10}$' },
    },
    required: ['childName'],
  },
  materials: [
    {
      id: 'mother-id',
      name: text('母亲居民身份证', "Mother's ID card"),
      required: true,
      certificateType: 'resident-id-card',
    },
    {
      id: 'father-id',
      name: text('父亲居民身份证', "Father's ID card"),
      required: false,
      certificateType: 'resident-id-card',
    },
    { id: 'register', name: text('居民户口簿', 'Household register'), required: true },
  ],
};
const guidance: ItemInfo = {
  code: 'guidance',
  name: text('育儿指导登记', 'Parenting guidance'),
  departmentCode: 'health',
  serviceObjects: ['person'],
  fields: {
    type: 'object',
    properties: {
      childName: { type: 'string', title: '儿童姓名 / Child name', minLength: 1 },
      guardianPhone: { type: 'string', title: '监护人手机号码 / Guardian mobile', pattern: '^1[0-9]{10}$' },
      familyAddress: { type: 'string', title: '家庭住址 / Home address', minLength: 1 },
    },
    required: ['guardianPhone', 'familyAddress'],
  },
  materials: [{ id: 'household-register', name: text('居民户口簿', 'Household register'), required: true }],
};
const card: ItemInfo = {
  ...guidance,
  code: 'card',
  departmentCode: 'hrss',
  materials: [],
  fields: {
    type: 'object',
    properties: { holderName: { type: 'string', title: '持卡人姓名 / Holder' } },
    required: ['holderName'],
  },
};
const infos = new Map([vaccination, guidance, card].map((i) => [i.code, i]));

function designed() {
  let b = newBundle('320100');
  b = addItem(b, vaccination, infos);
  b = addItem(b, guidance, infos);
  b = addSection(b, 'child', text('儿童', 'Child'));
  b = addItemFields(b, vaccination, 'child');
  b = addItemFields(b, guidance, 'child');
  return b;
}

describe('the bundle designer', () => {
  it('builds one form from the items’ fields: a field both items have is asked once and feeds both', () => {
    const b = designed();
    expect(formFields(b.form).map((f) => [f.path, f.required])).toEqual([
      ['child.childName', true],
      ['child.childBirthDate', false],
      ['child.guardianPhone', true], // required by the guidance item, not by the vaccination item
      ['child.familyAddress', true],
    ]);
    expect(b.items[0]!.map).toEqual({
      'child.childName': 'childName',
      'child.childBirthDate': 'childBirthDate',
      'child.guardianPhone': 'guardianPhone',
    });
    expect(b.items[1]!.map).toEqual({
      'child.childName': 'childName',
      'child.guardianPhone': 'guardianPhone',
      'child.familyAddress': 'familyAddress',
    });
    expect(b.form.required).toEqual(['child']);
    expect(b.form.properties!.child!['x-order']).toEqual([
      'childName',
      'childBirthDate',
      'guardianPhone',
      'familyAddress',
    ]);
    expect(unmappedRequired(b, infos)).toEqual([]);
  });

  it('merges a material two items need into one, never two materials of one item', () => {
    const b = designed();
    expect(
      b.materials.map((m) => [m.id, m.satisfiedBy ?? null, m.usedBy.map((u) => `${u.item}/${u.material}`)]),
    ).toEqual([
      ['mother-id', 'certificate:resident-id-card', ['vaccination/mother-id']],
      ['father-id', 'certificate:resident-id-card', ['vaccination/father-id']],
      ['register', null, ['vaccination/register', 'guidance/household-register']],
    ]);
  });

  it('drops an item from the graph, the mappings’ owner list and the material set when it is removed', () => {
    let b = designed();
    b = updateItem(b, 'guidance', { after: ['vaccination'] });
    b = removeItem(b, 'vaccination', infos);
    expect(b.items.map((i) => [i.item, i.after])).toEqual([['guidance', []]]);
    expect(b.materials.map((m) => [m.id, m.usedBy])).toEqual([
      ['register', [{ item: 'guidance', material: 'household-register' }]],
    ]);
    // Adding it back adds its materials back, without duplicating the one already covered.
    const again = syncMaterials(b.materials, [...b.items, { item: 'vaccination', after: [], map: {} }], infos);
    expect(again.map((m) => m.id)).toEqual(['register', 'mother-id', 'father-id']);
    expect(again[0]!.usedBy).toHaveLength(2);
  });

  it('sets the lead department from the first item and lists the others as supporting', () => {
    let b = designed();
    b = addItem(b, card, infos);
    expect([b.leadDepartment, b.supportingDepartments]).toEqual(['health', ['hrss']]);
    b = setLeadDepartment(b, 'hrss', infos);
    expect([b.leadDepartment, b.supportingDepartments]).toEqual(['hrss', ['health']]);
    expect(unmappedRequired(b, infos)).toEqual([{ item: 'card', field: 'holderName' }]);
  });

  it('maps, remaps and unmaps an item field; removing a form field removes the mappings to it', () => {
    let b = designed();
    b = addField(b, 'child', 'nickname', fieldSchema('text', text('小名', 'Nickname')), false);
    b = setMapping(b, 'vaccination', 'childName', 'child.nickname');
    expect(b.items[0]!.map['child.nickname']).toBe('childName');
    expect(b.items[0]!.map['child.childName']).toBeUndefined();
    b = removeField(b, 'child.nickname');
    expect(Object.values(b.items[0]!.map)).not.toContain('childName');
    expect(unmappedRequired(b, infos)).toEqual([{ item: 'vaccination', field: 'childName' }]);
    b = setMapping(b, 'guidance', 'familyAddress', null);
    expect(b.items[1]!.map).toEqual({ 'child.childName': 'childName', 'child.guardianPhone': 'guardianPhone' });
  });

  it('edits a field’s titles and whether it is required; a section with no required field is not required', () => {
    let b = designed();
    b = updateField(b, 'child.childName', { title: text('宝宝姓名', 'Baby’s name'), required: false });
    b = updateField(b, 'child.guardianPhone', { required: false });
    b = updateField(b, 'child.familyAddress', { required: false });
    expect(b.form.properties!.child!.properties!.childName!.title).toBe('宝宝姓名 / Baby’s name');
    expect(b.form.properties!.child!.required).toEqual([]);
    expect(b.form.required).toEqual([]);
  });

  it('removes a question together with the simple conditions on it, of items and of materials', () => {
    let b = designed();
    b = addSituation(b, 'has_register', text('是否有户口簿？', 'Do you have a household register?'));
    b = addSituation(b, 'has_register', text('重复', 'Duplicate'));
    expect(b.situations).toHaveLength(1);
    b = updateItem(b, 'guidance', { when: { q: 'has_register', eq: true } });
    expect(b.items[1]!.when).toEqual({ q: 'has_register', eq: true });
    b = setMaterialCondition(b, 'register', { q: 'has_register', eq: false });
    expect(b.materials.find((m) => m.id === 'register')!.when).toEqual({ q: 'has_register', eq: false });
    b = removeSituation(b, 'has_register');
    expect(b.items[1]!.when).toBeUndefined();
    expect(b.materials.find((m) => m.id === 'register')).not.toHaveProperty('when');
    expect(b.situations).toEqual([]);
  });

  it('opens a published version for editing unpinned, keeping what it does not edit', () => {
    const b = openForEditing({
      ...toContent(designed()),
      code: 'x',
      variants: [{ regionCode: '320100', excludeItems: ['guidance'] }],
      items: [{ item: 'vaccination', version: 3, after: [], map: {} }],
    });
    expect(b.items).toEqual([{ item: 'vaccination', after: [], map: {} }]);
    expect(b.variants).toEqual([{ regionCode: '320100', excludeItems: ['guidance'] }]);
  });

  it('leaves empty optional texts out of the content it saves', () => {
    const b = updateItem({ ...designed(), description: text('', ''), code: 'kids' }, 'vaccination', {
      reason: text('', ''),
    });
    const c = toContent(b);
    expect(c).not.toHaveProperty('description');
    expect((c.items as Array<Record<string, unknown>>)[0]).not.toHaveProperty('reason');
  });

  it('lists what changed between two versions, items compared by code', () => {
    const v1 = {
      name: text('一', 'One'),
      items: [
        { item: 'a', after: [] },
        { item: 'b', after: [] },
      ],
      promisedDays: 5,
    };
    const v2 = {
      name: text('一', 'One, revised'),
      items: [
        { item: 'c', after: [] },
        { item: 'a', after: [] },
        { item: 'b', after: ['a'] },
      ],
    };
    expect(diffContent(v1, v2)).toEqual([
      { path: 'items[b].after', kind: 'changed', before: [], after: ['a'] },
      { path: 'items[c]', kind: 'added', after: { item: 'c', after: [] } },
      { path: 'name.en', kind: 'changed', before: 'One', after: 'One, revised' },
      { path: 'promisedDays', kind: 'removed', before: 5 },
    ]);
    expect(diffContent(v1, structuredClone(v1))).toEqual([]);
  });
});
