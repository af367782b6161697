// Errors as typed values. Each context declares its codes in a table in @onething/shared (code, HTTP status,
// title in Chinese and English); services throw AppError with an entry of that table and the parameters its
// title takes; http.ts renders RFC 9457 problem+json. Services never choose HTTP statuses or messages themselves.
import type { FieldError, ProblemArgs, ProblemDef } from '@onething/shared/problem';

export class AppError<D extends ProblemDef = ProblemDef> extends Error {
  readonly def: ProblemDef;
  readonly params: Readonly<Record<string, string | number>>;
  readonly errors: FieldError[];
  constructor(def: D, ...[params, errors]: ProblemArgs<D>) {
    super(def.code);
    this.def = def;
    this.params = params ?? {};
    this.errors = errors ?? [];
  }
  get code(): string {
    return this.def.code;
  }
}

/**
 * Every error table of the app, checked once: a code declared twice (in two contexts, or twice in one) is a
 * programming error that refuses the start. Returns each code's entry.
 */
export function registerErrors(tables: Record<string, Record<string, ProblemDef>>): ReadonlyMap<string, ProblemDef> {
  const byCode = new Map<string, ProblemDef>();
  const owner = new Map<string, string>();
  for (const [tableName, table] of Object.entries(tables)) {
    for (const [key, def] of Object.entries(table)) {
      const where = `${tableName}.${key}`;
      const first = owner.get(def.code);
      if (first) throw new Error(`error code ${def.code} declared twice: ${first} and ${where}`);
      owner.set(def.code, where);
      byCode.set(def.code, def);
    }
  }
  return byCode;
}
