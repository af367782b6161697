// The service item editor's model (事项编辑器): a service item's content as the admin API takes it
// (PUT …/items/:code/draft, ServiceItemContent of shared/src/catalogue), changed by small pure functions that
// the editor page calls and the unit tests check. Whatever the page does not edit (a field's own checks, parts of
// the fields' JSON Schema it does not know, keys it has no control for) is carried through untouched, so opening
// an item and saving it changes nothing that was not touched.
// The authoritative checks are the server's (at save and at publish: department exists, current division code,
// promised ≤ statutory days, material ids, the fields' schema compiles); `localProblems` only catches the obvious
// before a round trip, and `sectionOf`/`pointerParts` put any problem next to the part of the page it concerns.
import {
  ITEM_TYPES,
  MATERIAL_FORMS,
  PROCESS_STAGE_CODES as STAGE_CODES,
  type ItemMaterial,
  type ItemOutput,
  type ProcessStage,
  type ServiceItemContent,
} from '@onething/shared/catalogue';
import type { LocalText } from '../../lib/text';
import { propertiesOf, type FieldSchema } from '../../components/JsonSchemaForm/schema';
import { fieldSchema, joinTitle, SECTION_KEY, splitBoth, type FieldKind } from './designer';

// The item's fixed words are the shared catalogue's (the page lists them as choices).
export { ITEM_TYPES, MATERIAL_FORMS, STAGE_CODES };
export type { ItemType, MaterialForm } from '@onething/shared/catalogue';
export type StageCode = ProcessStage['code'];

export const ITEM_FIELD_KINDS: FieldKind[] = [
  'text',
  'longText',
  'date',
  'idNumber',
  'mobile',
  'integer',
  'boolean',
  'gender',
];

/** The editor's types are the shared content's; keys the editor has no control for are carried through. */
export type EditMaterial = ItemMaterial & { [other: string]: unknown };
export type EditStage = ProcessStage & { [other: string]: unknown };
export type EditOutput = ItemOutput;
export type EditItem = Omit<ServiceItemContent, 'materials' | 'stages' | 'outputs' | 'fields'> & {
  materials: EditMaterial[];
  stages: EditStage[];
  outputs: EditOutput[];
  fields: FieldSchema & Record<string, unknown>;
  [other: string]: unknown;
};

export const emptyText = (): LocalText => ({ zh: '', en: '' });

export function newItem(regionCode: string): EditItem {
  return {
    code: '',
    name: emptyText(),
    departmentCode: '',
    regionCode,
    itemType: 'public_service',
    serviceObjects: ['person'],
    acceptanceConditions: [],
    materials: [],
    statutoryDays: null,
    promisedDays: 1,
    stages: [],
    fee: { charged: false },
    legalBasis: [],
    fields: { type: 'object', properties: {}, required: [], 'x-order': [] },
    outputs: [],
    sources: [],
  };
}

/** A draft or published item opened for its next version; the defaults the schema would fill are filled in. */
export function openItem(content: Record<string, unknown>): EditItem {
  const i = structuredClone(content) as EditItem;
  i.acceptanceConditions ??= [];
  i.materials = (i.materials ?? []).map((m) => ({
    ...m,
    toleratedGapAllowed: m.toleratedGapAllowed ?? false,
    commitmentAllowed: m.commitmentAllowed ?? false,
    form: m.form ?? 'electronic',
    copies: m.copies ?? 1,
  }));
  i.stages = (i.stages ?? []).map((s) => ({ ...s, excludedFromLimit: s.excludedFromLimit ?? false }));
  i.fee ??= { charged: false };
  i.legalBasis ??= [];
  i.fields ??= { type: 'object', properties: {} };
  i.outputs ??= [];
  i.sources ??= [];
  return i;
}

const blank = (t: LocalText | undefined) => !t || (!t.zh.trim() && !t.en.trim());

