// The personal-data pass over the database: encrypts what is still plaintext, re-encrypts what an older key
// made, recomputes keyed hashes, empties the legacy plaintext columns and masks notification payloads, display
// names and key-item notes; given the data directory, it also seals the uploaded files still stored as uploaded
// and re-seals those an older key sealed. One function serves two callers: the data step of migrations 0006 and
// 0015 (run by migrate() before anything is served; the database only) and `onething pii seal` / `pii rotate`
// (files too; after a new key was put first in PII_KEYS, or to seal files from before 0015). Idempotent and
// resumable: each batch is its own transaction, keyed by primary key order, and a row already under the active key
// is left alone, so running it again after a crash only finishes the rest.
import fs from 'node:fs';
import path from 'node:path';
import type { Database, Executor } from '../platform/db.ts';
import { readUpload, sha256Hex, uploadStorageKey, writeUpload } from '../platform/uploads.ts';
import { envelopeKeyId, hasPlaintextPii, isEnvelope, type PiiSealer } from '../platform/pii.ts';

/** Columns that may hold ID or phone numbers in a JSON document or free text, by table. */
interface Target {
  table: string;
  /** The report's name for it, when a table has two targets. */
  name?: string;
  /** The primary key columns, for keyset batches. */
  key: string[];
  /** jsonb columns, and (textColumns) free-text columns. */
  columns: string[];
  textColumns?: string[];
  /** seal: encrypt the strings that hold numbers; mask: keep only masked numbers (nobody needs them in full). */
  how: 'seal' | 'mask';
}

export const PERSONAL_DATA_TARGETS: Target[] = [
  { table: 'applications', key: ['id'], columns: ['answers', 'form', 'materials'], how: 'seal' },
  { table: 'application_drafts', key: ['id'], columns: ['answers', 'form', 'materials'], how: 'seal' },
  { table: 'profile_attributes', key: ['account_id', 'attribute'], columns: ['value'], how: 'seal' },
  {
    table: 'cases',
    key: ['id'],
    columns: ['data', 'inputs', 'tolerated_gap'],
    textColumns: ['decision_reason'],
    how: 'seal',
  },
  { table: 'case_events', key: ['id'], columns: ['data'], textColumns: ['reason'], how: 'seal' },
  { table: 'correction_notices', key: ['id'], columns: ['problems', 'supplied'], textColumns: ['note'], how: 'seal' },
  { table: 'proxies', key: ['id'], columns: ['consent'], textColumns: ['revoke_reason'], how: 'seal' },
  { table: 'files', name: 'files.file_name', key: ['id'], columns: [], textColumns: ['file_name'], how: 'seal' },
  { table: 'notifications', key: ['id'], columns: ['payload'], how: 'mask' },
  // Shown everywhere and needed in full by nobody: masked where they are written (docs/adr/0023).
  {
    table: 'accounts',
    name: 'accounts.display_name',
    key: ['id'],
    columns: [],
    textColumns: ['display_name'],
    how: 'mask',
  },
  { table: 'applications', name: 'applications.on_behalf', key: ['id'], columns: ['on_behalf'], how: 'mask' },
  { table: 'key_items', key: ['id'], columns: [], textColumns: ['note'], how: 'mask' },
];

/**
 * Columns that hold one number each as an envelope, with its keyed hash beside it (or none): the claims and the
 * registers of identity proofing (migration 0014) and the destination of a proofing code. Rotation re-encrypts
 * them and recomputes the hashes; plaintext never stood in them. A primary key that is itself a hash may change
 * in a batch: the row then sorts again later and is left alone the second time.
 */
interface SealedColumns {
  table: string;
  key: string;
  pairs: Array<{ enc: string; hash: string | null; kind: 'id_number' | 'phone' }>;
}

