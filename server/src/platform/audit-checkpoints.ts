// Checkpoints of the audit chains' heads (migration 0013, docs/adr/0021). A row's HMAC shows a row changed or
// slipped in, and the chain shows one removed from the middle; neither can show the newest rows of a chain removed,
// or a whole chain. A checkpoint records, under AUDIT_KEY, the head (seq and hash) of every chain that moved since
// the checkpoint before; verification then demands that each chain still reaches the newest head recorded for it.
// A minute's job writes one (auditCheckpointJob), so rows stay unrecorded for about a minute; `onething audit
// checkpoint` writes one at once.
//
// Which rows a checkpoint reads: those with an id above the previous checkpoint's `settled`, up to the largest id
// it sees (`watermark`). Ids come from a sequence when a row is inserted, not when it commits, so a transaction
// open across a checkpoint may commit a row below that watermark afterwards. `settled` is therefore not the
// watermark but the watermark of the newest checkpoint taken before every transaction still open began: every row
// at or below it that will ever commit has committed, and the checkpoint after next reads everything above it.
// (Row r, id ≤ W_i, was inserted before checkpoint i's snapshot, in a transaction begun before T_i; with T_i
// before the start of every open transaction, r's transaction is no longer open.)
import { canonicalJson } from '@onething/shared/json';
import type { Database, Executor } from './db.ts';
import { auditMac, signingKey, type AuditKey } from './audit-keys.ts';
import type { JobDefinition } from './jobs.ts';

export interface CheckpointRow {
  no: number;
  /** ISO 8601 in UTC with milliseconds. */
  takenAt: string;
  keyId: string;
  watermark: number;
  settled: number;
  heads: number;
  prevMac: string | null;
  mac: string;
}

/** The MAC of a checkpoint: over its fields and the MAC of the checkpoint before, so the checkpoints chain too. */
export function checkpointMac(key: AuditKey, c: Omit<CheckpointRow, 'mac' | 'keyId'>): string {
  return auditMac(
    key,
    canonicalJson({
      checkpoint: c.no,
      takenAt: c.takenAt,
      keyId: key.id,
      watermark: c.watermark,
      settled: c.settled,
      heads: c.heads,
      prevMac: c.prevMac,
    }),
  );
}

export interface HeadFields {
  checkpointNo: number;
  subjectType: string;
  subjectId: string;
  seq: number;
  hash: string;
}

/** The MAC of one recorded head; the checkpoint's number in it keeps a head from being moved to another one. */
export function headMac(key: AuditKey, h: HeadFields): string {
  return auditMac(
    key,
    canonicalJson({
      checkpoint: h.checkpointNo,
      subjectType: h.subjectType,
      subjectId: h.subjectId,
      seq: h.seq,
      hash: h.hash,
    }),
  );
}

/** Ids read per statement: the chains of this many rows at a time. */
const ID_BATCH = 10_000;

export interface CheckpointOptions {
  /** Write checkpoint 1, the seal; refused when there is a checkpoint already. Only the migration runner seals. */
  seal?: boolean;
}

/**
 * Writes the next checkpoint: the heads of the chains that moved since the last one. Nothing is written when no
 * chain moved (the last checkpoint still says everything), and null is returned. One writer at a time, across
 * instances (an advisory lock).
 */
export async function writeAuditCheckpoint(
  db: Database,
  options: CheckpointOptions = {},
): Promise<CheckpointRow | null> {
  return db.transaction((tx) => checkpointIn(tx, options.seal ?? false));
}

