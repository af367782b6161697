// The subset of JSON Schema that bundle forms use (objects, strings with length/pattern/enum, numbers,
// integers, booleans, arrays of enums), interpreted for rendering and checked in the browser with the same
// meaning the server's Ajv gives it, so the user sees a problem as they type instead of after submitting.
// Pure: no React, no i18n; messages are chosen from the issue codes by the renderer.

export interface FieldSchema {
  type?: string;
  title?: string;
  description?: string;
  properties?: Record<string, FieldSchema>;
  required?: string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: Array<string | number>;
  minimum?: number;
  maximum?: number;
  items?: FieldSchema;
  uniqueItems?: boolean;
  readOnly?: boolean;
  'x-prefill'?: string;
  /** The order of `properties` to show, where the schema's own key order may have been lost in storage. */
  'x-order'?: string[];
}

/**
 * An object's properties in display order: `x-order` first when given, then the rest as they come. (A schema
 * kept in PostgreSQL jsonb comes back with its keys sorted by length, not in the author's order.)
 */
export function propertiesOf(s: FieldSchema): Array<[string, FieldSchema]> {
  const entries = Object.entries(s.properties ?? {});
  const order = s['x-order'];
  if (!order?.length) return entries;
  const rank = new Map(order.map((k, i) => [k, i]));
  return entries
    .map((e, i) => [e, rank.get(e[0]) ?? order.length + i] as const)
    .sort((a, b) => a[1] - b[1])
    .map(([e]) => e);
}

export type Widget = 'section' | 'text' | 'date' | 'choice' | 'number' | 'integer' | 'boolean' | 'multi';

export type IssueCode =
  | 'required'
  | 'minLength'
  | 'maxLength'
  | 'pattern'
  | 'date'
  | 'enum'
  | 'type'
  | 'minimum'
  | 'maximum'
  | 'uniqueItems';

export interface Issue {
  path: string[];
  code: IssueCode;
  params: Record<string, string | number>;
}

/** Patterns that mean "a calendar date": rendered with a date picker, checked as a real date. */
const DATE_PATTERNS = new Set(['^[0-9]{4}-[0-9]{2}-[0-9]{2}$', '^\\d{4}-\\d{2}-\\d{2}$']);

export function widgetOf(s: FieldSchema): Widget {
  if (s.type === 'object' || s.properties) return 'section';
  if (s.type === 'array' && s.items?.enum) return 'multi';
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'integer') return 'integer';
  if (s.type === 'number') return 'number';
  if (s.enum) return 'choice';
  if (s.format === 'date' || (s.pattern && DATE_PATTERNS.has(s.pattern))) return 'date';
  return 'text';
}

/** A short name for a well-known pattern, so the message can say what is expected ("18 digits, last may be X"). */
export function patternHint(
  pattern: string | undefined,
): 'idNumber' | 'mobile' | 'date' | 'digits' | 'creditCode' | undefined {
  if (!pattern) return undefined;
  if (pattern === '^[0-9]{17}[0-9Xx]$') return 'idNumber';
  if (pattern === '^1[0-9]{10}$') return 'mobile';
  if (DATE_PATTERNS.has(pattern)) return 'date';
  if (/^\^\[0-9\]\{\d+,\d+\}\$$/.test(pattern)) return 'digits';
  if (pattern.startsWith('^[0-9A-HJ-NPQRTUWXY]{2}')) return 'creditCode';
  return undefined;
}

export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).every(isEmpty);
  return false;
}

function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The problem with one present (non-empty) value, or null. Length counts code points, as JSON Schema does. */
export function checkValue(s: FieldSchema, value: unknown): Omit<Issue, 'path'> | null {
  const w = widgetOf(s);
  if (w === 'multi') {
    if (!Array.isArray(value)) return { code: 'type', params: {} };
    const allowed = s.items?.enum ?? [];
    if (value.some((v) => !allowed.includes(v as string))) return { code: 'enum', params: {} };
    if (s.uniqueItems && new Set(value).size !== value.length) return { code: 'uniqueItems', params: {} };
    return null;
  }
  if (w === 'boolean') return typeof value === 'boolean' ? null : { code: 'type', params: {} };
  if (w === 'number' || w === 'integer') {
    if (typeof value !== 'number' || !Number.isFinite(value) || (w === 'integer' && !Number.isInteger(value)))
      return { code: 'type', params: { type: w } };
    if (s.minimum !== undefined && value < s.minimum) return { code: 'minimum', params: { min: s.minimum } };
    if (s.maximum !== undefined && value > s.maximum) return { code: 'maximum', params: { max: s.maximum } };
    return null;
  }
  if (typeof value !== 'string') return { code: 'type', params: { type: 'string' } };
  if (s.enum && !s.enum.includes(value)) return { code: 'enum', params: {} };
  const length = [...value].length;
  if (s.minLength !== undefined && length < s.minLength) return { code: 'minLength', params: { min: s.minLength } };
  if (s.maxLength !== undefined && length > s.maxLength) return { code: 'maxLength', params: { max: s.maxLength } };
  if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) return { code: 'pattern', params: { pattern: s.pattern } };
  if (w === 'date' && !isRealDate(value)) return { code: 'date', params: {} };
  return null;
}

/** Follows a path of property names into the schema. */
export function fieldAt(schema: FieldSchema, path: readonly string[]): FieldSchema | undefined {
  let s: FieldSchema | undefined = schema;
  for (const key of path) s = s?.properties?.[key];
  return s;
}

export function valueAt(data: unknown, path: readonly string[]): unknown {
  let v = data;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/**
 * Whether the field at `path` must have a value. JSON Schema's `required` binds only inside an object
 * that is there: a field listed as required under an optional section is required once the user has
 * started that section, not before.
 */
export function isRequired(schema: FieldSchema, data: unknown, path: readonly string[]): boolean {
  if (path.length === 0) return false;
  const parentPath = path.slice(0, -1);
  const parent = fieldAt(schema, parentPath);
  if (!parent?.required?.includes(path[path.length - 1]!)) return false;
  return parentPath.length === 0 || isRequired(schema, data, parentPath) || !isEmpty(valueAt(data, parentPath));
}

/** Every problem in a whole document, in the order of the schema. */
export function validateDocument(schema: FieldSchema, data: unknown): Issue[] {
  const issues: Issue[] = [];
  const walk = (s: FieldSchema, at: string[]) => {
    for (const [key, sub] of propertiesOf(s)) {
      const path = [...at, key];
      if (widgetOf(sub) === 'section') {
        walk(sub, path);
        continue;
      }
      const v = valueAt(data, path);
      if (isEmpty(v)) {
        if (isRequired(schema, data, path)) issues.push({ path, code: 'required', params: {} });
      } else {
        const problem = checkValue(sub, v);
        if (problem) issues.push({ path, ...problem });
      }
    }
  };
  walk(schema, []);
  return issues;
}

/** The document as the API should get it: no empty strings, nulls or empty sections (the form keeps them). */
export function cleanValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v : undefined;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const c = cleanValue(x);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (v === null || v === '' || v === undefined) return undefined;
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  return v;
}

/** "/form/child/name" → ["child", "name"] (RFC 6901 pointers as the API's problems carry them). */
export function pointerToPath(pointer: string, prefix = '/form'): string[] | null {
  if (!pointer.startsWith(prefix)) return null;
  return pointer
    .slice(prefix.length)
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The top-level sections of a form (the pages of the elderly mode's one-section-per-screen form). */
export function sectionsOf(schema: FieldSchema): string[] {
  return propertiesOf(schema).map(([k]) => k);
}