export const SEALED_COLUMNS: SealedColumns[] = [
  {
    table: 'accounts',
    key: 'id',
    pairs: [{ enc: 'claimed_id_number_enc', hash: 'claimed_id_number_hash', kind: 'id_number' }],
  },
  {
    table: 'person_register',
    key: 'id_number_hash',
    pairs: [
      { enc: 'id_number_enc', hash: 'id_number_hash', kind: 'id_number' },
      { enc: 'phone_enc', hash: 'phone_hash', kind: 'phone' },
    ],
  },
  {
    table: 'enterprise_register',
    key: 'uscc',
    pairs: [
      {
        enc: 'legal_representative_id_number_enc',
        hash: 'legal_representative_id_number_hash',
        kind: 'id_number',
      },
    ],
  },
  { table: 'login_challenges', key: 'id', pairs: [{ enc: 'destination_enc', hash: null, kind: 'phone' }] },
];

export interface SealReport {
  accounts: number;
  rows: Record<string, number>;
  /**
   * Uploaded files sealed or sealed again under the active key, and those whose file is not where their row says
   * (left as they are); null: the pass was not given the data directory.
   */
  files: { sealed: number; missing: string[] } | null;
  /** Rows of the append-only audit log that hold a plaintext number (written before 0006; they cannot change). */
  auditRowsWithPlaintext: number;
}

const BATCH = 500;

export async function sealPersonalData(
  db: Database,
  pii: PiiSealer,
  options: { batch?: number; log?: (line: string) => void; dataDir?: string } = {},
): Promise<SealReport> {
  const batch = options.batch ?? BATCH;
  const report: SealReport = {
    accounts: await sealAccounts(db, pii, batch),
    rows: {},
    files: null,
    auditRowsWithPlaintext: 0,
  };
  options.log?.(`accounts: ${report.accounts} rewritten`);
  for (const t of PERSONAL_DATA_TARGETS) {
    const name = t.name ?? t.table;
    report.rows[name] = await sealTable(db, t, pii, batch);
    options.log?.(`${name}: ${report.rows[name]} rewritten`);
  }
  if (options.dataDir !== undefined) {
    report.files = await sealFiles(db, pii, options.dataDir, batch);
    options.log?.(`uploaded files: ${report.files.sealed} sealed`);
    if (report.files.missing.length)
      options.log?.(`uploaded files not found where their rows say: ${report.files.missing.join(', ')}`);
  }
  for (const c of SEALED_COLUMNS) {
    const name = `${c.table}.${c.pairs.map((p) => p.enc).join('+')}`;
    report.rows[name] = await sealColumns(db, c, pii, batch);
    options.log?.(`${name}: ${report.rows[name]} rewritten`);
  }
  report.auditRowsWithPlaintext = await countAuditPlaintext(db);
  return report;
}

/** The data step owed after migration 0006 (pending_data_steps), if still owed. */
export async function runPendingDataSteps(db: Database, pii: PiiSealer): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`SELECT name FROM pending_data_steps ORDER BY created_at, name`);
  const done: string[] = [];
  for (const { name } of rows) {
    if (name !== 'seal-personal-data') throw new Error(`unknown pending data step ${name}`);
    await sealPersonalData(db, pii);
    await db.query('DELETE FROM pending_data_steps WHERE name = $1', [name]);
    done.push(name);
  }
  return done;
}

type AccountPii = {
  id: string;
  id_number: string | null;
  phone: string | null;
  id_number_enc: string | null;
  id_number_hash: string | null;
  phone_enc: string | null;
  phone_hash: string | null;
};

