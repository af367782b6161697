// An audit row is written with the change it records, in the same transaction: for government work the
// record of who did what is part of the domain, not a log line.
//
// The log is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE, migration 0002) and hash-chained per
// subject (subject_type, subject_id): row n of a subject stores seq = n, the hash of row n − 1 and its own hash
// over both. The hash is an HMAC-SM3 under AUDIT_KEY (migration 0013, docs/adr/0021), which the database never
// holds: whoever gets past the trigger can still not write a row that verifies, nor recompute a chain. Rows removed
// from a chain's end, or a whole chain, show against the checkpoints of the chains' heads
// (platform/audit-checkpoints.ts). Both are checked by verifyAuditChain (ops/audit-verify.ts, `onething audit
// verify`). One chain per subject rather than one for the table, so that writers of unrelated subjects never wait
// for each other.
import crypto from 'node:crypto';
import { canonicalJson } from '@onething/shared/json';
import { rowsFor, type Database, type Executor, type InsertPart } from './db.ts';
import { auditMac, signingKey, type AuditKey, type AuditKeyRing } from './audit-keys.ts';
import { auditEvents } from './tables.ts';
import { maskForRecord } from './pii.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  data?: Record<string, unknown>;
  requestId?: string | null;
}

/** What a row's hash covers, each field as the database stores it and gives it back. */
export interface ChainedFields {
  subjectType: string;
  subjectId: string;
  seq: number;
  /** ISO 8601 in UTC with milliseconds, as Date.prototype.toISOString writes it. */
  at: string;
  actorId: string | null;
  action: string;
  data: unknown;
  requestId: string | null;
  prevHash: string | null;
}

function chainedBody(f: ChainedFields) {
  return {
    subjectType: f.subjectType,
    subjectId: f.subjectId,
    seq: f.seq,
    at: f.at,
    actorId: f.actorId,
    action: f.action,
    data: f.data,
    requestId: f.requestId,
    prevHash: f.prevHash,
  };
}

/**
 * The hash of an audit row: HMAC-SM3 under `key` (lower-case hex) of the canonical JSON (keys sorted recursively,
 * no whitespace) of { action, actorId, at, data, keyId, prevHash, requestId, seq, subjectId, subjectType }, keyId
 * being the key's id, which the row stores. Changing this definition invalidates every stored chain; it would
 * need a marker of its own in the rows, as key_id is for this one.
 */
export function auditMacOf(f: ChainedFields, key: AuditKey): string {
  return auditMac(key, canonicalJson({ ...chainedBody(f), keyId: key.id }));
}

/**
 * The hash of rows written before migration 0013 (key_id null): SHA-256 of the canonical JSON of the same fields
 * without keyId. Anyone can compute it, which is why such rows count only where the seal vouches for them.
 */
export function auditHash(f: ChainedFields): string {
  return crypto
    .createHash('sha256')
    .update(canonicalJson(chainedBody(f)))
    .digest('hex');
}

/** The hash rows written before the chain existed carry (see migration 0002); accepted only at a chain's start. */
export const LEGACY_HASH = 'legacy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function ownsTransactions(ex: Executor): ex is Database {
  return typeof (ex as Partial<Database>).transaction === 'function';
}

export async function recordAudit(ex: Executor, entry: AuditEntry): Promise<void> {
  return recordAudits(ex, [entry]);
}

/**
 * Appends several rows in one INSERT, in the order given. Subjects listed in `created` were created by this
 * transaction (a fresh UUID nobody else can know before it commits): their chains start here, so neither the lock
 * nor the read of the chain's head is needed. Should that ever be wrong, the unique (subject_type, subject_id, seq)
 * index refuses the row and the transaction, rather than letting a chain fork.
 */
export async function recordAudits(
  ex: Executor,
  entries: AuditEntry[],
  created: ReadonlySet<string> = NO_SUBJECTS,
): Promise<void> {
  if (entries.length === 0) return;
  // Called with the database rather than a transaction (a failed login, a job): the lock below lasts until the
  // end of the transaction, which outside one would be the end of the locking statement itself.
  if (ownsTransactions(ex)) return ex.transaction((tx) => append(tx, entries, created));
  return append(ex, entries, created);
}

const NO_SUBJECTS: ReadonlySet<string> = new Set();