/** The content sent to the API: optional texts left empty are left out, as are an empty e-certificate type and stage days. */
export function toContent(i: EditItem): Record<string, unknown> {
  const out: Record<string, unknown> = { ...i };
  for (const k of ['shortName', 'description', 'offline'] as const) if (blank(i[k])) delete out[k];
  const { description: feeText, ...fee } = i.fee;
  out.fee = blank(feeText) ? fee : { ...fee, description: feeText };
  out.materials = i.materials.map((m) => {
    const { note, certificateType, ...rest } = m;
    return { ...rest, ...(certificateType ? { certificateType } : {}), ...(blank(note) ? {} : { note }) };
  });
  out.stages = i.stages.map((s) => {
    const { days, ...rest } = s;
    return days === undefined || days === null ? rest : { ...rest, days };
  });
  return out;
}

// ---- lists of texts (acceptance conditions, legal basis), materials, stages, outputs, sources ----

export type TextList = 'acceptanceConditions' | 'legalBasis';

export function addText(i: EditItem, list: TextList): EditItem {
  return { ...i, [list]: [...i[list], emptyText()] };
}
export function setText(i: EditItem, list: TextList, index: number, lang: 'zh' | 'en', value: string): EditItem {
  return { ...i, [list]: i[list].map((t, n) => (n === index ? { ...t, [lang]: value } : t)) };
}

/** Removes the n-th entry of any of the item's lists. */
export function removeAt<
  K extends 'acceptanceConditions' | 'legalBasis' | 'materials' | 'stages' | 'outputs' | 'sources',
>(i: EditItem, list: K, index: number): EditItem {
  return { ...i, [list]: (i[list] as unknown[]).filter((_, n) => n !== index) };
}

/** A new material with an id not yet used ("material-1", "material-2" …). */
export function addMaterial(i: EditItem): EditItem {
  const ids = new Set(i.materials.map((m) => m.id));
  let n = i.materials.length + 1;
  while (ids.has(`material-${n}`)) n++;
  return {
    ...i,
    materials: [
      ...i.materials,
      {
        id: `material-${n}`,
        name: emptyText(),
        required: true,
        toleratedGapAllowed: false,
        commitmentAllowed: false,
        form: 'electronic',
        copies: 1,
      },
    ],
  };
}

/** Changes a material; 容缺 (a tolerated gap) is only for required materials, so making one optional clears it. */
export function updateMaterial(i: EditItem, index: number, change: Partial<EditMaterial>): EditItem {
  return {
    ...i,
    materials: i.materials.map((m, n) => {
      if (n !== index) return m;
      const next = { ...m, ...change };
      if (!next.required) next.toleratedGapAllowed = false;
      return next;
    }),
  };
}

export function addStage(i: EditItem): EditItem {
  const used = new Set(i.stages.map((s) => s.code));
  const code = STAGE_CODES.find((c) => !used.has(c)) ?? 'special';
  return { ...i, stages: [...i.stages, { code, name: emptyText(), excludedFromLimit: code === 'special' }] };
}
export function updateStage(i: EditItem, index: number, change: Partial<EditStage>): EditItem {
  return { ...i, stages: i.stages.map((s, n) => (n === index ? { ...s, ...change } : s)) };
}

export function addOutput(i: EditItem): EditItem {
  return { ...i, outputs: [...i.outputs, { certificateType: '', name: emptyText() }] };
}
export function updateOutput(i: EditItem, index: number, change: Partial<EditOutput>): EditItem {
  return { ...i, outputs: i.outputs.map((o, n) => (n === index ? { ...o, ...change } : o)) };
}

export function addSource(i: EditItem): EditItem {
  return { ...i, sources: [...i.sources, ''] };
}
export function setSource(i: EditItem, index: number, value: string): EditItem {
  return { ...i, sources: i.sources.map((s, n) => (n === index ? value : s)) };
}

/** Statutory days: a number, or null where no law sets a limit. */
export function setStatutoryDays(i: EditItem, days: number | null): EditItem {
  return { ...i, statutoryDays: days };
}

// ---- the item's own data fields: a flat list over the JSON Schema `fields` ----

