// SQL of applications, drafts, uploaded files and profile attributes.
import { and, desc, eq, sql } from 'drizzle-orm';
import { asStored, rowsFor, type Executor, type InsertPart, type RawPart } from '../../platform/db.ts';
import { applicationDrafts, applications, files, profileAttributes } from './applications.tables.ts';
import type { PiiSealer } from '../../platform/pii.ts';

/**
 * Personal data at rest (platform/pii.ts): the strings of answers, form and materials that hold ID or phone
 * numbers are stored encrypted, and rows are returned with them still encrypted; the services reveal them (with
 * an audit row) to whoever needs the full values or mask them for everyone else.
 */
function sealDocuments<T extends { answers?: unknown; form?: unknown; materials?: unknown }>(
  pii: PiiSealer,
  row: T,
): T {
  return {
    ...row,
    ...(row.answers !== undefined ? { answers: pii.sealJson(row.answers) } : {}),
    ...(row.form !== undefined ? { form: pii.sealJson(row.form) } : {}),
    ...(row.materials !== undefined ? { materials: pii.sealJson(row.materials) } : {}),
  };
}

export type ApplicationRow = typeof applications.$inferSelect;
export type DraftRow = typeof applicationDrafts.$inferSelect;
export type FileRow = typeof files.$inferSelect;

/**
 * The number of a new application: 一件事 application numbers are YJS + the day + an 8-digit sequence, unique and
 * readable over the phone. Taken before the submission's statement, because its audit rows (hashed) carry it.
 */
export async function nextApplicationNumber(ex: Executor, submittedOn: string): Promise<string> {
  const day = submittedOn.replaceAll('-', '');
  if (!/^\d{8}$/.test(day)) throw new TypeError(`submittedOn must be a date: ${submittedOn}`);
  const { rows } = await ex.query<{ n: string }>(
    `SELECT 'YJS' || $1::text || lpad(nextval('application_number_seq')::text, 8, '0') AS n`,
    [day],
  );
  return rows[0]!.n;
}

/**
 * A new application as a part of its submission's one statement (platform/db.ts insertTogether), its documents
 * sealed, and as a read gives it back once written. Its timestamps must be given.
 */
export function newApplicationPart(
  pii: PiiSealer,
  row: typeof applications.$inferInsert,
): {
  part: InsertPart;
  stored: ApplicationRow;
} {
  const sealed = sealDocuments(pii, row);
  return { part: rowsFor(applications, [sealed]), stored: asStored(applications, sealed) };
}

/** Deleting the applicant's draft a submission came from, as a part of the submission's statement. */
export function deleteDraftPart(id: string, applicantId: string): RawPart {
  return { sql: 'DELETE FROM application_drafts WHERE id = $1 AND applicant_id = $2', params: [id, applicantId] };
}

export async function findApplication(ex: Executor, id: string): Promise<ApplicationRow | undefined> {
  const rows = await ex.db.select().from(applications).where(eq(applications.id, id)).limit(1);
  return rows[0];
}

export async function findByIdempotencyKey(
  ex: Executor,
  applicantId: string,
  key: string,
): Promise<ApplicationRow | undefined> {
  const rows = await ex.db
    .select()
    .from(applications)
    .where(and(eq(applications.applicantId, applicantId), eq(applications.idempotencyKey, key)))
    .limit(1);
  return rows[0];
}

/** An applicant's applications, newest first; `bundles` narrows them to what a proxy covers. */
export async function listApplications(
  ex: Executor,
  applicantId: string,
  limit: number,
  offset: number,
  bundles: string[] | null = null,
): Promise<ApplicationRow[]> {
  const where = bundles
    ? and(
        eq(applications.applicantId, applicantId),
        sql`${applications.bundleCode} = ANY(${sql.param(bundles)}::text[])`,
      )
    : eq(applications.applicantId, applicantId);
  return ex.db
    .select()
    .from(applications)
    .where(where)
    .orderBy(desc(applications.submittedAt))
    .limit(limit)
    .offset(offset);
}

// ---- drafts ----

