// The catalogue's rules, pure: what makes a service item or a one-thing bundle publishable. Structural
// checks come from the shared zod contracts; here are the checks that need the rest of the catalogue:
// departments and items exist, the item graph is acyclic, the form schema compiles, mappings name real
// fields, conditions name real situations, and every required material is in the one material set.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import {
  BundleContent,
  CatalogueFile,
  ServiceItemContent,
  type BundleItem,
  type Condition,
  type Situation,
} from '@onething/shared/catalogue';
import { issuesToFieldErrors, toPointer, type FieldError, type LocalText } from '@onething/shared/problem';
import { canonicalJson } from '@onething/shared/json';
import { lookupDivision } from '../identifiers/index.ts';

// Ajv ships CommonJS; createRequire gives its real constructor without default-export guessing.
const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

type Path = ReadonlyArray<string | number>;

function fail(path: Path, code: string, zh: string, en: string): FieldError {
  return { pointer: toPointer(path), code, detail: { zh, en } };
}

/** A fresh validator for form schemas (draft 2020-12). Strict: an unknown keyword is a mistake. */
export function createSchemaCompiler() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // Keywords the platform reads from bundle forms (prefill sources, widget hints) are declared, not guessed.
  ajv.addVocabulary(['x-prefill', 'x-widget', 'x-order']);
  return ajv;
}

const compiler = createSchemaCompiler();

/** Checks that a JSON Schema compiles; errors point into the document at `at`. */
export function checkJsonSchema(schema: unknown, at: Path): FieldError[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return [fail(at, 'catalogue.schema_invalid', 'JSON Schema 必须是对象', 'a JSON Schema must be an object')];
  }
  const s = schema as Record<string, unknown>;
  if (s.type !== 'object') {
    return [
      fail(
        [...at, 'type'],
        'catalogue.schema_invalid',
        '表单的根必须是 "type": "object"',
        'the root of a form schema must be "type": "object"',
      ),
    ];
  }
  if (!compiler.validateSchema(s)) {
    return (compiler.errors ?? []).map((e: ErrorObject) => {
      const sub = e.instancePath.split('/').filter(Boolean);
      return fail(
        [...at, ...sub],
        'catalogue.schema_invalid',
        `JSON Schema 不合法：${e.message ?? ''}`,
        `invalid JSON Schema: ${e.message ?? ''}`,
      );
    });
  }
  try {
    compiler.compile({ ...s, $id: undefined });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return [
      fail(
        at,
        'catalogue.schema_invalid',
        `JSON Schema 无法编译：${message}`,
        `the JSON Schema does not compile: ${message}`,
      ),
    ];
  }
  return [];
}

/** Dotted paths of every property a form schema declares, through nested objects (child.name …). */
export function schemaPaths(schema: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  const props = (schema as { properties?: Record<string, unknown> } | null)?.properties;
  if (!props || typeof props !== 'object') return out;
  for (const [key, sub] of Object.entries(props)) {
    const p = prefix ? `${prefix}.${key}` : key;
    out.add(p);
    for (const inner of schemaPaths(sub, p)) out.add(inner);
  }
  return out;
}

/** Evaluates a situation condition; an unanswered question makes its comparison false. */
export function evaluateCondition(cond: Condition, answers: Record<string, unknown>): boolean {
  if ('all' in cond) return cond.all.every((c) => evaluateCondition(c, answers));
  if ('any' in cond) return cond.any.some((c) => evaluateCondition(c, answers));
  if ('not' in cond) return !evaluateCondition(cond.not, answers);
  const value = answers[cond.q];
  if ('eq' in cond) return value === cond.eq;
  return cond.in.includes(value as string | number);
}