async function sealAccounts(db: Database, pii: PiiSealer, batch: number): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let changed = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const { rows } = await tx.query<AccountPii>(
        `SELECT id, id_number, phone, id_number_enc, id_number_hash, phone_enc, phone_hash FROM accounts WHERE id > $1 ORDER BY id LIMIT ${batch} FOR UPDATE`,
        [after],
      );
      for (const r of rows) {
        const id = field(r.id_number, r.id_number_enc, r.id_number_hash, 'id_number', pii);
        const phone = field(r.phone, r.phone_enc, r.phone_hash, 'phone', pii);
        if (id.changed || phone.changed) {
          await tx.query(
            'UPDATE accounts SET id_number = NULL, phone = NULL, id_number_enc = $2, id_number_hash = $3, phone_enc = $4, phone_hash = $5 WHERE id = $1',
            [r.id, id.enc, id.hash, phone.enc, phone.hash],
          );
          changed++;
        }
      }
      if (rows.length) after = rows[rows.length - 1]!.id;
      return rows.length;
    });
    if (n < batch) return changed;
  }
}

function field(
  plain: string | null,
  enc: string | null,
  hash: string | null,
  kind: 'id_number' | 'phone',
  pii: PiiSealer,
) {
  const value =
    plain !== null
      ? kind === 'id_number'
        ? plain.trim().toUpperCase()
        : plain.trim()
      : enc !== null
        ? pii.decrypt(enc)
        : null;
  if (value === null) return { enc: null, hash: null, changed: false };
  const newHash = pii.blindIndex(value, kind);
  const keep = plain === null && enc !== null && envelopeKeyId(enc) === pii.activeKeyId;
  const newEnc = keep ? enc : pii.encrypt(value);
  return { enc: newEnc, hash: newHash, changed: plain !== null || !keep || newHash !== hash };
}

async function sealColumns(db: Database, c: SealedColumns, pii: PiiSealer, batch: number): Promise<number> {
  let after: string | null = null;
  let changed = 0;
  const columns = c.pairs.flatMap((p) => [p.enc, ...(p.hash ? [p.hash] : [])]);
  for (;;) {
    const n: number = await db.transaction(async (tx: Executor) => {
      const { rows } = await tx.query<Record<string, string | null>>(
        `SELECT ${c.key}::text AS k, ${columns.join(', ')} FROM ${c.table}
          WHERE (${c.pairs.map((p) => `${p.enc} IS NOT NULL`).join(' OR ')}) ${after !== null ? `AND ${c.key}::text > $1` : ''}
          ORDER BY ${c.key}::text LIMIT ${batch} FOR UPDATE`,
        after !== null ? [after] : [],
      );
      for (const r of rows) {
        const set: string[] = [];
        const params: unknown[] = [r.k];
        for (const p of c.pairs) {
          const f = field(null, r[p.enc] ?? null, p.hash ? (r[p.hash] ?? null) : null, p.kind, pii);
          const hashChanged = p.hash !== null && f.hash !== r[p.hash];
          if (f.enc === r[p.enc] && !hashChanged) continue;
          params.push(f.enc);
          set.push(`${p.enc} = $${params.length}`);
          if (p.hash) {
            params.push(f.hash);
            set.push(`${p.hash} = $${params.length}`);
          }
        }
        if (set.length) {
          await tx.query(`UPDATE ${c.table} SET ${set.join(', ')} WHERE ${c.key}::text = $1`, params);
          changed++;
        }
      }
      if (rows.length) after = rows[rows.length - 1]!.k!;
      return rows.length;
    });
    if (n < batch) return changed;
  }
}

