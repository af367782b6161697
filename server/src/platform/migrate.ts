// One runner for server/migrations/NNNN_name.sql, the same in development, tests and production.
// Applied files are recorded with a SHA-256; an edited applied file stops start-up instead of drifting.
// On PostgreSQL an advisory lock keeps two starting instances from migrating at once.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './db.ts';
import type { PiiSealer } from './pii.ts';
import { runPendingDataSteps } from '../ops/pii-seal.ts';
import { sealAuditLog } from './audit-checkpoints.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface Migration {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((file) => {
    const m = /^(\d{4})_([a-z0-9-]+)\.sql$/.exec(file);
    if (!m) throw new Error(`migration file name must look like 0001_name.sql: ${file}`);
    const sql = fs.readFileSync(path.join(dir, file), 'utf8');
    return { id: Number(m[1]), name: m[2]!, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
  });
}

/** `pii`: the sealer of the configuration's keys, which the data steps encrypt with. */
export async function migrate(
  database: Database,
  pii: PiiSealer,
  dir = MIGRATIONS_DIR,
): Promise<{ applied: string[] }> {
  const migrations = readMigrations(dir);
  const applied: string[] = [];
  await database.transaction(async (tx) => {
    if (database.kind === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(hashtext('onething.migrate'))`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ id: number; name: string; checksum: string }>(
      'SELECT id, name, checksum FROM schema_migrations',
    );
    const done = new Map(rows.map((r) => [r.id, r]));
    for (const m of migrations) {
      const prior = done.get(m.id);
      if (prior) {
        if (prior.checksum !== m.checksum) {
          throw new Error(
            `migration ${m.id}_${m.name} was changed after it was applied (checksum differs); add a new migration instead`,
          );
        }
        continue;
      }
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (id, name, checksum) VALUES ($1, $2, $3)', [
        m.id,
        m.name,
        m.checksum,
      ]);
      applied.push(`${String(m.id).padStart(4, '0')}_${m.name}`);
    }
  });
  // Data steps a migration asked for and SQL cannot do (encryption needs the keys from the configuration): after
  // the SQL committed, before anything is served, in batches of their own; a crash leaves them pending for the
  // next start. With this directory's migrations only (a test's private directory has none of them). The audit
  // log's seal (migration 0013) clears its own step, first: it covers the rows as the SQL left them.
  if (dir === MIGRATIONS_DIR) {
    await sealAuditLog(database);
    await runPendingDataSteps(database, pii);
  }
  return { applied };
}
