// One database interface over embedded PGlite (development, tests, single-process deployments) and
// PostgreSQL 15 through a pg Pool (production, anything multi-process). Repositories receive an Executor:
// a typed Drizzle handle plus raw SQL, bound to the pool or to the current transaction.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { getTableColumns, getTableName, is, SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTable } from 'drizzle-orm/pg-core';
import { auditKeysFromConfig, developmentAuditKeys, type AuditKeyRing } from './audit-keys.ts';
// No schema: the tables live with their modules, and only Drizzle's relational queries (db.query.*, unused) need one.
export type AppDb = PgDatabase<PgQueryResultHKT>;

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Executor {
  /** Typed query builder bound to this connection or transaction. */
  readonly db: AppDb;
  /** One parameterised statement ($1, $2 …). */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /**
   * The keys the audit rows written through this connection are signed with (platform/audit.ts): they travel
   * with the connection every service already holds, so that no caller of recordAudit can leave them out.
   */
  readonly auditKeys: AuditKeyRing;
}

export interface Database extends Executor {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: commit when it resolves, roll back when it throws. */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The embedded instance, for dumps in tests and backups. */
  readonly pglite?: PGlite;
}

type PgliteLike = Pick<PGlite, 'query' | 'exec'>;

function pgliteExecutor(client: PgliteLike, auditKeys: AuditKeyRing): Executor {
  let typed: AppDb | undefined;
  return {
    auditKeys,
    // Made on first use: a transaction that only sends raw SQL builds no Drizzle instance.
    get db() {
      return (typed ??= drizzlePglite(client as PGlite) as unknown as AppDb);
    },
    async query<R>(text: string, params: unknown[] = []) {
      const r = await client.query<R>(text, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(text: string) {
      await client.exec(text);
    },
  };
}

export interface OpenOptions {
  /** Default: the development key (platform/audit-keys.ts); openDatabase gives the configured AUDIT_KEY. */
  auditKeys?: AuditKeyRing;
}

export async function openPglite(
  options: { dataDir?: string; loadDataDir?: Blob | File } & OpenOptions = {},
): Promise<Database> {
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  const instance = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const auditKeys = options.auditKeys ?? developmentAuditKeys();
  const base = pgliteExecutor(instance, auditKeys);
  return {
    kind: 'pglite',
    pglite: instance,
    ...base,
    // PGlite is one connection: its transaction() queues other work until this one ends.
    transaction: (fn) => instance.transaction((tx) => fn(pgliteExecutor(tx, auditKeys))),
    close: () => instance.close(),
  };
}

function pgExecutor(client: pg.Pool | pg.PoolClient, auditKeys: AuditKeyRing): Executor {
  let typed: AppDb | undefined;
  return {
    auditKeys,
    get db() {
      return (typed ??= drizzlePg(client) as unknown as AppDb);
    },
    async query<R>(text: string, params: unknown[] = []) {
      const r = await client.query(text, params);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(text: string) {
      await client.query(text);
    },
  };
}

export async function openPostgres(url: string, options: { max?: number } & OpenOptions = {}): Promise<Database> {
  const auditKeys = options.auditKeys ?? developmentAuditKeys();
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 20 });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const probe = await pool.connect();
  probe.release();
  const base = pgExecutor(pool, auditKeys);
  return {
    kind: 'postgres',
    ...base,
    async transaction(fn) {
      const client = await pool.connect();
      // A checked-out client has no pool listener: if its connection dies (PostgreSQL restarted, network cut)
      // it emits 'error', which without a listener ends the process. The running query rejects anyway; the
      // broken client is discarded on release instead of going back to the pool.
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken = err;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(pgExecutor(client, auditKeys));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

export async function openDatabase(config: {
  DATABASE_URL?: string | undefined;
  dataDir: string;
  AUDIT_KEY?: string | undefined;
}): Promise<Database> {
  const auditKeys = auditKeysFromConfig(config);
  if (config.DATABASE_URL) return openPostgres(config.DATABASE_URL, { auditKeys });
  return openPglite({ dataDir: path.join(config.dataDir, 'pglite'), auditKeys });
}

/**
 * SQL saying that the char(6) region column `col` lies within the jurisdiction given by `param` (a placeholder such
 * as `$1`): for six-digit region codes the same as division_within(col, param), but as a range on the column, the
 * jurisdiction's prefix padded with 0s and with 9s, so that a query counting 100,000 cases of a department compares
 * index entries instead of calling a function and casting to text for each row (13 ms against 20, measured). A
 * prefix longer than six digits (a township's) contains no six-digit region, as with division_within.
 */
export function regionWithinSql(col: string, param: string): string {
  const p = `division_prefix(${param})`;
  return `(${col} BETWEEN rpad(${p}, 6, '0')::bpchar AND rpad(${p}, 6, '9')::bpchar AND length(${p}) <= 6)`;
}

/**
 * The SQLSTATE of a database error, also when Drizzle wrapped it (DrizzleQueryError keeps the driver's error, with
 * its `code`, as `cause`).
 */
export function sqlState(err: unknown): string | undefined {
  for (
    let e = err, depth = 0;
    typeof e === 'object' && e !== null && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** A unique constraint refused the row (23505). */
export function isUniqueViolation(err: unknown): boolean {
  return sqlState(err) === '23505';
}

/** Rows for one table of `insertTogether`, typed by the Drizzle table. */
export interface InsertPart<T extends PgTable = PgTable> {
  table: T;
  rows: T['$inferInsert'][];
  /** A column (its key) whose values the statement gives back, in ascending order (a bigserial's: the rows' order). */
  returning?: string | undefined;
}

/** A data-modifying statement of its own ($1, $2 … numbered from 1) that runs in the same statement. */
export interface RawPart {
  sql: string;
  params: unknown[];
}

export function rowsFor<T extends PgTable>(
  table: T,
  rows: T['$inferInsert'][],
  returning?: keyof T['$inferSelect'] & string,
): InsertPart<T> {
  return { table, rows, returning };
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Writes rows of several tables in one statement (data-modifying CTEs): atomic without BEGIN and COMMIT, and one
 * round trip instead of one per table plus two, which is what a submission's write costs most in (see
 * docs/adr/0009). Values go through each column's own mapping, as Drizzle's insert sends them; a column no row
 * gives takes its default, and a row without a value for a column another row gives sends DEFAULT. Foreign keys
 * between the parts hold: PostgreSQL checks them at the end of the statement. Gives back, per part with
 * `returning`, that column's values in ascending order (as strings or numbers as the driver reads them).
 */
export async function insertTogether(
  ex: Executor,
  parts: ReadonlyArray<InsertPart | RawPart>,
): Promise<Map<InsertPart, unknown[]>> {
  const params: unknown[] = [];
  const ctes: string[] = [];
  const outputs: string[] = [];
  const returned: InsertPart[] = [];
  parts.forEach((part, i) => {
    if ('sql' in part) {
      const offset = params.length;
      ctes.push(`w${i} AS (${part.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`);
      params.push(...part.params);
      return;
    }
    if (part.rows.length === 0) return;
    const columns = Object.entries(getTableColumns(part.table)).filter(([key]) =>
      part.rows.some((r) => (r as Record<string, unknown>)[key] !== undefined),
    );
    const values = part.rows.map((row) => {
      const cells = columns.map(([key, column]) => {
        const v = (row as Record<string, unknown>)[key];
        if (v === undefined) return 'DEFAULT';
        if (v instanceof SQL)
          throw new TypeError(
            `insertTogether: ${getTableName(part.table)}.${column.name} is an SQL expression; give a value`,
          );
        params.push(v === null ? null : column.mapToDriverValue(v));
        return `$${params.length}`;
      });
      return `(${cells.join(', ')})`;
    });
    let returning = '';
    if (part.returning) {
      const column = getTableColumns(part.table)[part.returning];
      if (!column) throw new TypeError(`insertTogether: ${getTableName(part.table)} has no column ${part.returning}`);
      returning = ` RETURNING ${quote(column.name)} AS v`;
      outputs.push(`(SELECT coalesce(array_agg(v ORDER BY v), '{}') FROM w${i}) AS r${outputs.length}`);
      returned.push(part);
    }
    ctes.push(
      `w${i} AS (INSERT INTO ${quote(getTableName(part.table))} (${columns.map(([, c]) => quote(c.name)).join(', ')}) VALUES ${values.join(', ')}${returning})`,
    );
  });
  const out = new Map<InsertPart, unknown[]>();
  if (ctes.length === 0) return out;
  const { rows } = await ex.query<Record<string, unknown[]>>(
    `WITH ${ctes.join(', ')} SELECT ${outputs.length ? outputs.join(', ') : '1 AS done'}`,
    params,
  );
  returned.forEach((part, k) => out.set(part, rows[0]![`r${k}`]!));
  return out;
}

/**
 * A row inserted by `insertTogether` as a select would read it back: the values given, JSON columns through a JSON
 * round trip (as jsonb keeps them), columns not given their constant default or null. A column whose default the
 * database computes (now(), a sequence) must be given, so that what is returned is what is stored.
 */
export function asStored<T extends PgTable>(table: T, row: T['$inferInsert']): T['$inferSelect'] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    let v = (row as Record<string, unknown>)[key];
    if (v === undefined) {
      if (column.hasDefault && (column.default === undefined || is(column.default, SQL))) {
        throw new TypeError(
          `asStored: ${getTableName(table)}.${column.name} has a default computed by the database; give its value`,
        );
      }
      v = column.default ?? null;
    }
    out[key] = column.dataType === 'json' && v !== null ? JSON.parse(JSON.stringify(v)) : v;
  }
  return out as T['$inferSelect'];
}