async function append(tx: Executor, entries: AuditEntry[], created: ReadonlySet<string>): Promise<void> {
  // Milliseconds survive timestamptz exactly; a default now() would store microseconds the hash never saw.
  const at = new Date();
  // The head of each chain written here: what the next row of that subject continues from.
  const heads = new Map<string, { seq: number; hash: string | null }>();
  const values: AuditRow[] = [];
  for (const entry of entries) {
    const key = `${entry.subjectType}:${entry.subjectId}`;
    let head = heads.get(key);
    if (!head) {
      if (created.has(entry.subjectId)) {
        head = { seq: 0, hash: null };
      } else {
        // Serialise the writers of this subject until this transaction ends. Hash collisions between subjects
        // only make two of them wait for each other. The read is a statement of its own on purpose: under READ
        // COMMITTED it takes its snapshot after the lock is granted and so sees the row the previous holder
        // committed.
        await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
        const { rows } = await tx.query<{ seq: number; hash: string }>(
          'SELECT seq, hash FROM audit_events WHERE subject_type = $1 AND subject_id = $2 ORDER BY seq DESC LIMIT 1',
          [entry.subjectType, entry.subjectId],
        );
        head = { seq: rows[0]?.seq ?? 0, hash: rows[0]?.hash ?? null };
      }
    }
    const row = chainedRow(entry, at, head, tx.auditKeys);
    heads.set(key, { seq: row.seq, hash: row.hash });
    values.push(row);
  }
  await tx.db.insert(auditEvents).values(values);
}

export type AuditRow = typeof auditEvents.$inferInsert & { seq: number; hash: string; keyId: string };

/** The row continuing a subject's chain from `head` (seq 0 and no hash: the chain starts with this row). */
function chainedRow(
  entry: AuditEntry,
  at: Date,
  head: { seq: number; hash: string | null },
  keys: AuditKeyRing,
): AuditRow {
  // The hash must cover exactly what a verifier reads back later: the uuid as PostgreSQL prints it, and data as
  // jsonb keeps it (a JSON round trip drops undefined and turns Dates into strings, as the insert does).
  const actorId = entry.actorId == null ? null : entry.actorId.toLowerCase();
  if (actorId !== null && !UUID.test(actorId)) throw new TypeError(`audit actorId must be a UUID: ${entry.actorId}`);
  // An audit row outlives everything and can never be rewritten: ID and phone numbers in it are masked, and an
  // encrypted value is never kept (it could not be re-encrypted at rotation), so that it never holds a full number
  // and needs no key (platform/pii.ts).
  const data = maskForRecord(JSON.parse(JSON.stringify(entry.data ?? {}))) as Record<string, unknown>;
  const requestId = entry.requestId ?? null;
  const seq = head.seq + 1;
  const prevHash = head.hash;
  const key = signingKey(keys);
  const hash = auditMacOf(
    {
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      seq,
      at: at.toISOString(),
      actorId,
      action: entry.action,
      data,
      requestId,
      prevHash,
    },
    key,
  );
  return {
    at,
    actorId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    data,
    requestId,
    seq,
    prevHash,
    hash,
    keyId: key.id,
  };
}

/**
 * The audit rows of subjects the caller's statement creates (fresh UUIDs nobody can know before it commits), each
 * the first of its chain, for `insertTogether` on `ex` (whose audit keys sign them): no lock and no read of a
 * chain's head. A subject given twice continues its own chain. As with recordAudits, the unique (subject_type,
 * subject_id, seq) index refuses a row whose subject already had one.
 */
export function newSubjectsAuditPart(
  ex: Pick<Executor, 'auditKeys'>,
  entries: AuditEntry[],
  at: Date = new Date(),
): InsertPart {
  const heads = new Map<string, { seq: number; hash: string | null }>();
  const rows = entries.map((entry) => {
    const key = `${entry.subjectType}:${entry.subjectId}`;
    const row = chainedRow(entry, at, heads.get(key) ?? { seq: 0, hash: null }, ex.auditKeys);
    heads.set(key, { seq: row.seq, hash: row.hash });
    return row;
  });
  return rowsFor(auditEvents, rows);
}

/** Whether an action was already recorded for a subject with data containing `data` (jsonb containment). */
export async function hasAudit(
  ex: Executor,
  action: string,
  subjectId: string,
  data: Record<string, unknown>,
): Promise<boolean> {
  const { rows } = await ex.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM audit_events WHERE action = $1 AND subject_id = $2 AND data @> $3::jsonb) AS found`,
    [action, subjectId, JSON.stringify(data)],
  );
  return rows[0]?.found ?? false;
}
