// Audit-log verification (`onething audit verify`, and restore's check), with the keys the database was opened
// with (AUDIT_KEY; docs/adr/0021):
//   - each subject's chain recomputed from the rows as stored: every keyed row's HMAC, every link and position;
//   - rows from before the keyed log (key_id null) only where the seal, checkpoint 1, vouches for them;
//   - the checkpoints: numbered without gaps, each MAC'd and chained to the one before, their heads MAC'd and
//     counted; and every chain still reaching the newest head a checkpoint recorded for it, which is what shows
//     rows removed from a chain's end and whole chains removed.
import type { Executor } from '../platform/db.ts';
import { findAuditKey, type AuditKeyRing } from '../platform/audit-keys.ts';
import { auditHash, auditMacOf, LEGACY_HASH, type ChainedFields } from '../platform/audit.ts';
import { checkpointMac, headMac } from '../platform/audit-checkpoints.ts';

export type AuditBreak =
  | 'hash_mismatch'
  | 'prev_mismatch'
  | 'seq_gap'
  | 'unknown_key'
  | 'unsealed'
  | 'truncated'
  | 'head_mismatch';

export interface BrokenAuditRow {
  /** The row's id; null for a row that is missing (truncated). */
  id: number | null;
  subjectType: string;
  subjectId: string;
  seq: number;
  /**
   * hash_mismatch: the row is not what was written (its fields or its hash changed, or it was never written with
   *   the key it names: a recomputed plain SHA-256, a forged HMAC);
   * prev_mismatch: prev_hash is not the hash of the row before it (a row removed, inserted or replaced);
   * seq_gap: seq does not follow the row before it (a row removed, or the chain starts after 1);
   * unknown_key: the row names a key AUDIT_KEY does not hold;
   * unsealed: a row without a key (plain SHA-256 or 'legacy') that the seal does not cover: added, or relabelled,
   *   after the upgrade to the keyed log;
   * truncated: a checkpoint recorded the chain up to this seq and the row is gone (the chain's end or the whole
   *   chain removed);
   * head_mismatch: a checkpoint recorded this seq with another hash (the chain rewritten since).
   */
  reason: AuditBreak;
}

export type CheckpointBreak = 'checkpoint_missing' | 'checkpoint_mac' | 'checkpoint_heads' | 'head_mac' | 'late_seal';

export interface BrokenCheckpoint {
  no: number;
  /**
   * checkpoint_missing: no checkpoint with this number, though one after it exists (or no seal at all);
   * checkpoint_mac: the checkpoint's fields, its link to the one before or its key do not verify;
   * checkpoint_heads: it lists a different number of heads than it was written with;
   * head_mac: a recorded head that does not verify (changed, moved or slipped in), named by subject;
   * late_seal: checkpoint 1 is younger than keyed rows: the checkpoints were removed and the log sealed again.
   */
  reason: CheckpointBreak;
  subjectType?: string;
  subjectId?: string;
}

export interface AuditChainReport {
  subjects: number;
  rows: number;
  /** Rows from before the chain existed (migration 0002), accepted at the start of a chain where sealed. */
  legacy: number;
  /** Rows from before the keyed log (migration 0013), legacy ones included: vouched for by the seal. */
  unkeyed: number;
  /** Rows past the newest head recorded for their chain: not in a checkpoint yet, their removal not detectable. */
  uncovered: number;
  checkpoints: { count: number; latest: { no: number; takenAt: string; mac: string } | null };
  /** The first `maxBroken` findings about rows, in chain order; a row can fail more than one check. */
  broken: BrokenAuditRow[];
  /** The first `maxBroken` findings about the checkpoints. */
  brokenCheckpoints: BrokenCheckpoint[];
  /** All findings, rows and checkpoints, also those beyond `maxBroken`. */
  brokenCount: number;
}

export interface VerifyOptions {
  subjectType?: string;
  subjectId?: string;
  /** Rows read per query (default 5,000). */
  batchSize?: number;
  /** Findings kept in the report (default 10,000); a table hashed all wrong must not exhaust memory. */
  maxBroken?: number;
}

