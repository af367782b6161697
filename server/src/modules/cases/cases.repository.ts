// SQL of department cases, their events and correction notices.
import { and, asc, eq, sql } from 'drizzle-orm';
import { asStored, regionWithinSql, rowsFor, type Executor, type InsertPart } from '../../platform/db.ts';
import { caseEvents, cases, correctionNotices } from './cases.tables.ts';
import { OPEN_STATUSES, type CaseStatus } from './cases.domain.ts';
import type { GapStatus } from '@onething/shared/cases';
import type { PiiSealer } from '../../platform/pii.ts';

/**
 * Personal data at rest (platform/pii.ts): strings holding ID or phone numbers in case data, inputs, events,
 * correction notices and free-text reasons are stored encrypted and returned encrypted; presentation reveals
 * them (audited) to the department or masks them.
 */
const SEALED = ['data', 'inputs', 'toleratedGap', 'decisionReason', 'reason', 'problems', 'note', 'supplied'] as const;
function seal<T extends object>(pii: PiiSealer, row: T): T {
  const out = { ...row } as Record<string, unknown>;
  for (const k of SEALED) if (out[k] !== undefined && out[k] !== null) out[k] = pii.sealJson(out[k]);
  return out as T;
}

export type CaseRow = typeof cases.$inferSelect;
export type NewCase = typeof cases.$inferInsert;
export type CaseEventRow = typeof caseEvents.$inferSelect;
export type CorrectionRow = typeof correctionNotices.$inferSelect;

export type NewCaseEvent = typeof caseEvents.$inferInsert;

/**
 * New cases and their first events as parts of one statement (platform/db.ts insertTogether), personal data
 * sealed; `stored` gives them back as a read would once the statement has run (the events' ids are the sequence's).
 * Their timestamps must be given (not left to now()), so that what is given back is what was stored.
 */
export function newCaseParts(pii: PiiSealer, rows: NewCase[], events: NewCaseEvent[]) {
  const sealedCases = rows.map((r) => seal(pii, r));
  const sealedEvents = events.map((e) => seal(pii, e));
  const eventPart: InsertPart = rowsFor(caseEvents, sealedEvents, 'id');
  return {
    parts: [rowsFor(cases, sealedCases), eventPart],
    stored(returned: Map<InsertPart, unknown[]>): { cases: CaseRow[]; events: CaseEventRow[] } {
      const ids = returned.get(eventPart) ?? [];
      if (ids.length !== sealedEvents.length)
        throw new Error(`expected ${sealedEvents.length} case event ids, got ${ids.length}`);
      return {
        cases: sealedCases.map((r) => asStored(cases, r)),
        events: sealedEvents.map((e, i) => asStored(caseEvents, { ...e, id: Number(ids[i]) })),
      };
    },
  };
}

/**
 * An application's progress (status, promised date, completion), which its cases decide. The columns sit on the
 * applications row, which the applicant's list and view read in one select; the cases context is their one writer.
 */
/**
 * An application's progress (status, promised date, completion), which the cases decide as their cases move. The
 * columns are on the application's row, which applications reads whole; plain SQL, since the applications table is
 * that module's (its Drizzle definition is not imported across modules). Only the fields given are set.
 */
export async function setApplicationProgress(
  ex: Executor,
  applicationId: string,
  set: { status?: 'in_progress' | 'completed' | 'withdrawn'; promisedDate?: string | null; completedAt?: Date | null },
): Promise<void> {
  const params: unknown[] = [applicationId, new Date().toISOString()];
  const columns = ['updated_at = $2::timestamptz'];
  if (set.status !== undefined) columns.push(`status = $${params.push(set.status)}`);
  if (set.promisedDate !== undefined) columns.push(`promised_date = $${params.push(set.promisedDate)}::date`);
  if (set.completedAt !== undefined)
    columns.push(`completed_at = $${params.push(set.completedAt?.toISOString() ?? null)}::timestamptz`);
  await ex.query(`UPDATE applications SET ${columns.join(', ')} WHERE id = $1::uuid`, params);
}

