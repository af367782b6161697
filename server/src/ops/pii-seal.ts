// The personal-data pass over the database: encrypts what is still plaintext, re-encrypts what an older key
// made, recomputes keyed hashes, empties the legacy plaintext columns and masks notification payloads.
// One function serves two callers: the data step of migration 0006 (run by migrate() before anything is served)
// and `onething pii rotate` (after a new key was put first in PII_KEYS). Idempotent and resumable: each batch is
// its own transaction, keyed by primary key order, and a row already under the active key is left alone, so
// running it again after a crash only finishes the rest.
import type { Database, Executor } from '../platform/db.ts';
import {
  activeKeyId,
  blindIndex,
  decrypt,
  encrypt,
  envelopeKeyId,
  hasPlaintextPii,
  hasStaleEnvelope,
  isEnvelope,
  keyRing,
  maskJson,
  openJson,
  sealJson,
  type KeyRing,
} from '../platform/pii.ts';

/** Columns that may hold ID or phone numbers in a JSON document or free text, by table. */
interface Target {
  table: string;
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
  { table: 'notifications', key: ['id'], columns: ['payload'], how: 'mask' },
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
  /** Rows of the append-only audit log that hold a plaintext number (written before 0006; they cannot change). */
  auditRowsWithPlaintext: number;
}

const BATCH = 500;

export async function sealPersonalData(
  db: Database,
  options: { ring?: KeyRing; batch?: number; log?: (line: string) => void } = {},
): Promise<SealReport> {
  const ring = options.ring ?? keyRing();
  const batch = options.batch ?? BATCH;
  const report: SealReport = { accounts: await sealAccounts(db, ring, batch), rows: {}, auditRowsWithPlaintext: 0 };
  options.log?.(`accounts: ${report.accounts} rewritten`);
  for (const t of PERSONAL_DATA_TARGETS) {
    report.rows[t.table] = await sealTable(db, t, ring, batch);
    options.log?.(`${t.table}: ${report.rows[t.table]} rewritten`);
  }
  for (const c of SEALED_COLUMNS) {
    const name = `${c.table}.${c.pairs.map((p) => p.enc).join('+')}`;
    report.rows[name] = await sealColumns(db, c, ring, batch);
    options.log?.(`${name}: ${report.rows[name]} rewritten`);
  }
  report.auditRowsWithPlaintext = await countAuditPlaintext(db);
  return report;
}

/** The data step owed after migration 0006 (pending_data_steps), if still owed. */
export async function runPendingDataSteps(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`SELECT name FROM pending_data_steps ORDER BY created_at, name`);
  const done: string[] = [];
  for (const { name } of rows) {
    if (name !== 'seal-personal-data') throw new Error(`unknown pending data step ${name}`);
    await sealPersonalData(db);
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

async function sealAccounts(db: Database, ring: KeyRing, batch: number): Promise<number> {
  const active = activeKeyId(ring);
  let after = '00000000-0000-0000-0000-000000000000';
  let changed = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const { rows } = await tx.query<AccountPii>(
        `SELECT id, id_number, phone, id_number_enc, id_number_hash, phone_enc, phone_hash FROM accounts WHERE id > $1 ORDER BY id LIMIT ${batch} FOR UPDATE`,
        [after],
      );
      for (const r of rows) {
        const id = field(r.id_number, r.id_number_enc, r.id_number_hash, 'id_number', ring, active);
        const phone = field(r.phone, r.phone_enc, r.phone_hash, 'phone', ring, active);
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
  ring: KeyRing,
  active: string,
) {
  const value =
    plain !== null
      ? kind === 'id_number'
        ? plain.trim().toUpperCase()
        : plain.trim()
      : enc !== null
        ? decrypt(enc, ring)
        : null;
  if (value === null) return { enc: null, hash: null, changed: false };
  const newHash = blindIndex(value, kind, ring);
  const keep = plain === null && enc !== null && envelopeKeyId(enc) === active;
  const newEnc = keep ? enc : encrypt(value, ring);
  return { enc: newEnc, hash: newHash, changed: plain !== null || !keep || newHash !== hash };
}

async function sealColumns(db: Database, c: SealedColumns, ring: KeyRing, batch: number): Promise<number> {
  const active = activeKeyId(ring);
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
          const f = field(null, r[p.enc] ?? null, p.hash ? (r[p.hash] ?? null) : null, p.kind, ring, active);
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

async function sealTable(db: Database, t: Target, ring: KeyRing, batch: number): Promise<number> {
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
          const next = rewrite(v, t.how, ring);
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
function rewrite(v: unknown, how: 'seal' | 'mask', ring: KeyRing): unknown {
  if (how === 'mask') return hasPlaintextPii(v) || hasStaleEnvelope(v, ring) ? maskJson(v, ring) : undefined;
  if (!hasPlaintextPii(v) && !hasStaleEnvelope(v, ring)) return undefined;
  return sealJson(reopenStale(v, ring), ring);
}

/** Stale envelopes decrypted (to be sealed again under the active key); current ones left as they are. */
function reopenStale(v: unknown, ring: KeyRing): unknown {
  const active = activeKeyId(ring);
  if (typeof v === 'string') return isEnvelope(v) && envelopeKeyId(v) !== active ? openJson(v, ring) : v;
  if (Array.isArray(v)) return v.map((x) => reopenStale(x, ring));
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, reopenStale(x, ring)]));
  return v;
}

async function countAuditPlaintext(db: Database): Promise<number> {
  // A coarse filter in SQL, the exact test in code.
  const { rows } = await db.query<{ data: unknown }>(
    `SELECT data FROM audit_events WHERE data::text ~ '[0-9]{11}' LIMIT 100000`,
  );
  return rows.filter((r) => hasPlaintextPii(r.data)).length;
}