export interface ItemField {
  key: string;
  title: LocalText;
  /** null: a field this editor cannot describe by a kind (nested object, own pattern …), kept as it is. */
  kind: FieldKind | null;
  required: boolean;
}

const DATE = new Set(['^[0-9]{4}-[0-9]{2}-[0-9]{2}$', '^\\d{4}-\\d{2}-\\d{2}$']);

/** The kind a field's schema is, when it is one the editor makes (its own lengths do not matter). */
export function kindOf(s: FieldSchema): FieldKind | null {
  if (s.properties || s.type === 'object' || s.type === 'array') return null;
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'integer') return 'integer';
  if (s.type !== 'string') return null;
  if (s.enum) return JSON.stringify(s.enum) === JSON.stringify(['male', 'female']) ? 'gender' : null;
  if (s.format === 'date' || (s.pattern && DATE.has(s.pattern))) return 'date';
  if (s.pattern === fieldSchema('idNumber', emptyText()).pattern) return 'idNumber';
  if (s.pattern === fieldSchema('mobile', emptyText()).pattern) return 'mobile';
  if (s.pattern || s.format) return null;
  return (s.maxLength ?? 0) > 100 ? 'longText' : 'text';
}

export function itemFields(i: EditItem): ItemField[] {
  const required = new Set(i.fields.required ?? []);
  return propertiesOf(i.fields).map(([key, s]) => ({
    key,
    title: splitBoth(s.title),
    kind: kindOf(s),
    required: required.has(key),
  }));
}

function withFields(i: EditItem, change: (fields: FieldSchema & Record<string, unknown>) => void): EditItem {
  const fields = structuredClone(i.fields);
  fields.type ??= 'object';
  fields.properties ??= {};
  change(fields);
  return { ...i, fields };
}

/** Adds a field of a kind; a bad or taken key leaves the item as it is. */
export function addItemField(i: EditItem, key: string, title: LocalText, kind: FieldKind, required: boolean): EditItem {
  if (!SECTION_KEY.test(key) || i.fields.properties?.[key]) return i;
  return withFields(i, (f) => {
    const before = Object.keys(f.properties!);
    f.properties![key] = fieldSchema(kind, title);
    // The order the fields were added in (jsonb does not keep the keys' order).
    f['x-order'] = [...(f['x-order'] ?? before), key];
    if (required) f.required = [...(f.required ?? []), key];
  });
}

/** Keys that say what kind a field is; the rest of a field's schema (description, x-prefill …) is its own. */
const KIND_KEYS = [
  'type',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'enum',
  'minimum',
  'maximum',
  'items',
  'uniqueItems',
  'properties',
  'required',
];

/** Changes a field's titles, kind or whether it is required; a kind change replaces only the kind's checks. */
export function updateItemField(
  i: EditItem,
  key: string,
  change: { title?: LocalText; kind?: FieldKind; required?: boolean },
): EditItem {
  const current = i.fields.properties?.[key];
  if (!current) return i;
  return withFields(i, (f) => {
    let s = f.properties![key]!;
    if (change.kind && change.kind !== kindOf(s)) {
      const own = Object.fromEntries(Object.entries(s).filter(([k]) => !KIND_KEYS.includes(k)));
      s = {
        ...own,
        ...fieldSchema(change.kind, splitBoth(s.title)),
        ...(s.title !== undefined ? { title: s.title } : {}),
      };
    }
    if (change.title) s = { ...s, title: joinTitle(change.title) };
    f.properties![key] = s;
    if (change.required !== undefined) {
      const rest = (f.required ?? []).filter((k) => k !== key);
      f.required = change.required ? [...rest, key] : rest;
    }
  });
}

export function removeItemField(i: EditItem, key: string): EditItem {
  if (!i.fields.properties?.[key]) return i;
  return withFields(i, (f) => {
    const { [key]: _gone, ...rest } = f.properties!;
    f.properties = rest;
    if (f.required) f.required = f.required.filter((k) => k !== key);
    if (f['x-order']) f['x-order'] = f['x-order'].filter((k) => k !== key);
  });
}