export async function findCase(ex: Executor, id: string, forUpdate = false): Promise<CaseRow | undefined> {
  const q = ex.db.select().from(cases).where(eq(cases.id, id)).limit(1);
  const rows = forUpdate ? await q.for('update') : await q;
  return rows[0];
}

export async function casesOfApplication(ex: Executor, applicationId: string, forUpdate = false): Promise<CaseRow[]> {
  const q = ex.db
    .select()
    .from(cases)
    .where(eq(cases.applicationId, applicationId))
    .orderBy(asc(cases.createdAt), asc(cases.itemCode));
  return forUpdate ? q.for('update') : q;
}

export async function updateCase(ex: Executor, pii: PiiSealer, id: string, set: Partial<NewCase>): Promise<void> {
  await ex.db
    .update(cases)
    .set({ ...seal(pii, set), updatedAt: new Date() })
    .where(eq(cases.id, id));
}

export async function insertEvent(ex: Executor, pii: PiiSealer, e: typeof caseEvents.$inferInsert): Promise<void> {
  await ex.db.insert(caseEvents).values(seal(pii, e));
}

export async function eventsOfCases(ex: Executor, caseIds: string[]): Promise<CaseEventRow[]> {
  if (caseIds.length === 0) return [];
  return ex.db
    .select()
    .from(caseEvents)
    .where(sql`${caseEvents.caseId} = ANY(${sql.param(caseIds)}::uuid[])`)
    .orderBy(asc(caseEvents.id));
}

export async function insertCorrection(
  ex: Executor,
  pii: PiiSealer,
  c: typeof correctionNotices.$inferInsert,
): Promise<void> {
  await ex.db.insert(correctionNotices).values(seal(pii, c));
}

export async function openCorrection(ex: Executor, caseId: string): Promise<CorrectionRow | undefined> {
  const rows = await ex.db
    .select()
    .from(correctionNotices)
    .where(and(eq(correctionNotices.caseId, caseId), sql`${correctionNotices.suppliedOn} IS NULL`))
    .limit(1);
  return rows[0];
}

export async function correctionsOfCases(ex: Executor, caseIds: string[]): Promise<CorrectionRow[]> {
  if (caseIds.length === 0) return [];
  return ex.db
    .select()
    .from(correctionNotices)
    .where(sql`${correctionNotices.caseId} = ANY(${sql.param(caseIds)}::uuid[])`)
    .orderBy(asc(correctionNotices.issuedOn));
}

export async function closeCorrection(
  ex: Executor,
  pii: PiiSealer,
  id: string,
  suppliedOn: string,
  supplied: unknown[],
): Promise<void> {
  await ex.db
    .update(correctionNotices)
    .set({ suppliedOn, supplied: pii.sealJson(supplied) })
    .where(eq(correctionNotices.id, id));
}

export interface QueueFilter {
  departmentCode: string;
  /** Only cases whose region lies within it (division_within, migration 0004); the service always gives it. */
  jurisdiction?: string | undefined;
  status?: string | undefined;
  dueBefore?: string | undefined;
  flag?: 'near_due' | 'overdue' | undefined;
  bundleCode?: string | undefined;
  /** A division within the jurisdiction (a district of a city's department, say): its cases only. */
  region?: string | undefined;
  limit: number;
  offset: number;
  /**
   * Count the matching cases only up to this many: past it, `total` is this number and `more` is true. The count
   * then reads at most this many index entries, however long the queue; without it every match is counted.
   */
  countUpTo?: number | undefined;
}

export interface QueueRow {
  id: string;
  application_id: string;
  application_number: string;
  bundle_code: string;
  item_code: string;
  status: CaseStatus;
  received_on: string | null;
  accepted_on: string | null;
  due_date: string | null;
  near_due: boolean;
  overdue: boolean;
  gap_status: GapStatus | null;
}

/**
 * The department queue: open cases, due soonest first (cases not yet accepted after them, oldest first), one
 * page of them and how many there are in all (or, with `countUpTo`, whether there are more than that). Both queries
 * walk a partial index on the open statuses (cases_queue_idx, or cases_queue_count_idx of migration 0007 when the
 * filters suit it). An exact count reads an index entry per matching case, and entries not yet marked all-visible
 * read the table too: 31 ms at the 71,000 open cases the bench leaves (docs/benchmarks.md). Counted up to 10,000, it
 * stops after that many entries, however long the queue grows.
 */