interface ChainRow {
  id: number | string;
  subject_type: string;
  subject_id: string;
  seq: number;
  prev_hash: string | null;
  hash: string;
  key_id: string | null;
  /** For a row without a key: the seq up to which the seal covers its chain (null: not at all). */
  sealed_seq: number | null;
  at_us: string;
  actor_id: string | null;
  action: string;
  data: unknown;
  request_id: string | null;
}

/** `subject_type = $n AND subject_id = $m` for the options' filter, on the columns of `alias`. */
function subjectFilter(options: VerifyOptions, param: (v: unknown) => string, alias: string): string[] {
  const where: string[] = [];
  if (options.subjectType !== undefined) where.push(`${alias}.subject_type = ${param(options.subjectType)}`);
  if (options.subjectId !== undefined) where.push(`${alias}.subject_id = ${param(options.subjectId)}`);
  return where;
}

function params() {
  const list: unknown[] = [];
  return {
    list,
    param: (v: unknown) => {
      list.push(v);
      return `$${list.length}`;
    },
  };
}

/**
 * Verifies every chain (or one subject type's, or one subject's) and the checkpoints. Reads in (subject_type,
 * subject_id, seq) order along the unique index, a batch at a time with keyset pagination, so memory stays flat
 * however large the table. No long snapshot is held: rows are only ever appended, so a row written during the run
 * either continues a chain consistently or belongs to a subject already passed.
 */
export async function verifyAuditChain(ex: Executor, options: VerifyOptions = {}): Promise<AuditChainReport> {
  const maxBroken = options.maxBroken ?? 10_000;
  const report: AuditChainReport = {
    subjects: 0,
    rows: 0,
    legacy: 0,
    unkeyed: 0,
    uncovered: 0,
    checkpoints: { count: 0, latest: null },
    broken: [],
    brokenCheckpoints: [],
    brokenCount: 0,
  };
  const flagRow = (b: BrokenAuditRow) => {
    report.brokenCount++;
    if (report.broken.length < maxBroken) report.broken.push(b);
  };
  const flagCheckpoint = (b: BrokenCheckpoint) => {
    report.brokenCount++;
    if (report.brokenCheckpoints.length < maxBroken) report.brokenCheckpoints.push(b);
  };
  await verifyRows(ex, options, report, flagRow);
  await verifyHeads(ex, options, flagRow);
  await verifyCheckpoints(ex, options, report, flagCheckpoint);
  return report;
}

async function verifyRows(
  ex: Executor,
  options: VerifyOptions,
  report: AuditChainReport,
  flag: (b: BrokenAuditRow) => void,
): Promise<void> {
  const batchSize = options.batchSize ?? 5000;
  const ring = ex.auditKeys;
  let last: ChainRow | undefined;
  let expectedSeq = 1;
  let expectedPrev: string | null = null;
  let chainStarted = false;
  const flagAt = (row: ChainRow, reason: AuditBreak) =>
    flag({ id: Number(row.id), subjectType: row.subject_type, subjectId: row.subject_id, seq: row.seq, reason });

  for (;;) {
    const p = params();
    const where = subjectFilter(options, p.param, 'e');
    if (last)
      where.push(
        `(e.subject_type, e.subject_id, e.seq) > (${p.param(last.subject_type)}, ${p.param(last.subject_id)}, ${p.param(last.seq)})`,
      );
    // `at` as text with microseconds in UTC: exact whatever the driver's Date parsing or the session time zone.
    const { rows } = await ex.query<ChainRow>(
      `SELECT e.id, e.subject_type, e.subject_id, e.seq, e.prev_hash, e.hash, e.key_id,
              CASE WHEN e.key_id IS NULL THEN
                (SELECT s.seq FROM audit_checkpoint_heads s
                  WHERE s.checkpoint_no = 1 AND s.subject_type = e.subject_type AND s.subject_id = e.subject_id)
              END AS sealed_seq,
              to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at_us,
              e.actor_id::text AS actor_id, e.action, e.data, e.request_id
         FROM audit_events e
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY e.subject_type, e.subject_id, e.seq
        LIMIT ${p.param(batchSize)}`,
      p.list,
    );

    for (const row of rows) {
      if (!last || row.subject_type !== last.subject_type || row.subject_id !== last.subject_id) {
        report.subjects++;
        expectedSeq = 1;
        expectedPrev = null;
        chainStarted = false;
      }
      report.rows++;
      if (row.seq !== expectedSeq) flagAt(row, 'seq_gap');
      if (row.prev_hash !== expectedPrev) flagAt(row, 'prev_mismatch');
      if (row.key_id === null) {
        report.unkeyed++;
        if (row.sealed_seq === null || row.seq > row.sealed_seq) flagAt(row, 'unsealed');
      }
      if (row.key_id === null && row.hash === LEGACY_HASH && !chainStarted) {
        report.legacy++;
      } else {
        chainStarted = true;
        const reason = checkHash(row, ring);
        if (reason) flagAt(row, reason);
      }
      // Continue from what is stored, so that one altered row is reported once, not with every row after it.
      expectedSeq = row.seq + 1;
      expectedPrev = row.hash;
      last = row;
    }
    if (rows.length < batchSize) return;
  }
}