function checkCondition(cond: Condition, situations: Map<string, Situation>, at: Path): FieldError[] {
  if ('all' in cond) return cond.all.flatMap((c, i) => checkCondition(c, situations, [...at, 'all', i]));
  if ('any' in cond) return cond.any.flatMap((c, i) => checkCondition(c, situations, [...at, 'any', i]));
  if ('not' in cond) return checkCondition(cond.not, situations, [...at, 'not']);
  const s = situations.get(cond.q);
  if (!s)
    return [
      fail([...at, 'q'], 'catalogue.unknown_situation', `未定义的情形 "${cond.q}"`, `unknown situation "${cond.q}"`),
    ];
  const values = 'eq' in cond ? [cond.eq] : cond.in;
  const key = 'eq' in cond ? 'eq' : 'in';
  if (s.type === 'boolean') {
    if ('in' in cond || typeof cond.eq !== 'boolean') {
      return [
        fail(
          [...at, key],
          'catalogue.condition_type',
          `情形 "${s.id}" 是是/否问题，只能用 eq: true 或 false`,
          `situation "${s.id}" is yes/no: use eq with true or false`,
        ),
      ];
    }
    return [];
  }
  const allowed = new Set((s.options ?? []).map((o) => o.value));
  return values.flatMap((v, i) =>
    allowed.has(String(v)) && typeof v === 'string'
      ? []
      : [
          fail(
            'in' in cond ? [...at, 'in', i] : [...at, 'eq'],
            'catalogue.condition_value',
            `"${String(v)}" 不是情形 "${s.id}" 的选项`,
            `"${String(v)}" is not an option of situation "${s.id}"`,
          ),
        ],
  );
}

/**
 * The first cycle in the item graph, as the item codes along it (first = last), or null.
 * `after` edges point from an item to the items it waits for.
 */
