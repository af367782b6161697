// The problem+json vocabulary (RFC 9457) both sides speak: bilingual texts, field errors with JSON Pointers, the
// body a refused request gets, and error tables whose codes, statuses and messages the compiler checks.

export type Lang = 'zh' | 'en';

export type { LocalText } from '../text/index.ts';
import type { LocalText } from '../text/index.ts';

/** A problem with one field: a JSON Pointer (RFC 6901) into the request part or the document named. */
export interface FieldError {
  pointer: string;
  code: string;
  detail: LocalText;
}

/** A field error as the body carries it: in the caller's language, and which request part it points into. */
export interface ProblemFieldError {
  pointer: string;
  in?: string;
  code: string;
  detail: string;
}

/** The application/problem+json body of every refused request. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: ProblemFieldError[];
}

/** JSON Pointer from a path of keys and indexes. */
export function toPointer(path: ReadonlyArray<PropertyKey>): string {
  return `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** The names a message template takes in braces: 'locked for {minutes} minutes' → 'minutes'. */
export type ParamsOf<S extends string> = S extends `${string}{${infer K}}${infer Rest}` ? K | ParamsOf<Rest> : never;

/** The values a message needs, one per name in either language's template. */
export type MessageParams<T extends LocalText> = {
  readonly [K in ParamsOf<T['zh']> | ParamsOf<T['en']>]: string | number;
};

export function interpolate(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

/** One error a context may answer with: its stable namespaced code, HTTP status and title in both languages. */
export interface ProblemDef {
  readonly code: string;
  readonly status: number;
  readonly title: LocalText;
}

/** The message of one field error, with the code the field error carries. */
export interface FieldDef {
  readonly code: string;
  readonly detail: LocalText;
}

/** A context's error table; `const` keeps each code and template literal, so parameters are checked. */
export function defineProblems<const T extends Record<string, ProblemDef>>(table: T): T {
  return table;
}

/** A context's table of field-error messages. */
export function defineFieldErrors<const T extends Record<string, FieldDef>>(table: T): T {
  return table;
}

/** The arguments after the def: the parameters when its messages have any, then the field errors. */
export type ProblemArgs<D extends ProblemDef> = [keyof MessageParams<D['title']>] extends [never]
  ? [params?: Readonly<Record<string, never>>, errors?: FieldError[]]
  : [params: MessageParams<D['title']>, errors?: FieldError[]];

/** A field error's parameters may be bilingual themselves (an item's name): each language takes its own. */
export type FieldParams<T extends LocalText> = {
  readonly [K in ParamsOf<T['zh']> | ParamsOf<T['en']>]: string | number | LocalText;
};

export type FieldArgs<D extends FieldDef> = [keyof FieldParams<D['detail']>] extends [never]
  ? []
  : [params: FieldParams<D['detail']>];

/** A context's bilingual message templates that are not errors themselves (a suffix, a composed detail). */
export function defineMessages<const T extends Record<string, LocalText>>(table: T): T {
  return table;
}

/** A field error from a table entry, its message filled in with the parameters. */
export function fieldError<D extends FieldDef>(pointer: string, def: D, ...[params]: FieldArgs<D>): FieldError {
  return { pointer, code: def.code, detail: localize(def.detail, params ?? {}) };
}

/** A bilingual template filled in, each language with its own side of a bilingual parameter. */
export function localize(
  template: LocalText,
  params: Readonly<Record<string, string | number | LocalText>>,
): LocalText {
  const side = (lang: Lang) =>
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'object' ? v[lang] : v]));
  return { zh: interpolate(template.zh, side('zh')), en: interpolate(template.en, side('en')) };
}