async function checkpointIn(tx: Executor, seal: boolean): Promise<CheckpointRow | null> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('onething.audit.checkpoint'))`);
  const { rows: last } = await tx.query<{ no: string; settled: string; mac: string }>(
    'SELECT no, settled, mac FROM audit_checkpoints ORDER BY no DESC LIMIT 1',
  );
  const prev = last[0];
  if (seal && prev) return null;
  // Checkpoint 1 vouches for the rows from before the keyed log (ADR 0021): written by anything but the seal, it
  // would vouch for whatever stands in the table then. Verification tells a late checkpoint 1 apart as well.
  if (!seal && !prev) throw new Error('the audit log has no seal (checkpoint 1); run the migrations first');

  // Read before the watermark's snapshot, so that every transaction begun before `settled`'s checkpoint has
  // ended by the time that snapshot is taken. Other roles' sessions show no xact_start and do not count; the
  // server's role writes the audit rows. On PGlite (one connection) there is no other session.
  const { rows: s } = await tx.query<{ settled: string }>(
    `SELECT coalesce((
       SELECT watermark FROM audit_checkpoints
        WHERE taken_at <= coalesce(
                (SELECT min(xact_start) FROM pg_stat_activity
                  WHERE datname = current_database() AND pid <> pg_backend_pid()
                    AND backend_type = 'client backend' AND xact_start IS NOT NULL),
                clock_timestamp())
        ORDER BY no DESC LIMIT 1), 0)::text AS settled`,
  );
  // taken_at is read after the snapshot and rounded up to the millisecond: never earlier than the snapshot.
  const { rows: w } = await tx.query<{ watermark: string; taken_at: string }>(
    `SELECT coalesce(max(id), 0)::text AS watermark,
            to_char((date_trunc('milliseconds', clock_timestamp()) + interval '1 millisecond') AT TIME ZONE 'UTC',
                    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS taken_at
       FROM audit_events`,
  );
  const watermark = Number(w[0]!.watermark);
  const takenAt = w[0]!.taken_at;
  const settled = Number(s[0]!.settled);
  const no = prev ? Number(prev.no) + 1 : 1;
  const key = signingKey(tx.auditKeys);

  let heads = 0;
  for (let lo = prev ? Number(prev.settled) : 0; lo < watermark; lo += ID_BATCH) {
    const hi = Math.min(lo + ID_BATCH, watermark);
    // Each chain with a row in (lo, hi], its head now, where that head is past the newest one recorded for it
    // (heads only move forward: a chain found shorter than recorded is left for verification to report).
    const { rows } = await tx.query<{ subject_type: string; subject_id: string; seq: number; hash: string }>(
      `SELECT c.subject_type, c.subject_id, h.seq, h.hash
         FROM (SELECT DISTINCT subject_type, subject_id FROM audit_events WHERE id > $1 AND id <= $2) c
        CROSS JOIN LATERAL (SELECT seq, hash FROM audit_events e
                             WHERE e.subject_type = c.subject_type AND e.subject_id = c.subject_id
                             ORDER BY seq DESC LIMIT 1) h
         LEFT JOIN LATERAL (SELECT k.seq FROM audit_checkpoint_heads k
                             WHERE k.subject_type = c.subject_type AND k.subject_id = c.subject_id
                             ORDER BY k.checkpoint_no DESC LIMIT 1) k ON true
        WHERE k.seq IS NULL OR h.seq > k.seq`,
      [lo, hi],
    );
    if (rows.length === 0) continue;
    const macs = rows.map((r) =>
      headMac(key, {
        checkpointNo: no,
        subjectType: r.subject_type,
        subjectId: r.subject_id,
        seq: r.seq,
        hash: r.hash,
      }),
    );
    // A chain already recorded by an earlier batch of this checkpoint keeps that head: it covers every row the
    // watermark promises, and what was added since is the next checkpoint's.
    const inserted = await tx.query(
      `INSERT INTO audit_checkpoint_heads (checkpoint_no, subject_type, subject_id, seq, hash, mac)
       SELECT $1::bigint, * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[])
       ON CONFLICT DO NOTHING`,
      [
        no,
        rows.map((r) => r.subject_type),
        rows.map((r) => r.subject_id),
        rows.map((r) => r.seq),
        rows.map((r) => r.hash),
        macs,
      ],
    );
    heads += inserted.rowCount;
  }
  if (heads === 0 && !seal) return null;

  const fields = { no, takenAt, watermark, settled, heads, prevMac: prev?.mac ?? null };
  const row: CheckpointRow = { ...fields, keyId: key.id, mac: checkpointMac(key, fields) };
  await tx.query(
    `INSERT INTO audit_checkpoints (no, taken_at, key_id, watermark, settled, heads, prev_mac, mac)
     VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8)`,
    [row.no, row.takenAt, row.keyId, row.watermark, row.settled, row.heads, row.prevMac, row.mac],
  );
  return row;
}

/**
 * The data step of migration 0013: checkpoint 1 over every chain as it stands, in the transaction that clears the
 * step, so that it is written once however many instances start at once. Called by the migration runner before
 * anything is served; a no-op once done.
 */
export async function sealAuditLog(db: Database): Promise<CheckpointRow | null> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query(`SELECT 1 FROM pending_data_steps WHERE name = 'seal-audit-log' FOR UPDATE`);
    if (rows.length === 0) return null;
    const sealed = await checkpointIn(tx, true);
    await tx.query(`DELETE FROM pending_data_steps WHERE name = 'seal-audit-log'`);
    return sealed;
  });
}

/** Every minute, UTC, once across instances: how long the newest rows of a chain go unrecorded. */
export const auditCheckpointJob: JobDefinition<Record<string, never>> = {
  name: 'audit.checkpoint.v1',
  retryLimit: 3,
  retryDelaySeconds: 20,
  retryBackoff: true,
  schedule: '* * * * *',
  async handle(_data, { db, log }) {
    const c = await writeAuditCheckpoint(db);
    // The newest checkpoint is as removable as the newest row; its MAC in the log, kept elsewhere, is what shows
    // that checkpoints were removed from the end.
    if (c) log.info({ checkpoint: c.no, heads: c.heads, watermark: c.watermark, mac: c.mac }, 'audit checkpoint');
  },
};