function checkHash(row: ChainRow, ring: AuditKeyRing): AuditBreak | null {
  // Written rows have whole milliseconds; anything finer was not what the hash covered and will not match.
  const at = row.at_us.endsWith('000') ? `${row.at_us.slice(0, -3)}Z` : `${row.at_us}Z`;
  const fields: ChainedFields = {
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    seq: row.seq,
    at,
    actorId: row.actor_id,
    action: row.action,
    data: row.data,
    requestId: row.request_id,
    prevHash: row.prev_hash,
  };
  if (row.key_id === null) return auditHash(fields) === row.hash ? null : 'hash_mismatch';
  const key = findAuditKey(ring, row.key_id);
  if (!key) return 'unknown_key';
  return auditMacOf(fields, key) === row.hash ? null : 'hash_mismatch';
}

/** Every chain must still reach the newest head a checkpoint recorded for it, with the hash recorded. */
async function verifyHeads(ex: Executor, options: VerifyOptions, flag: (b: BrokenAuditRow) => void): Promise<void> {
  const p = params();
  const where = subjectFilter(options, p.param, 'k');
  const { rows } = await ex.query<{
    subject_type: string;
    subject_id: string;
    seq: number;
    id: string | null;
  }>(
    `SELECT h.subject_type, h.subject_id, h.seq, e.id
       FROM (SELECT DISTINCT ON (k.subject_type, k.subject_id) k.subject_type, k.subject_id, k.seq, k.hash
               FROM audit_checkpoint_heads k
              ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
              ORDER BY k.subject_type, k.subject_id, k.checkpoint_no DESC) h
       LEFT JOIN audit_events e
         ON e.subject_type = h.subject_type AND e.subject_id = h.subject_id AND e.seq = h.seq
      WHERE e.hash IS DISTINCT FROM h.hash
      ORDER BY h.subject_type, h.subject_id`,
    p.list,
  );
  for (const r of rows)
    flag({
      id: r.id === null ? null : Number(r.id),
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      seq: r.seq,
      reason: r.id === null ? 'truncated' : 'head_mismatch',
    });
}

