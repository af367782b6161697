// Audit-chain verification (`onething audit verify`, and restore's check): recomputes each subject's hash chain
// from the rows as stored, with the hash platform/audit.ts writes them with.
import type { Executor } from '../platform/db.ts';
import { auditHash, LEGACY_HASH } from '../platform/audit.ts';

export type AuditBreak = 'hash_mismatch' | 'prev_mismatch' | 'seq_gap';

export interface BrokenAuditRow {
  id: number;
  subjectType: string;
  subjectId: string;
  seq: number;
  /**
   * hash_mismatch: the row is not what was written (its fields or its hash changed);
   * prev_mismatch: prev_hash is not the hash of the row before it (a row removed, inserted or replaced);
   * seq_gap: seq does not follow the row before it (a row removed, or the chain starts after 1).
   */
  reason: AuditBreak;
}

export interface AuditChainReport {
  subjects: number;
  rows: number;
  /** Rows from before the chain existed (migration 0002), accepted at the start of a chain but unverifiable. */
  legacy: number;
  /** The first `maxBroken` findings, in chain order; a row can fail more than one check. */
  broken: BrokenAuditRow[];
  /** All findings, also those beyond `maxBroken`. */
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
  at_us: string;
  actor_id: string | null;
  action: string;
  data: unknown;
  request_id: string | null;
}

/**
 * Recomputes every chain (or one subject type's, or one subject's) from the rows as stored. Reads in
 * (subject_type, subject_id, seq) order along the unique index, a batch at a time with keyset pagination, so
 * memory stays flat however large the table. No long snapshot is held: rows are only ever appended, so a row
 * written during the run either continues a chain consistently or belongs to a subject already passed.
 */
export async function verifyAuditChain(ex: Executor, options: VerifyOptions = {}): Promise<AuditChainReport> {
  const batchSize = options.batchSize ?? 5000;
  const maxBroken = options.maxBroken ?? 10_000;
  const report: AuditChainReport = { subjects: 0, rows: 0, legacy: 0, broken: [], brokenCount: 0 };
  let last: ChainRow | undefined;
  let expectedSeq = 1;
  let expectedPrev: string | null = null;
  let chainStarted = false;

  const flag = (row: ChainRow, reason: AuditBreak) => {
    report.brokenCount++;
    if (report.broken.length < maxBroken) {
      report.broken.push({
        id: Number(row.id),
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        seq: row.seq,
        reason,
      });
    }
  };

  for (;;) {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (options.subjectType !== undefined) where.push(`subject_type = ${param(options.subjectType)}`);
    if (options.subjectId !== undefined) where.push(`subject_id = ${param(options.subjectId)}`);
    if (last)
      where.push(
        `(subject_type, subject_id, seq) > (${param(last.subject_type)}, ${param(last.subject_id)}, ${param(last.seq)})`,
      );
    // `at` as text with microseconds in UTC: exact whatever the driver's Date parsing or the session time zone.
    const { rows } = await ex.query<ChainRow>(
      `SELECT id, subject_type, subject_id, seq, prev_hash, hash,
              to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at_us,
              actor_id::text AS actor_id, action, data, request_id
         FROM audit_events
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY subject_type, subject_id, seq
        LIMIT ${param(batchSize)}`,
      params,
    );

    for (const row of rows) {
      if (!last || row.subject_type !== last.subject_type || row.subject_id !== last.subject_id) {
        report.subjects++;
        expectedSeq = 1;
        expectedPrev = null;
        chainStarted = false;
      }
      report.rows++;
      if (row.seq !== expectedSeq) flag(row, 'seq_gap');
      if (row.prev_hash !== expectedPrev) flag(row, 'prev_mismatch');
      if (row.hash === LEGACY_HASH && !chainStarted) {
        report.legacy++;
      } else {
        chainStarted = true;
        // Written rows have whole milliseconds; anything finer was not what the hash covered and will not match.
        const at = row.at_us.endsWith('000') ? `${row.at_us.slice(0, -3)}Z` : `${row.at_us}Z`;
        const hash = auditHash({
          subjectType: row.subject_type,
          subjectId: row.subject_id,
          seq: row.seq,
          at,
          actorId: row.actor_id,
          action: row.action,
          data: row.data,
          requestId: row.request_id,
          prevHash: row.prev_hash,
        });
        if (hash !== row.hash) flag(row, 'hash_mismatch');
      }
      // Continue from what is stored, so that one altered row is reported once, not with every row after it.
      expectedSeq = row.seq + 1;
      expectedPrev = row.hash;
      last = row;
    }
    if (rows.length < batchSize) return report;
  }
}