export async function insertDraft(
  ex: Executor,
  pii: PiiSealer,
  row: typeof applicationDrafts.$inferInsert,
): Promise<void> {
  await ex.db.insert(applicationDrafts).values(sealDocuments(pii, row));
}

export async function findDraft(ex: Executor, id: string, applicantId: string): Promise<DraftRow | undefined> {
  const rows = await ex.db
    .select()
    .from(applicationDrafts)
    .where(and(eq(applicationDrafts.id, id), eq(applicationDrafts.applicantId, applicantId)))
    .limit(1);
  return rows[0];
}

export async function listDrafts(ex: Executor, applicantId: string): Promise<DraftRow[]> {
  return ex.db
    .select()
    .from(applicationDrafts)
    .where(eq(applicationDrafts.applicantId, applicantId))
    .orderBy(desc(applicationDrafts.updatedAt))
    .limit(100);
}

export async function updateDraft(
  ex: Executor,
  pii: PiiSealer,
  id: string,
  applicantId: string,
  set: Partial<typeof applicationDrafts.$inferInsert>,
): Promise<boolean> {
  const rows = await ex.db
    .update(applicationDrafts)
    .set({ ...sealDocuments(pii, set), updatedAt: new Date() })
    .where(and(eq(applicationDrafts.id, id), eq(applicationDrafts.applicantId, applicantId)))
    .returning({ id: applicationDrafts.id });
  return rows.length > 0;
}

export async function deleteDraft(ex: Executor, id: string, applicantId: string): Promise<boolean> {
  const rows = await ex.db
    .delete(applicationDrafts)
    .where(and(eq(applicationDrafts.id, id), eq(applicationDrafts.applicantId, applicantId)))
    .returning({ id: applicationDrafts.id });
  return rows.length > 0;
}

// ---- files ----

/** A file's row, its name sealed when it holds a personal number (身份证_3201….pdf); rows come back so. */
export async function insertFile(ex: Executor, pii: PiiSealer, row: typeof files.$inferInsert): Promise<void> {
  await ex.db.insert(files).values({ ...row, fileName: pii.sealJson(row.fileName) });
}

export async function ownedFileIds(ex: Executor, ownerId: string, ids: string[]): Promise<Set<string>> {
  const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (valid.length === 0) return new Set();
  const rows = await ex.db
    .select({ id: files.id })
    .from(files)
    .where(and(eq(files.ownerId, ownerId), sql`${files.id} = ANY(${sql.param(valid)}::uuid[])`));
  return new Set(rows.map((r) => r.id));
}

/** The owner's files among these ids (other ids, and other owners' files, are left out). */
export async function filesOf(ex: Executor, ownerId: string, ids: string[]): Promise<FileRow[]> {
  const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (valid.length === 0) return [];
  return ex.db
    .select()
    .from(files)
    .where(and(eq(files.ownerId, ownerId), sql`${files.id} = ANY(${sql.param(valid)}::uuid[])`));
}

// ---- profiles ----

export async function profileOf(
  ex: Executor,
  accountId: string,
): Promise<Array<{ attribute: string; value: unknown; source: string }>> {
  // Raw SQL: Drizzle's jsonb reader parses a JSON string value a second time ("3201…" would become a number).
  const { rows } = await ex.query<{ attribute: string; value: unknown; source: string }>(
    'SELECT attribute, value, source FROM profile_attributes WHERE account_id = $1',
    [accountId],
  );
  return rows;
}

export async function upsertProfileAttribute(
  ex: Executor,
  pii: PiiSealer,
  accountId: string,
  attribute: string,
  value: unknown,
  source: string,
): Promise<void> {
  // Serialised here: a bare string handed to a jsonb parameter is parsed as JSON text ("3201…" would become a number).
  const json = sql`${JSON.stringify(pii.sealJson(value))}::jsonb`;
  await ex.db
    .insert(profileAttributes)
    .values({ accountId, attribute, value: json, source })
    .onConflictDoUpdate({
      target: [profileAttributes.accountId, profileAttributes.attribute],
      set: { value: json, source, updatedAt: new Date() },
    });
}