// ---- problems: where they belong and what to call them ----

export type ItemSection =
  | 'basics'
  | 'conditions'
  | 'materials'
  | 'time'
  | 'fee'
  | 'legal'
  | 'fields'
  | 'outputs'
  | 'other';

const SECTION_OF: Record<string, ItemSection> = {
  code: 'basics',
  name: 'basics',
  shortName: 'basics',
  departmentCode: 'basics',
  regionCode: 'basics',
  itemType: 'basics',
  serviceObjects: 'basics',
  description: 'basics',
  acceptanceConditions: 'conditions',
  materials: 'materials',
  statutoryDays: 'time',
  promisedDays: 'time',
  stages: 'time',
  fee: 'fee',
  legalBasis: 'legal',
  fields: 'fields',
  outputs: 'outputs',
  offline: 'other',
  sources: 'other',
};

/** The section of the editor a problem's JSON pointer ("/materials/0/id") belongs to; the root goes to basics. */
export function sectionOf(pointer: string): ItemSection {
  const head = pointer.replace(/^\//, '').split('/')[0] ?? '';
  return SECTION_OF[head] ?? 'basics';
}

/** One part of a field's name: an i18n key under admin.itemEditor with its parameters, or text as it is. */
export type LabelPart = { key: string; params?: Record<string, string | number> } | { text: string };

const LANG_KEY: Record<string, string> = { zh: 'langZh', en: 'langEn' };

/**
 * A problem's JSON pointer named in the editor's words: "/promisedDays" → [承诺办结时限], "/materials/0/name/en"
 * → [材料 birth-cert, 名称, 英文]; the page translates the keys. An index is given 1-based and materials by id.
 */
export function pointerParts(pointer: string, i: EditItem): LabelPart[] {
  const [head = '', ...rest] = pointer
    .replace(/^\//, '')
    .split('/')
    .filter((s, n) => s !== '' || n === 0);
  const parts: LabelPart[] = [];
  const lang = (s: string | undefined) => (s && LANG_KEY[s] ? [{ key: LANG_KEY[s]! }] : s ? [{ text: s }] : []);
  const n = Number(rest[0]);
  switch (head) {
    case '':
      return [{ key: 'labels.item' }];
    case 'name':
    case 'shortName':
    case 'description':
    case 'offline':
      return [{ key: `labels.${head}` }, ...lang(rest[0])];
    case 'acceptanceConditions':
    case 'legalBasis':
      if (rest.length === 0) return [{ key: `labels.${head}` }];
      return [{ key: `labels.${head}N`, params: { n: n + 1 } }, ...lang(rest[1])];
    case 'sources':
      return rest.length === 0 ? [{ key: 'labels.sources' }] : [{ key: 'labels.sourcesN', params: { n: n + 1 } }];
    case 'materials': {
      if (rest.length === 0) return [{ key: 'labels.materials' }];
      parts.push({ key: 'labels.materialN', params: { id: i.materials[n]?.id || String(n + 1) } });
      const [prop, sub] = rest.slice(1);
      if (prop) parts.push(MATERIAL_PROPS.has(prop) ? { key: `material.${prop}` } : { text: prop });
      return [...parts, ...lang(sub)];
    }
    case 'stages': {
      if (rest.length === 0) return [{ key: 'labels.stages' }];
      parts.push({ key: 'labels.stageN', params: { n: n + 1 } });
      const [prop, sub] = rest.slice(1);
      if (prop) parts.push(STAGE_PROPS.has(prop) ? { key: `stage.${prop}` } : { text: prop });
      return [...parts, ...lang(sub)];
    }
    case 'outputs': {
      if (rest.length === 0) return [{ key: 'labels.outputs' }];
      parts.push({ key: 'labels.outputN', params: { n: n + 1 } });
      const [prop, sub] = rest.slice(1);
      if (prop)
        parts.push(
          prop === 'certificateType'
            ? { key: 'output.certificateType' }
            : prop === 'name'
              ? { key: 'output.name' }
              : { text: prop },
        );
      return [...parts, ...lang(sub)];
    }
    case 'fee':
      return rest[0] === 'description' ? [{ key: 'labels.feeDescription' }, ...lang(rest[1])] : [{ key: 'labels.fee' }];
    case 'fields': {
      // "/fields/properties/childName/pattern" → 数据字段 childName · pattern
      const [, key, ...deeper] = rest;
      return [
        { key: 'labels.fields' },
        ...(rest[0] === 'properties' && key
          ? [{ text: key }, ...deeper.map((text) => ({ text }))]
          : rest.map((text) => ({ text }))),
      ];
    }
    default:
      return SECTION_OF[head] ? [{ key: `labels.${head}` }, ...rest.map((text) => ({ text }))] : [{ text: pointer }];
  }
}

const MATERIAL_PROPS = new Set([
  'id',
  'name',
  'required',
  'toleratedGapAllowed',
  'commitmentAllowed',
  'certificateType',
  'form',
  'copies',
  'note',
]);
const STAGE_PROPS = new Set(['code', 'name', 'excludedFromLimit', 'days']);

/** A problem found before asking the server: its pointer and an i18n key under admin.itemEditor.problems. */
export interface LocalProblem {
  pointer: string;
  key: string;
  params?: Record<string, string | number>;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The obvious problems, found without a round trip; the server checks all of these again and more. */
export function localProblems(i: EditItem): LocalProblem[] {
  const out: LocalProblem[] = [];
  const text = (t: LocalText | undefined, at: string) => {
    if (!t?.zh.trim()) out.push({ pointer: `${at}/zh`, key: 'required' });
    if (!t?.en.trim()) out.push({ pointer: `${at}/en`, key: 'required' });
  };
  const optional = (t: LocalText | undefined, at: string) => {
    if (t && !blank(t)) text(t, at);
  };
  if (!CODE.test(i.code)) out.push({ pointer: '/code', key: 'badCode' });
  text(i.name, '/name');
  optional(i.shortName, '/shortName');
  if (!i.departmentCode) out.push({ pointer: '/departmentCode', key: 'required' });
  if (!/^\d{6}$/.test(i.regionCode)) out.push({ pointer: '/regionCode', key: 'badRegion' });
  if (i.serviceObjects.length === 0) out.push({ pointer: '/serviceObjects', key: 'required' });
  optional(i.description, '/description');
  i.acceptanceConditions.forEach((t, n) => text(t, `/acceptanceConditions/${n}`));
  const ids = new Set<string>();
  i.materials.forEach((m, n) => {
    if (!CODE.test(m.id)) out.push({ pointer: `/materials/${n}/id`, key: 'badCode' });
    else if (ids.has(m.id)) out.push({ pointer: `/materials/${n}/id`, key: 'duplicateId', params: { id: m.id } });
    ids.add(m.id);
    text(m.name, `/materials/${n}/name`);
    if (m.certificateType && !CODE.test(m.certificateType))
      out.push({ pointer: `/materials/${n}/certificateType`, key: 'badCode' });
    optional(m.note, `/materials/${n}/note`);
  });
  if (i.statutoryDays !== null && i.promisedDays > i.statutoryDays)
    out.push({
      pointer: '/promisedDays',
      key: 'promiseExceedsLaw',
      params: { promised: i.promisedDays, statutory: i.statutoryDays },
    });
  i.stages.forEach((s, n) => text(s.name, `/stages/${n}/name`));
  optional(i.fee.description, '/fee/description');
  i.legalBasis.forEach((t, n) => text(t, `/legalBasis/${n}`));
  i.outputs.forEach((o, n) => {
    if (!CODE.test(o.certificateType)) out.push({ pointer: `/outputs/${n}/certificateType`, key: 'badCode' });
    text(o.name, `/outputs/${n}/name`);
  });
  optional(i.offline, '/offline');
  return out;
}
