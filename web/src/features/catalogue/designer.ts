// The bundle designer's model: a one-thing bundle's content as the admin API takes it (PUT …/bundles/:code/draft),
// changed by small pure functions that the designer page calls and the unit tests check. Whatever the page
// does not edit (regional variants, choice questions, nested conditions, sources) is carried through untouched,
// so opening a bundle in the designer and saving it changes nothing that was not touched.
// The catalogue checks themselves (items exist and are published, the graph is acyclic, every mapped field
// exists, every required material is covered) are the server's: the designer asks POST …/bundles/validate.
import type {
  BundleContent,
  BundleItem,
  BundleMaterial,
  Condition,
  ItemMaterial,
  ServiceItemContent,
} from '@onething/shared/catalogue';
import type { LocalText } from '../../lib/text';
import { propertiesOf, widgetOf, type FieldSchema } from '../../components/JsonSchemaForm/schema';

/** A bundle item as the designer edits it: the shared BundleItem (the API's). */
export type DesignItem = BundleItem;

/** A material of the bundle's one material set: the shared BundleMaterial. */
export type DesignMaterial = BundleMaterial;

/**
 * The bundle's content as the designer edits it: the shared BundleContent, with the form typed for the form
 * editor; the parts the designer does not edit (variants, sources …) are carried through as they are.
 */
export type DesignBundle = Pick<
  BundleContent,
  | 'code'
  | 'name'
  | 'description'
  | 'stage'
  | 'audience'
  | 'regionCode'
  | 'leadDepartment'
  | 'supportingDepartments'
  | 'situations'
  | 'items'
  | 'materials'
  | 'promisedDays'
> & { form: FieldSchema; [other: string]: unknown };

/** What the designer needs to know of a published service item (from its content, GET /api/v1/catalogue/items/:code). */
export type ItemInfo = Pick<ServiceItemContent, 'code' | 'name' | 'departmentCode' | 'serviceObjects'> & {
  fields: FieldSchema;
  materials: Array<Pick<ItemMaterial, 'id' | 'name' | 'required' | 'certificateType'>>;
};

/** A leaf field of a JSON Schema form, with its dotted path ("child.name"). */
export interface FormField {
  path: string;
  schema: FieldSchema;
  required: boolean;
}

export const SECTION_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export function newBundle(regionCode: string): DesignBundle {
  return {
    code: '',
    name: { zh: '', en: '' },
    stage: 'birth',
    audience: 'person',
    regionCode,
    leadDepartment: '',
    supportingDepartments: [],
    situations: [],
    form: { type: 'object', properties: {}, required: [], 'x-order': [] },
    items: [],
    materials: [],
    sources: [],
  };
}

/**
 * A published or draft bundle opened for its next version: items are unpinned (publishing pins each one to its
 * latest published version, which is what an administrator editing the bundle means).
 */
export function openForEditing(content: Record<string, unknown>): DesignBundle {
  const b = structuredClone(content) as DesignBundle;
  b.items = (b.items ?? []).map(({ version: _pinned, ...rest }) => ({
    ...rest,
    after: rest.after ?? [],
    map: rest.map ?? {},
  }));
  b.situations ??= [];
  b.materials ??= [];
  b.supportingDepartments ??= [];
  return b;
}

/** The form's leaf fields in display order. */
export function formFields(form: FieldSchema, prefix = ''): FormField[] {
  const out: FormField[] = [];
  for (const [key, sub] of propertiesOf(form)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (widgetOf(sub) === 'section') out.push(...formFields(sub, path));
    else out.push({ path, schema: sub, required: (form.required ?? []).includes(key) });
  }
  return out;
}

/** "中文 / English" titles, as the portal's form renderer reads them. */
export function joinTitle(text: LocalText): string {
  const zh = text.zh.trim();
  const en = text.en.trim();
  if (!en || en === zh) return zh;
  if (!zh) return en;
  return `${zh} / ${en}`;
}

export function splitBoth(title: string | undefined): LocalText {
  if (!title) return { zh: '', en: '' };
  const at = title.indexOf(' / ');
  return at < 0 ? { zh: title, en: title } : { zh: title.slice(0, at), en: title.slice(at + 3) };
}

function at(form: FieldSchema, segments: string[]): FieldSchema | undefined {
  let s: FieldSchema | undefined = form;
  for (const k of segments) s = s?.properties?.[k];
  return s;
}

/** Root `required` lists the sections that hold a required field, so an empty section is caught as such. */
function settleRequired(form: FieldSchema): FieldSchema {
  const sections = propertiesOf(form).filter(([, s]) => widgetOf(s) === 'section');
  const withRequired = sections.filter(([, s]) => (s.required ?? []).length > 0).map(([k]) => k);
  const leaves = (form.required ?? []).filter(
    (k) => form.properties?.[k] && widgetOf(form.properties[k]!) !== 'section',
  );
  return { ...form, required: [...leaves, ...withRequired] };
}