async function verifyCheckpoints(
  ex: Executor,
  options: VerifyOptions,
  report: AuditChainReport,
  flag: (b: BrokenCheckpoint) => void,
): Promise<void> {
  const batchSize = options.batchSize ?? 5000;
  const ring = ex.auditKeys;
  const keyIds = new Map<number, string>();
  let expected = 1;
  let prevMac: string | null = null;
  let prevNo = 0;
  let sealWatermark: number | null = null;
  for (;;) {
    const { rows } = await ex.query<{
      no: string;
      taken_at: string;
      key_id: string;
      watermark: string;
      settled: string;
      heads: number;
      prev_mac: string | null;
      mac: string;
      counted: number;
    }>(
      `SELECT c.no, to_char(c.taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS taken_at, c.key_id,
              c.watermark, c.settled, c.heads, c.prev_mac, c.mac,
              (SELECT count(*) FROM audit_checkpoint_heads h WHERE h.checkpoint_no = c.no)::int AS counted
         FROM audit_checkpoints c WHERE c.no >= $1 ORDER BY c.no LIMIT $2`,
      [expected, batchSize],
    );
    for (const c of rows) {
      const no = Number(c.no);
      for (; expected < no; expected++) flag({ no: expected, reason: 'checkpoint_missing' });
      const fields = {
        no,
        takenAt: c.taken_at,
        watermark: Number(c.watermark),
        settled: Number(c.settled),
        heads: c.heads,
        prevMac: c.prev_mac,
      };
      const key = findAuditKey(ring, c.key_id);
      // The link to the one before is checked where that one is present; a gap was reported above.
      const linked = no === 1 || prevNo !== no - 1 || c.prev_mac === prevMac;
      if (!key || !linked || checkpointMac(key, fields) !== c.mac) flag({ no, reason: 'checkpoint_mac' });
      if (c.counted !== c.heads) flag({ no, reason: 'checkpoint_heads' });
      if (no === 1) sealWatermark = fields.watermark;
      keyIds.set(no, c.key_id);
      report.checkpoints.count++;
      report.checkpoints.latest = { no, takenAt: c.taken_at, mac: c.mac };
      prevMac = c.mac;
      prevNo = no;
      expected = no + 1;
    }
    if (rows.length < batchSize) break;
  }
  if (report.checkpoints.count === 0) flag({ no: 1, reason: 'checkpoint_missing' });

  if (sealWatermark !== null) {
    const { rows } = await ex.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_events WHERE key_id IS NOT NULL AND id <= $1',
      [sealWatermark],
    );
    if (rows[0]!.n > 0) flag({ no: 1, reason: 'late_seal' });
  }

  // Each recorded head's MAC, under its checkpoint's key (for a subject filter, that subject's heads only).
  let after: { no: number; type: string; id: string } | undefined;
  for (;;) {
    const p = params();
    const where = subjectFilter(options, p.param, 'h');
    if (after)
      where.push(
        `(h.checkpoint_no, h.subject_type, h.subject_id) > (${p.param(after.no)}, ${p.param(after.type)}, ${p.param(after.id)})`,
      );
    const { rows } = await ex.query<{
      checkpoint_no: string;
      subject_type: string;
      subject_id: string;
      seq: number;
      hash: string;
      mac: string;
    }>(
      `SELECT h.checkpoint_no, h.subject_type, h.subject_id, h.seq, h.hash, h.mac FROM audit_checkpoint_heads h
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY h.checkpoint_no, h.subject_type, h.subject_id LIMIT ${p.param(batchSize)}`,
      p.list,
    );
    for (const h of rows) {
      const checkpointNo = Number(h.checkpoint_no);
      const keyId = keyIds.get(checkpointNo);
      const key = keyId === undefined ? undefined : findAuditKey(ring, keyId);
      const fields = { checkpointNo, subjectType: h.subject_type, subjectId: h.subject_id, seq: h.seq, hash: h.hash };
      if (!key || headMac(key, fields) !== h.mac)
        flag({ no: checkpointNo, reason: 'head_mac', subjectType: h.subject_type, subjectId: h.subject_id });
    }
    const end = rows.at(-1);
    if (!end || rows.length < batchSize) break;
    after = { no: Number(end.checkpoint_no), type: end.subject_type, id: end.subject_id };
  }

  // Rows no checkpoint covers yet: past the newest head recorded for their chain, or of a chain none recorded.
  const p = params();
  const where = subjectFilter(options, p.param, 'e');
  const { rows } = await ex.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events e
      WHERE NOT EXISTS (SELECT 1 FROM audit_checkpoint_heads k
                         WHERE k.subject_type = e.subject_type AND k.subject_id = e.subject_id AND k.seq >= e.seq)
      ${where.length ? `AND ${where.join(' AND ')}` : ''}`,
    p.list,
  );
  report.uncovered = rows[0]!.n;
}