export function findCycle(items: ReadonlyArray<Pick<BundleItem, 'item' | 'after'>>): string[] | null {
  const edges = new Map(items.map((i) => [i.item, i.after]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    const st = state.get(node);
    if (st === 'done') return null;
    if (st === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (!edges.has(next)) continue;
      const c = visit(next);
      if (c) return c;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const i of items) {
    const c = visit(i.item);
    if (c) return c;
  }
  return null;
}

/** Items in an order where each comes after the ones it waits for (the graph must be acyclic). */
export function topologicalOrder(items: ReadonlyArray<Pick<BundleItem, 'item' | 'after'>>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const byCode = new Map(items.map((i) => [i.item, i]));
  const visit = (code: string) => {
    if (seen.has(code)) return;
    seen.add(code);
    for (const dep of byCode.get(code)?.after ?? []) if (byCode.has(dep)) visit(dep);
    order.push(code);
  };
  for (const i of items) visit(i.item);
  return order;
}

export interface ItemContext {
  departments: ReadonlySet<string>;
}

/** Parses and checks a service item. Returns the parsed content or the field errors (pointers into it). */
export function checkItem(
  input: unknown,
  ctx: ItemContext,
  at: Path = [],
): { item?: ServiceItemContent; errors: FieldError[] } {
  const parsed = ServiceItemContent.safeParse(input);
  if (!parsed.success) return { errors: issuesToFieldErrors(parsed.error.issues, at) };
  const item = parsed.data;
  const errors: FieldError[] = [];
  if (!ctx.departments.has(item.departmentCode)) {
    errors.push(
      fail(
        [...at, 'departmentCode'],
        'catalogue.unknown_department',
        `部门 "${item.departmentCode}" 不存在`,
        `department "${item.departmentCode}" does not exist`,
      ),
    );
  }
  const region = lookupDivision(item.regionCode);
  if (region.status !== 'current') {
    errors.push(
      fail(
        [...at, 'regionCode'],
        'catalogue.region_not_current',
        `行政区划代码 ${item.regionCode} 不是现行代码`,
        `division code ${item.regionCode} is not a current code`,
      ),
    );
  }
  if (item.statutoryDays !== null && item.promisedDays > item.statutoryDays) {
    errors.push(
      fail(
        [...at, 'promisedDays'],
        'catalogue.promise_exceeds_law',
        `承诺时限（${item.promisedDays}）不得超过法定时限（${item.statutoryDays}）个工作日`,
        `the promised limit (${item.promisedDays}) may not exceed the statutory limit (${item.statutoryDays}) working days`,
      ),
    );
  }
  const seen = new Set<string>();
  item.materials.forEach((m, i) => {
    if (seen.has(m.id))
      errors.push(
        fail(
          [...at, 'materials', i, 'id'],
          'catalogue.duplicate_id',
          `材料编号 "${m.id}" 重复`,
          `material id "${m.id}" is used twice`,
        ),
      );
    seen.add(m.id);
    if (m.toleratedGapAllowed && m.required === false) {
      errors.push(
        fail(
          [...at, 'materials', i, 'toleratedGapAllowed'],
          'catalogue.gap_on_optional',
          '容缺只适用于必需材料',
          'a tolerated gap (容缺) applies only to a required material',
        ),
      );
    }
  });
  errors.push(...checkJsonSchema(item.fields, [...at, 'fields']));
  return errors.length ? { errors } : { item, errors };
}

export interface BundleContext {
  departments: ReadonlySet<string>;
  /** The item version each bundle item resolves to (pinned or latest published), by item code. */
  items: ReadonlyMap<string, { version: number; content: ServiceItemContent }>;
  /** Published versions that exist, to report a pinned version that does not. */
  publishedVersions: ReadonlyMap<string, ReadonlySet<number>>;
}

/** Parses and checks a bundle against the catalogue it will be published into. */
export function checkBundle(
  input: unknown,
  ctx: BundleContext,
  at: Path = [],
): { bundle?: BundleContent; errors: FieldError[] } {
  const parsed = BundleContent.safeParse(input);
  if (!parsed.success) return { errors: issuesToFieldErrors(parsed.error.issues, at) };
  const b = parsed.data;
  const errors: FieldError[] = [];

  const dept = (code: string, path: Path) => {
    if (!ctx.departments.has(code))
      errors.push(
        fail(path, 'catalogue.unknown_department', `部门 "${code}" 不存在`, `department "${code}" does not exist`),
      );
  };
  dept(b.leadDepartment, [...at, 'leadDepartment']);
  b.supportingDepartments.forEach((d, i) => dept(d, [...at, 'supportingDepartments', i]));
  if (lookupDivision(b.regionCode).status !== 'current') {
    errors.push(
      fail(
        [...at, 'regionCode'],
        'catalogue.region_not_current',
        `行政区划代码 ${b.regionCode} 不是现行代码`,
        `division code ${b.regionCode} is not a current code`,
      ),
    );
  }

  // Situations: unique ids, options where the type needs them, conditions on earlier questions only.
  const situations = new Map<string, Situation>();
  b.situations.forEach((s, i) => {
    if (situations.has(s.id))
      errors.push(
        fail(
          [...at, 'situations', i, 'id'],
          'catalogue.duplicate_id',
          `情形编号 "${s.id}" 重复`,
          `situation id "${s.id}" is used twice`,
        ),
      );
    if (s.type === 'choice' && !s.options)
      errors.push(
        fail(
          [...at, 'situations', i, 'options'],
          'catalogue.options_required',
          '选择题必须列出选项',
          'a choice situation needs options',
        ),
      );
    if (s.type === 'boolean' && s.options)
      errors.push(
        fail(
          [...at, 'situations', i, 'options'],
          'catalogue.options_not_allowed',
          '是/否问题不需要选项',
          'a yes/no situation takes no options',
        ),
      );
    if (s.when) errors.push(...checkCondition(s.when, situations, [...at, 'situations', i, 'when']));
    situations.set(s.id, s);
  });

  const formErrors = checkJsonSchema(b.form, [...at, 'form']);
  errors.push(...formErrors);
  const formPaths = schemaPaths(b.form);

  const checkItems = (items: BundleItem[], base: Path, allCodes: ReadonlySet<string>) => {
    const seenItems = new Set<string>();
    items.forEach((bi, i) => {
      const here = [...base, i];
      if (seenItems.has(bi.item))
        errors.push(
          fail(
            [...here, 'item'],
            'catalogue.duplicate_item',
            `事项 "${bi.item}" 重复列出`,
            `item "${bi.item}" is listed twice`,
          ),
        );
      seenItems.add(bi.item);
      const resolved = ctx.items.get(bi.item);
      if (!resolved) {
        const versions = ctx.publishedVersions.get(bi.item);
        if (bi.version !== undefined && versions && !versions.has(bi.version)) {
          errors.push(
            fail(
              [...here, 'version'],
              'catalogue.unknown_item_version',
              `事项 "${bi.item}" 没有已发布的第 ${bi.version} 版`,
              `item "${bi.item}" has no published version ${bi.version}`,
            ),
          );
        } else {
          errors.push(
            fail(
              [...here, 'item'],
              'catalogue.unknown_item',
              `事项 "${bi.item}" 不存在或尚未发布`,
              `item "${bi.item}" does not exist or is not published`,
            ),
          );
        }
      }
      if (bi.when) errors.push(...checkCondition(bi.when, situations, [...here, 'when']));
      bi.after.forEach((dep, j) => {
        if (!allCodes.has(dep))
          errors.push(
            fail(
              [...here, 'after', j],
              'catalogue.unknown_dependency',
              `前置事项 "${dep}" 不在本件事中`,
              `prerequisite "${dep}" is not an item of this bundle`,
            ),
          );
        if (dep === bi.item)
          errors.push(
            fail(
              [...here, 'after', j],
              'catalogue.cycle',
              `事项 "${dep}" 不能以自身为前置`,
              `item "${dep}" cannot wait for itself`,
            ),
          );
      });
      const itemFields = resolved ? schemaPaths(resolved.content.fields) : null;
      for (const [formField, itemField] of Object.entries(bi.map)) {
        if (formErrors.length === 0 && !formPaths.has(formField)) {
          errors.push(
            fail(
              [...here, 'map', formField],
              'catalogue.unknown_form_field',
              `表单中没有字段 "${formField}"`,
              `the form has no field "${formField}"`,
            ),
          );
        }
        if (itemFields && !itemFields.has(itemField)) {
          errors.push(
            fail(
              [...here, 'map', formField],
              'catalogue.unknown_item_field',
              `事项 "${bi.item}" 没有字段 "${itemField}"`,
              `item "${bi.item}" has no field "${itemField}"`,
            ),
          );
        }
      }
    });
  };

  const codes = new Set(b.items.map((i) => i.item));
  checkItems(b.items, [...at, 'items'], codes);
  const cycle = findCycle(b.items);
  if (cycle) {
    const index = b.items.findIndex((i) => i.item === cycle[0]);
    errors.push(
      fail(
        [...at, 'items', index, 'after'],
        'catalogue.cycle',
        `事项之间存在循环依赖：${cycle.join(' → ')}`,
        `the items depend on each other in a cycle: ${cycle.join(' → ')}`,
      ),
    );
  }

  // One material set: each (item, material) pair used at most once, every required one covered.
  const covered = new Map<string, number>();
  const materialIds = new Set<string>();
  b.materials.forEach((m, i) => {
    if (materialIds.has(m.id))
      errors.push(
        fail(
          [...at, 'materials', i, 'id'],
          'catalogue.duplicate_id',
          `材料编号 "${m.id}" 重复`,
          `material id "${m.id}" is used twice`,
        ),
      );
    materialIds.add(m.id);
    if (m.when) errors.push(...checkCondition(m.when, situations, [...at, 'materials', i, 'when']));
    m.usedBy.forEach((u, j) => {
      const here = [...at, 'materials', i, 'usedBy', j];
      if (!codes.has(u.item)) {
        errors.push(
          fail(
            [...here, 'item'],
            'catalogue.unknown_item',
            `事项 "${u.item}" 不在本件事中`,
            `item "${u.item}" is not in this bundle`,
          ),
        );
        return;
      }
      const content = ctx.items.get(u.item)?.content;
      if (content && !content.materials.some((x) => x.id === u.material)) {
        errors.push(
          fail(
            [...here, 'material'],
            'catalogue.unknown_material',
            `事项 "${u.item}" 没有材料 "${u.material}"`,
            `item "${u.item}" has no material "${u.material}"`,
          ),
        );
      }
      const key = `${u.item}/${u.material}`;
      if (covered.has(key))
        errors.push(
          fail(
            here,
            'catalogue.duplicate_material_use',
            `材料 ${key} 已由另一份材料满足`,
            `material ${key} is already satisfied by another material`,
          ),
        );
      covered.set(key, i);
    });
  });
  b.items.forEach((bi, i) => {
    for (const m of ctx.items.get(bi.item)?.content.materials ?? []) {
      if (m.required && !covered.has(`${bi.item}/${m.id}`)) {
        errors.push(
          fail(
            [...at, 'items', i],
            'catalogue.material_not_covered',
            `事项 "${bi.item}" 的必需材料 "${m.id}" 不在本件事的材料清单中`,
            `required material "${m.id}" of item "${bi.item}" is not in the bundle's material list`,
          ),
        );
      }
    }
  });

  // Regional variants: known regions, known items, and the variant's own graph stays acyclic.
  b.variants.forEach((v, i) => {
    const here = [...at, 'variants', i];
    if (lookupDivision(v.regionCode).status !== 'current') {
      errors.push(
        fail(
          [...here, 'regionCode'],
          'catalogue.region_not_current',
          `行政区划代码 ${v.regionCode} 不是现行代码`,
          `division code ${v.regionCode} is not a current code`,
        ),
      );
    }
    v.excludeItems.forEach((code, j) => {
      if (!codes.has(code))
        errors.push(
          fail(
            [...here, 'excludeItems', j],
            'catalogue.unknown_item',
            `事项 "${code}" 不在本件事中`,
            `item "${code}" is not in this bundle`,
          ),
        );
    });
    const variantItems = [...b.items.filter((x) => !v.excludeItems.includes(x.item)), ...v.extraItems];
    const variantCodes = new Set(variantItems.map((x) => x.item));
    checkItems(v.extraItems, [...here, 'extraItems'], variantCodes);
    v.extraItems.forEach((x, j) => {
      if (codes.has(x.item))
        errors.push(
          fail(
            [...here, 'extraItems', j, 'item'],
            'catalogue.duplicate_item',
            `事项 "${x.item}" 已在本件事中`,
            `item "${x.item}" is already in the bundle`,
          ),
        );
    });
    const vc = findCycle(variantItems);
    if (vc)
      errors.push(
        fail(
          [...here, 'extraItems'],
          'catalogue.cycle',
          `地区版本中存在循环依赖：${vc.join(' → ')}`,
          `the variant's items depend on each other in a cycle: ${vc.join(' → ')}`,
        ),
      );
  });

  return errors.length ? { errors } : { bundle: b, errors };
}

/** The bundle with every item pinned to the version it resolved to: what a published version stores. */
export function pinBundle(bundle: BundleContent, items: BundleContext['items']): BundleContent {
  const pin = (bi: BundleItem): BundleItem => ({ ...bi, version: items.get(bi.item)?.version ?? bi.version });
  return {
    ...bundle,
    items: bundle.items.map(pin),
    variants: bundle.variants.map((v) => ({ ...v, extraItems: v.extraItems.map(pin) })),
  };
}

/** A stable hash of content: keys sorted, so that re-importing the same catalogue changes nothing. */
export function contentHash(value: unknown): string {
  return crypto.createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** Structural check of an import file; errors point into the file. */
export function parseCatalogueFile(input: unknown): { file?: CatalogueFile; errors: FieldError[] } {
  const parsed = CatalogueFile.safeParse(input);
  if (!parsed.success) return { errors: issuesToFieldErrors(parsed.error.issues) };
  return { file: parsed.data, errors: [] };
}

export type { LocalText };