async function sealTable(db: Database, t: Target, pii: PiiSealer, batch: number): Promise<number> {
  const keyList = t.key.join(', ');
  let after: unknown[] | null = null;
  let changed = 0;
  for (;;) {
    const n: number = await db.transaction(async (tx: Executor) => {
      const where = after ? `WHERE (${keyList}) > (${t.key.map((_, i) => `$${i + 1}`).join(', ')})` : '';
      // Keys as text (a bigserial id stays exact), documents as JSON text parsed here: a jsonb string value must
      // stay a JSON string, whichever driver reads it.
      const select = [
        ...t.key.map((k) => `${k}::text AS "k_${k}"`),
        ...t.columns.map((c) => `${c}::text AS "c_${c}"`),
        ...(t.textColumns ?? []).map((c) => `${c} AS "t_${c}"`),
      ].join(', ');
      const { rows } = await tx.query<Record<string, unknown>>(
        `SELECT ${select} FROM ${t.table} ${where} ORDER BY ${keyList} LIMIT ${batch} FOR UPDATE`,
        after ?? [],
      );
      for (const r of rows) {
        const set: string[] = [];
        const params: unknown[] = t.key.map((k) => r[`k_${k}`]);
        for (const c of [...t.columns, ...(t.textColumns ?? [])]) {
          const isJson = t.columns.includes(c);
          const raw = r[isJson ? `c_${c}` : `t_${c}`];
          if (raw === null || raw === undefined) continue;
          const v: unknown = isJson ? JSON.parse(raw as string) : raw;
          const next = rewrite(v, t.how, pii);
          if (next === undefined) continue;
          params.push(isJson ? JSON.stringify(next) : next);
          set.push(`${c} = $${params.length}${isJson ? '::jsonb' : ''}`);
        }
        if (set.length) {
          await tx.query(
            `UPDATE ${t.table} SET ${set.join(', ')} WHERE (${keyList}) = (${t.key.map((_, i) => `$${i + 1}`).join(', ')})`,
            params,
          );
          changed++;
        }
      }
      if (rows.length) {
        const last = rows[rows.length - 1]!;
        after = t.key.map((k) => last[`k_${k}`]);
      }
      return rows.length;
    });
    if (n < batch) return changed;
  }
}

/** The value rewritten, or undefined when it is already as it should be. */
function rewrite(v: unknown, how: 'seal' | 'mask', pii: PiiSealer): unknown {
  if (how === 'mask') return hasPlaintextPii(v) || pii.hasStaleEnvelope(v) ? pii.maskJson(v) : undefined;
  if (!hasPlaintextPii(v) && !pii.hasStaleEnvelope(v)) return undefined;
  return pii.sealJson(reopenStale(v, pii));
}

/** Stale envelopes decrypted (to be sealed again under the active key); current ones left as they are. */
function reopenStale(v: unknown, pii: PiiSealer): unknown {
  if (typeof v === 'string') return isEnvelope(v) && envelopeKeyId(v) !== pii.activeKeyId ? pii.decrypt(v) : v;
  if (Array.isArray(v)) return v.map((x) => reopenStale(x, pii));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, reopenStale(x, pii)]));
  return v;
}

async function countAuditPlaintext(db: Database): Promise<number> {
  // A coarse filter in SQL (eleven or more digits and separators: every spelling the recogniser knows), the exact
  // test in code.
  const { rows } = await db.query<{ data: unknown }>(
    `SELECT data FROM audit_events WHERE data::text ~ '[0-9][-. ()0-9]{9,}[0-9]' LIMIT 100000`,
  );
  return rows.filter((r) => hasPlaintextPii(r.data)).length;
}

/** Uploaded files whose rows say they are stored as uploaded (before 0015), or sealed with another key. */
async function staleFiles(
  ex: Executor,
  pii: PiiSealer,
  after: string,
  batch: number,
): Promise<{ rows: FileRow[]; last: string | null }> {
  const { rows } = await ex.query<FileRow>(
    `SELECT id::text AS id, storage_key AS "storageKey", stored_sha256 AS "storedSha256", sha256 FROM files WHERE id > $1 ORDER BY id LIMIT ${batch}`,
    [after],
  );
  const stale = rows.filter((r) => r.storedSha256 === null || !r.storageKey.endsWith(`.${pii.activeKeyId}`));
  return { rows: stale, last: rows.length ? rows[rows.length - 1]!.id : null };
}

interface FileRow {
  id: string;
  storageKey: string;
  storedSha256: string | null;
  /** Of the bytes as uploaded. */
  sha256: string;
}