function withForm(b: DesignBundle, change: (form: FieldSchema) => void): DesignBundle {
  const form = structuredClone(b.form);
  form.type ??= 'object';
  form.properties ??= {};
  change(form);
  return { ...b, form: settleRequired(form) };
}

/** Adds a section (a group of fields with a heading) to the form. */
export function addSection(b: DesignBundle, key: string, title: LocalText): DesignBundle {
  if (!SECTION_KEY.test(key) || b.form.properties?.[key]) return b;
  return withForm(b, (form) => {
    form.properties![key] = { type: 'object', title: joinTitle(title), properties: {}, required: [], 'x-order': [] };
    form['x-order'] = [...(form['x-order'] ?? Object.keys(form.properties!).filter((k) => k !== key)), key];
  });
}

export type FieldKind = 'text' | 'longText' | 'date' | 'idNumber' | 'mobile' | 'integer' | 'boolean' | 'gender';

/** The JSON Schema of a new field of a kind, with the checks the portal and the server apply. */
export function fieldSchema(kind: FieldKind, title: LocalText): FieldSchema {
  const t = joinTitle(title);
  switch (kind) {
    case 'text':
      return { type: 'string', title: t, minLength: 1, maxLength: 100 };
    case 'longText':
      return { type: 'string', title: t, minLength: 1, maxLength: 500 };
    case 'date':
      return { type: 'string', title: t, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' };
    case 'idNumber':
      return { type: 'string', title: t, pattern: '^[0-9]{17}[0-9Xx]$' };
    case 'mobile':
      return { type: 'string', title: t, pattern: '^1[0-9]{10}$' };
    case 'integer':
      return { type: 'integer', title: t, minimum: 0 };
    case 'boolean':
      return { type: 'boolean', title: t };
    case 'gender':
      return { type: 'string', title: t, enum: ['male', 'female'] };
  }
}

/** Adds one field to a section; an existing key is left as it is. */
export function addField(
  b: DesignBundle,
  section: string,
  key: string,
  schema: FieldSchema,
  required: boolean,
): DesignBundle {
  if (!SECTION_KEY.test(key) || !b.form.properties?.[section] || b.form.properties[section]!.properties?.[key])
    return b;
  return withForm(b, (form) => {
    const s = form.properties![section]!;
    s.properties = { ...s.properties, [key]: schema };
    s['x-order'] = [...(s['x-order'] ?? Object.keys(s.properties).filter((k) => k !== key)), key];
    s.required = required ? [...(s.required ?? []), key] : (s.required ?? []);
  });
}

/** Changes a field's titles or whether it is required. */
export function updateField(
  b: DesignBundle,
  path: string,
  change: { title?: LocalText; required?: boolean },
): DesignBundle {
  const segments = path.split('.');
  const key = segments.pop()!;
  return withForm(b, (form) => {
    const parent = at(form, segments);
    const field = parent?.properties?.[key];
    if (!parent || !field) return;
    if (change.title) field.title = joinTitle(change.title);
    if (change.required !== undefined) {
      const rest = (parent.required ?? []).filter((k) => k !== key);
      parent.required = change.required ? [...rest, key] : rest;
    }
  });
}

/** Removes a field or a whole section, and every mapping to what was removed. */
export function removeField(b: DesignBundle, path: string): DesignBundle {
  const segments = path.split('.');
  const key = segments.pop()!;
  const next = withForm(b, (form) => {
    const parent = at(form, segments);
    if (!parent?.properties?.[key]) return;
    const { [key]: _gone, ...rest } = parent.properties;
    parent.properties = rest;
    parent.required = (parent.required ?? []).filter((k) => k !== key);
    if (parent['x-order']) parent['x-order'] = parent['x-order'].filter((k) => k !== key);
  });
  const gone = (p: string) => p === path || p.startsWith(`${path}.`);
  return {
    ...next,
    items: next.items.map((i) => ({ ...i, map: Object.fromEntries(Object.entries(i.map).filter(([p]) => !gone(p))) })),
  };
}

/** Maps an item's field to a form field (or unmaps it with null); an item field takes its value from one form field. */
export function setMapping(b: DesignBundle, item: string, itemField: string, formPath: string | null): DesignBundle {
  return {
    ...b,
    items: b.items.map((i) => {
      if (i.item !== item) return i;
      const map = Object.fromEntries(Object.entries(i.map).filter(([, f]) => f !== itemField));
      if (formPath) map[formPath] = itemField;
      return { ...i, map };
    }),
  };
}

/** The form field mapped to an item's field, if any. */
export function mappedFrom(item: DesignItem, itemField: string): string | undefined {
  return Object.entries(item.map).find(([, f]) => f === itemField)?.[0];
}

/**
 * Builds the shared form from an item's own fields: each field the form already has under the same name (in any
 * section) is mapped to it — the applicant answers it once for every item — and each new one is added to the
 * section with the item's checks and mapped. A field the item requires is required in the form.
 */
export function addItemFields(b: DesignBundle, info: ItemInfo, section: string): DesignBundle {
  let next = b;
  if (!next.items.some((i) => i.item === info.code) || !next.form.properties?.[section]) return b;
  for (const f of formFields(info.fields)) {
    const current = next.items.find((i) => i.item === info.code)!;
    if (mappedFrom(current, f.path)) continue;
    const leaf = f.path.split('.').pop()!;
    const existing = formFields(next.form).find(
      (x) => x.path.split('.').pop() === leaf && sameKind(x.schema, f.schema),
    );
    if (existing) {
      if (f.required && !existing.required) next = updateField(next, existing.path, { required: true });
      next = setMapping(next, info.code, f.path, existing.path);
    } else if (!next.form.properties?.[section]?.properties?.[leaf]) {
      next = addField(next, section, leaf, structuredClone(f.schema), f.required);
      next = setMapping(next, info.code, f.path, `${section}.${leaf}`);
    }
  }
  return next;
}

function sameKind(a: FieldSchema, b: FieldSchema): boolean {
  return (
    a.type === b.type &&
    (a.pattern ?? '') === (b.pattern ?? '') &&
    JSON.stringify(a.enum ?? null) === JSON.stringify(b.enum ?? null)
  );
}

/** Required fields of each item that no form field feeds: the department would receive the case without them. */
export function unmappedRequired(
  b: DesignBundle,
  infos: ReadonlyMap<string, ItemInfo>,
): Array<{ item: string; field: string }> {
  return b.items.flatMap((i) => {
    const info = infos.get(i.item);
    if (!info) return [];
    return formFields(info.fields)
      .filter((f) => f.required && !mappedFrom(i, f.path))
      .map((f) => ({ item: i.item, field: f.path }));
  });
}

/** Adds a published item to the bundle, with its materials merged into the one material set. */
export function addItem(b: DesignBundle, info: ItemInfo, infos: ReadonlyMap<string, ItemInfo>): DesignBundle {
  if (b.items.some((i) => i.item === info.code)) return b;
  const items = [...b.items, { item: info.code, after: [], map: {} }];
  const all = new Map(infos).set(info.code, info);
  return withDepartments({ ...b, items, materials: syncMaterials(b.materials, items, all) }, all);
}

/** Removes an item: from the graph (others no longer wait for it), the mappings and the material set. */
export function removeItem(b: DesignBundle, code: string, infos: ReadonlyMap<string, ItemInfo>): DesignBundle {
  const items = b.items.filter((i) => i.item !== code).map((i) => ({ ...i, after: i.after.filter((a) => a !== code) }));
  return withDepartments({ ...b, items, materials: syncMaterials(b.materials, items, infos) }, infos);
}

export function updateItem(
  b: DesignBundle,
  code: string,
  change: Partial<Pick<DesignItem, 'after' | 'when' | 'reason'>>,
): DesignBundle {
  return {
    ...b,
    items: b.items.map((i) => {
      if (i.item !== code) return i;
      const next: DesignItem = { ...i, ...change };
      if (change.when === undefined && 'when' in change) delete next.when;
      if (change.reason === undefined && 'reason' in change) delete next.reason;
      return next;
    }),
  };
}

/** The lead department (the first item's, when none is chosen) and the others as supporting departments. */
function withDepartments(b: DesignBundle, infos: ReadonlyMap<string, ItemInfo>): DesignBundle {
  const depts = [...new Set(b.items.map((i) => infos.get(i.item)?.departmentCode).filter((d): d is string => !!d))];
  const lead = b.leadDepartment || depts[0] || '';
  return { ...b, leadDepartment: lead, supportingDepartments: depts.filter((d) => d !== lead) };
}

export function setLeadDepartment(b: DesignBundle, code: string, infos: ReadonlyMap<string, ItemInfo>): DesignBundle {
  return withDepartments({ ...b, leadDepartment: code }, infos);
}

/**
 * The bundle's one material set kept in step with its items: uses of removed items are dropped (and materials
 * left with none), and every material of an added item that no bundle material covers yet is added — merged
 * with a material of another item that has the same name and the same e-certificate type (the applicant gives
 * it once), never with another material of the same item (a mother's and a father's ID card stay two).
 */
export function syncMaterials(
  materials: DesignMaterial[],
  items: DesignItem[],
  infos: ReadonlyMap<string, ItemInfo>,
): DesignMaterial[] {
  const present = new Set(items.map((i) => i.item));
  const out = materials
    .map((m) => ({ ...m, usedBy: m.usedBy.filter((u) => present.has(u.item)) }))
    .filter((m) => m.usedBy.length > 0);
  const covered = new Set(out.flatMap((m) => m.usedBy.map((u) => `${u.item}/${u.material}`)));
  const ids = new Set(out.map((m) => m.id));
  for (const i of items) {
    for (const m of infos.get(i.item)?.materials ?? []) {
      if (covered.has(`${i.item}/${m.id}`)) continue;
      const satisfiedBy = m.certificateType ? `certificate:${m.certificateType}` : undefined;
      const twin = out.find(
        (x) => x.name.zh === m.name.zh && x.satisfiedBy === satisfiedBy && !x.usedBy.some((u) => u.item === i.item),
      );
      if (twin) {
        twin.usedBy = [...twin.usedBy, { item: i.item, material: m.id }];
      } else {
        let id = m.id;
        for (let n = 2; ids.has(id); n++) id = `${m.id}-${n}`;
        ids.add(id);
        out.push({
          id,
          name: { ...m.name },
          usedBy: [{ item: i.item, material: m.id }],
          ...(satisfiedBy ? { satisfiedBy } : {}),
        });
      }
      covered.add(`${i.item}/${m.id}`);
    }
  }
  return out;
}

/** Sets or clears the condition under which a material of the set is asked for (undefined: always). */
export function setMaterialCondition(b: DesignBundle, id: string, when: Condition | undefined): DesignBundle {
  return {
    ...b,
    materials: b.materials.map((m) => {
      if (m.id !== id) return m;
      const { when: _old, ...rest } = m;
      return when ? { ...rest, when } : rest;
    }),
  };
}

/** A yes/no question (情形) that items and materials can depend on. */
export function addSituation(b: DesignBundle, id: string, ask: LocalText): DesignBundle {
  if (!SECTION_KEY.test(id) || b.situations.some((s) => s.id === id)) return b;
  return { ...b, situations: [...b.situations, { id, ask, type: 'boolean' }] };
}

/** Removes a question and the simple conditions on it (items and materials then always apply). */
export function removeSituation(b: DesignBundle, id: string): DesignBundle {
  const drop = <T extends { when?: Condition }>(x: T): T => {
    if (!x.when || !('q' in x.when) || x.when.q !== id) return x;
    const { when: _w, ...rest } = x;
    return rest as T;
  };
  return {
    ...b,
    situations: b.situations.filter((s) => s.id !== id),
    items: b.items.map(drop),
    materials: b.materials.map(drop),
  };
}

/** The content sent to the API: empty optional texts left out. */
export function toContent(b: DesignBundle): Record<string, unknown> {
  const out: Record<string, unknown> = { ...b };
  const d = b.description;
  if (!d || (!d.zh.trim() && !d.en.trim())) delete out.description;
  if (b.promisedDays === undefined || b.promisedDays === null) delete out.promisedDays;
  out.items = b.items.map((i) => {
    const { reason, ...rest } = i;
    return reason?.zh.trim() ? { ...rest, reason } : rest;
  });
  return out;
}

export interface Change {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/**
 * What changed between two versions' contents, as paths ("items.2.after", "name.en"). Arrays of items, situations
 * and materials are compared by their codes, so inserting one item does not show every later item as changed.
 */
export function diffContent(before: unknown, after: unknown, path = ''): Change[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before === undefined) return [{ path, kind: 'added', after }];
  if (after === undefined) return [{ path, kind: 'removed', before }];
  const keyed = (v: unknown): Map<string, unknown> | null => {
    if (!Array.isArray(v) || v.length === 0) return null;
    const keyOf = (x: unknown) =>
      x && typeof x === 'object'
        ? ((x as Record<string, unknown>).item ?? (x as Record<string, unknown>).id)
        : undefined;
    if (!v.every((x) => typeof keyOf(x) === 'string')) return null;
    return new Map(v.map((x) => [keyOf(x) as string, x]));
  };
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = keyed(before);
    const b = keyed(after);
    if (a && b) {
      const keys = [...new Set([...a.keys(), ...b.keys()])];
      return keys.flatMap((k) => diffContent(a.get(k), b.get(k), path ? `${path}[${k}]` : `[${k}]`));
    }
    return [{ path, kind: 'changed', before, after }];
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffContent(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return [{ path, kind: 'changed', before, after }];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