export async function queue(ex: Executor, f: QueueFilter): Promise<{ rows: QueueRow[]; total: number; more: boolean }> {
  const params: unknown[] = [f.departmentCode];
  const where = [
    `c.department_code = $1`,
    `c.status IN (${OPEN_STATUSES.filter((s) => s !== 'waiting')
      .map((s) => `'${s}'`)
      .join(', ')})`,
  ];
  // division_within(c.region_code, $j) row by row costs a PL/pgSQL call per case (1.7 s to count 100,000); a range
  // on the region code says the same with the prefix computed once (regionWithinSql).
  if (f.jurisdiction) {
    params.push(f.jurisdiction);
    where.push(regionWithinSql('c.region_code', `$${params.length}`));
  }
  if (f.region) {
    params.push(f.region);
    where.push(regionWithinSql('c.region_code', `$${params.length}`));
  }
  if (f.status) {
    params.push(f.status);
    where.push(`c.status = $${params.length}`);
  }
  if (f.dueBefore) {
    params.push(f.dueBefore);
    where.push(`c.due_date <= $${params.length}::date`);
  }
  if (f.flag) where.push(`c.${f.flag === 'near_due' ? 'near_due' : 'overdue'}`);
  // Only the bundle filter needs the application; the count joins it only then.
  const bundle = f.bundleCode ? (params.push(f.bundleCode), `a.bundle_code = $${params.length}`) : null;
  const all = [...where, ...(bundle ? [bundle] : [])].join(' AND ');
  const matching = bundle
    ? `cases c JOIN applications a ON a.id = c.application_id WHERE ${all}`
    : `cases c WHERE ${where.join(' AND ')}`;
  const cap = f.countUpTo;
  // The page and the count are sent together: on PostgreSQL they run on two pooled connections at once (the count of
  // 100,000 open cases takes most of the time), on PGlite one after the other.
  const [page, counted] = await Promise.all([
    ex.query<QueueRow>(
      `SELECT c.id, c.application_id, a.number AS application_number, a.bundle_code, c.item_code, c.status,
              c.received_on::text, c.accepted_on::text, c.due_date::text, c.near_due, c.overdue, c.gap_status
         FROM cases c JOIN applications a ON a.id = c.application_id
        WHERE ${all}
        ORDER BY c.due_date NULLS LAST, c.created_at
        LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`,
      params,
    ),
    ex.query<{ n: number }>(
      cap === undefined
        ? `SELECT count(*)::int AS n FROM ${matching}`
        : `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${matching} LIMIT ${cap + 1}) m`,
      params,
    ),
  ]);
  const n = counted.rows[0]?.n ?? 0;
  return cap !== undefined && n > cap
    ? { rows: page.rows, total: cap, more: true }
    : { rows: page.rows, total: n, more: false };
}

/** Open cases with a running clock, for the sweep that sets near-due and overdue flags. */
export async function clockedCases(ex: Executor, afterId: string | null, limit: number): Promise<CaseRow[]> {
  return ex.db
    .select()
    .from(cases)
    .where(
      and(
        sql`${cases.status} IN ('accepted', 'reviewing', 'decided', 'awaiting_correction')`,
        afterId ? sql`${cases.id} > ${afterId}` : sql`true`,
      ),
    )
    .orderBy(asc(cases.id))
    .limit(limit);
}

/** Cases whose due dates were counted into a year not loaded at the time, in id order after `afterId`. */
export async function provisionalClocks(ex: Executor, afterId: string | null, limit: number): Promise<string[]> {
  const { rows } = await ex.query<{ id: string }>(
    `SELECT id FROM cases WHERE clock_provisional AND ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((r) => r.id);
}

export async function overdueGaps(ex: Executor, today: string): Promise<Array<{ id: string }>> {
  const { rows } = await ex.query<{ id: string }>(
    `SELECT id FROM cases WHERE gap_status = 'open' AND gap_due_date < $1::date ORDER BY gap_due_date, id LIMIT 1000`,
    [today],
  );
  return rows;
}