/**
 * Seals each upload not yet under the active key into a new file (its name says the key), points its row there
 * in a transaction that locks it, and removes the old file once that committed. Run again after a crash, it
 * finishes the rest: a new file its row does not point to yet is written again, an old one still there removed.
 */
async function sealFiles(
  db: Database,
  pii: PiiSealer,
  dataDir: string,
  batch: number,
): Promise<{ sealed: number; missing: string[] }> {
  let after = '00000000-0000-0000-0000-000000000000';
  let sealed = 0;
  const missing: string[] = [];
  for (;;) {
    const { rows, last } = await staleFiles(db, pii, after, batch);
    for (const r of rows) {
      const old = await db.transaction(async (tx) => {
        const { rows: locked } = await tx.query<FileRow>(
          `SELECT id::text AS id, storage_key AS "storageKey", stored_sha256 AS "storedSha256", sha256 FROM files WHERE id = $1 FOR UPDATE`,
          [r.id],
        );
        const f = locked[0];
        if (!f || (f.storedSha256 !== null && f.storageKey.endsWith(`.${pii.activeKeyId}`))) return null;
        if (!fs.existsSync(path.join(dataDir, f.storageKey))) {
          missing.push(f.storageKey);
          return null;
        }
        // Sealed again only as what was uploaded: changed bytes stop the pass rather than being sealed as they are.
        const bytes = await readUpload(dataDir, pii, f);
        if (sha256Hex(bytes) !== f.sha256)
          throw new Error(`uploaded file ${f.id}: ${f.storageKey} does not hold the bytes its row's SHA-256 names`);
        // A file left by a crash before its row was updated is not referenced: it goes, and is written again.
        await fs.promises.rm(path.join(dataDir, uploadStorageKey(f.id, pii.activeKeyId)), { force: true });
        const written = await writeUpload(dataDir, pii, f.id, bytes);
        await tx.query('UPDATE files SET storage_key = $2, stored_sha256 = $3, stored_size = $4 WHERE id = $1', [
          f.id,
          written.storageKey,
          written.storedSha256,
          written.storedSize,
        ]);
        return f.storageKey;
      });
      if (old !== null) {
        await removeUpload(dataDir, old);
        sealed++;
      }
    }
    if (last === null) break;
    after = last;
  }
  await removeLeftovers(db, pii, dataDir);
  return { sealed, missing };
}

/** Removes a stored file, and its directory when that is left empty. */
async function removeUpload(dataDir: string, storageKey: string): Promise<void> {
  const file = path.join(dataDir, storageKey);
  await fs.promises.rm(file, { force: true });
  await fs.promises.rmdir(path.dirname(file)).catch(() => {});
}

const STORED_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\.[A-Za-z0-9_-]{1,32})?$/;

/**
 * Files of an upload other than the one its row points to: what a crash between a row's update and the removal of
 * its old file left (a plaintext original, or a copy under an older key). Left alone: a file with no row (an upload
 * whose row is being written) and one named for the active key (another run of this pass may be about to point
 * its row there; sealFiles writes it again if not).
 */
async function removeLeftovers(db: Database, pii: PiiSealer, dataDir: string): Promise<void> {
  const root = path.join(dataDir, 'files');
  const byId = new Map<string, string[]>();
  const entries = await fs.promises.readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const m = e.isFile() ? STORED_NAME.exec(e.name) : null;
    if (!m || e.name.endsWith(`.${pii.activeKeyId}`)) continue;
    const key = path.relative(dataDir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
    byId.set(m[1]!, [...(byId.get(m[1]!) ?? []), key]);
  }
  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += 1000) {
    const { rows } = await db.query<{ id: string; storage_key: string }>(
      'SELECT id::text AS id, storage_key FROM files WHERE id = ANY($1::uuid[])',
      [ids.slice(i, i + 1000)],
    );
    for (const r of rows) {
      for (const key of byId.get(r.id) ?? []) if (key !== r.storage_key) await removeUpload(dataDir, key);
    }
  }
}
