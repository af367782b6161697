// SQL of the catalogue: items, bundles and their versions, departments.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.ts';
import { bundleVersions, bundles, departments, serviceItemVersions, serviceItems } from './catalogue.tables.ts';

export type ItemVersionRow = typeof serviceItemVersions.$inferSelect;
export type BundleVersionRow = typeof bundleVersions.$inferSelect;
export type DepartmentRow = typeof departments.$inferSelect;

export async function listDepartments(ex: Executor): Promise<DepartmentRow[]> {
  return ex.db.select().from(departments).orderBy(asc(departments.regionCode), asc(departments.code));
}

export async function departmentCodes(ex: Executor): Promise<Set<string>> {
  const rows = await ex.db.select({ code: departments.code }).from(departments);
  return new Set(rows.map((r) => r.code));
}

export async function upsertDepartment(
  ex: Executor,
  d: { code: string; nameZh: string; nameEn: string; regionCode: string; sector: string },
): Promise<void> {
  await ex.db
    .insert(departments)
    .values(d)
    .onConflictDoUpdate({
      target: departments.code,
      set: { nameZh: d.nameZh, nameEn: d.nameEn, regionCode: d.regionCode, sector: d.sector, updatedAt: new Date() },
    });
}

// ---- service items ----

export async function latestItemVersion(
  ex: Executor,
  code: string,
  status?: 'draft' | 'published',
): Promise<ItemVersionRow | undefined> {
  const rows = await ex.db
    .select()
    .from(serviceItemVersions)
    .where(
      status
        ? and(eq(serviceItemVersions.itemCode, code), eq(serviceItemVersions.status, status))
        : eq(serviceItemVersions.itemCode, code),
    )
    .orderBy(desc(serviceItemVersions.version))
    .limit(1);
  return rows[0];
}

export async function itemVersion(ex: Executor, code: string, version: number): Promise<ItemVersionRow | undefined> {
  const rows = await ex.db
    .select()
    .from(serviceItemVersions)
    .where(and(eq(serviceItemVersions.itemCode, code), eq(serviceItemVersions.version, version)))
    .limit(1);
  return rows[0];
}

export async function itemVersions(ex: Executor, code: string): Promise<ItemVersionRow[]> {
  return ex.db
    .select()
    .from(serviceItemVersions)
    .where(eq(serviceItemVersions.itemCode, code))
    .orderBy(asc(serviceItemVersions.version));
}

/** The latest published version of every item (or of the codes given). */
export async function latestPublishedItems(ex: Executor, codes?: string[]): Promise<ItemVersionRow[]> {
  if (codes && codes.length === 0) return [];
  const { rows } = await ex.query<{ item_code: string; version: number }>(
    `SELECT DISTINCT ON (item_code) item_code, version FROM service_item_versions
      WHERE status = 'published' ${codes ? 'AND item_code = ANY($1::text[])' : ''}
      ORDER BY item_code, version DESC`,
    codes ? [codes] : [],
  );
  if (rows.length === 0) return [];
  return ex.db
    .select()
    .from(serviceItemVersions)
    .where(
      sql`(${serviceItemVersions.itemCode}, ${serviceItemVersions.version}) IN (${sql.join(
        rows.map((r) => sql`(${r.item_code}, ${r.version})`),
        sql`, `,
      )})`,
    )
    .orderBy(asc(serviceItemVersions.itemCode));
}

/** Published version numbers per item, for the codes given. */
export async function publishedItemVersionNumbers(ex: Executor, codes: string[]): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  if (codes.length === 0) return out;
  const { rows } = await ex.query<{ item_code: string; version: number }>(
    `SELECT item_code, version FROM service_item_versions WHERE status = 'published' AND item_code = ANY($1::text[])`,
    [codes],
  );
  for (const r of rows) {
    if (!out.has(r.item_code)) out.set(r.item_code, new Set());
    out.get(r.item_code)!.add(r.version);
  }
  return out;
}

export async function ensureItem(ex: Executor, code: string): Promise<void> {
  await ex.db.insert(serviceItems).values({ code }).onConflictDoNothing();
}

export async function insertItemVersion(ex: Executor, row: typeof serviceItemVersions.$inferInsert): Promise<void> {
  await ex.db.insert(serviceItemVersions).values(row);
}

export async function updateItemDraft(
  ex: Executor,
  code: string,
  version: number,
  set: Partial<typeof serviceItemVersions.$inferInsert>,
): Promise<void> {
  await ex.db
    .update(serviceItemVersions)
    .set(set)
    .where(
      and(
        eq(serviceItemVersions.itemCode, code),
        eq(serviceItemVersions.version, version),
        eq(serviceItemVersions.status, 'draft'),
      ),
    );
}

// ---- bundles ----

export async function latestBundleVersion(
  ex: Executor,
  code: string,
  status?: 'draft' | 'published',
): Promise<BundleVersionRow | undefined> {
  const rows = await ex.db
    .select()
    .from(bundleVersions)
    .where(
      status
        ? and(eq(bundleVersions.bundleCode, code), eq(bundleVersions.status, status))
        : eq(bundleVersions.bundleCode, code),
    )
    .orderBy(desc(bundleVersions.version))
    .limit(1);
  return rows[0];
}

/** The number of a bundle's newest version in a status, without reading its content. */
export async function latestBundleVersionNumber(
  ex: Executor,
  code: string,
  status: 'draft' | 'published',
): Promise<number | undefined> {
  const rows = await ex.db
    .select({ version: bundleVersions.version })
    .from(bundleVersions)
    .where(and(eq(bundleVersions.bundleCode, code), eq(bundleVersions.status, status)))
    .orderBy(desc(bundleVersions.version))
    .limit(1);
  return rows[0]?.version;
}

export async function bundleVersion(
  ex: Executor,
  code: string,
  version: number,
): Promise<BundleVersionRow | undefined> {
  const rows = await ex.db
    .select()
    .from(bundleVersions)
    .where(and(eq(bundleVersions.bundleCode, code), eq(bundleVersions.version, version)))
    .limit(1);
  return rows[0];
}

export async function bundleVersionList(ex: Executor, code: string): Promise<BundleVersionRow[]> {
  return ex.db
    .select()
    .from(bundleVersions)
    .where(eq(bundleVersions.bundleCode, code))
    .orderBy(asc(bundleVersions.version));
}

export interface BundleListFilter {
  stage?: string | undefined;
  audience?: string | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

/** The latest published version of each bundle, filtered; with the total for paging. */
export async function listPublishedBundles(
  ex: Executor,
  f: BundleListFilter,
): Promise<{ rows: BundleVersionRow[]; total: number }> {
  const params: unknown[] = [];
  const where: string[] = [`status = 'published'`];
  const outer: string[] = [];
  if (f.stage) {
    params.push(f.stage);
    outer.push(`stage = $${params.length}`);
  }
  if (f.audience) {
    params.push(f.audience);
    outer.push(`audience = $${params.length}`);
  }
  if (f.q) {
    params.push(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    outer.push(
      `(bundle_code ILIKE $${params.length} OR content->'name'->>'zh' ILIKE $${params.length} OR content->'name'->>'en' ILIKE $${params.length})`,
    );
  }
  const latest = `SELECT DISTINCT ON (bundle_code) bundle_code, version, stage, audience, content FROM bundle_versions WHERE ${where.join(' AND ')} ORDER BY bundle_code, version DESC`;
  const filtered = `SELECT * FROM (${latest}) latest ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}`;
  const total = await ex.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${filtered}) f`, params);
  const page = await ex.query<{ bundle_code: string; version: number }>(
    `SELECT bundle_code, version FROM (${filtered}) f ORDER BY bundle_code LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`,
    params,
  );
  if (page.rows.length === 0) return { rows: [], total: total.rows[0]?.n ?? 0 };
  const rows = await ex.db
    .select()
    .from(bundleVersions)
    .where(
      sql`(${bundleVersions.bundleCode}, ${bundleVersions.version}) IN (${sql.join(
        page.rows.map((r) => sql`(${r.bundle_code}, ${r.version})`),
        sql`, `,
      )})`,
    )
    .orderBy(asc(bundleVersions.bundleCode));
  return { rows, total: total.rows[0]?.n ?? 0 };
}

export async function latestPublishedBundles(ex: Executor): Promise<BundleVersionRow[]> {
  const { rows } = await ex.query<{ bundle_code: string; version: number }>(
    `SELECT DISTINCT ON (bundle_code) bundle_code, version FROM bundle_versions WHERE status = 'published' ORDER BY bundle_code, version DESC`,
  );
  if (rows.length === 0) return [];
  return ex.db
    .select()
    .from(bundleVersions)
    .where(
      sql`(${bundleVersions.bundleCode}, ${bundleVersions.version}) IN (${sql.join(
        rows.map((r) => sql`(${r.bundle_code}, ${r.version})`),
        sql`, `,
      )})`,
    )
    .orderBy(asc(bundleVersions.bundleCode));
}

export async function ensureBundle(ex: Executor, code: string): Promise<void> {
  await ex.db.insert(bundles).values({ code }).onConflictDoNothing();
}

export async function insertBundleVersion(ex: Executor, row: typeof bundleVersions.$inferInsert): Promise<void> {
  await ex.db.insert(bundleVersions).values(row);
}

export async function updateBundleDraft(
  ex: Executor,
  code: string,
  version: number,
  set: Partial<typeof bundleVersions.$inferInsert>,
): Promise<void> {
  await ex.db
    .update(bundleVersions)
    .set(set)
    .where(
      and(eq(bundleVersions.bundleCode, code), eq(bundleVersions.version, version), eq(bundleVersions.status, 'draft')),
    );
}

/** Locks a catalogue entry's versions for the rest of the transaction, so two publishes serialise. */
export async function lockEntry(ex: Executor, kind: 'item' | 'bundle', code: string): Promise<void> {
  const table = kind === 'item' ? 'service_items' : 'bundles';
  await ex.query(`SELECT code FROM ${table} WHERE code = $1 FOR UPDATE`, [code]);
}

export interface SearchTermRow {
  phrase: string;
  means: string;
  updated_at: Date | string | null;
}

export async function listSearchTerms(ex: Executor): Promise<SearchTermRow[]> {
  const { rows } = await ex.query<SearchTermRow>(`SELECT phrase, means, updated_at FROM search_terms ORDER BY phrase`);
  return rows;
}

/** Replaces the whole list in one statement pair; every row gets the time and author of this save. */
export async function replaceSearchTerms(
  ex: Executor,
  terms: Array<{ phrase: string; means: string }>,
  by: string | null,
): Promise<void> {
  await ex.query(`DELETE FROM search_terms`);
  if (terms.length === 0) return;
  await ex.query(
    `INSERT INTO search_terms (phrase, means, updated_at, updated_by)
     SELECT p, m, now(), $3::uuid FROM unnest($1::text[], $2::text[]) AS t (p, m)`,
    [terms.map((t) => t.phrase), terms.map((t) => t.means), by],
  );
}

/**
 * What the bundle search's index is built from, in one value: it changes when a bundle or an item is published
 * or a search term is saved, so every server process rebuilds its index then and only then.
 */
export async function searchGeneration(ex: Executor): Promise<string> {
  const { rows } = await ex.query<{ g: string }>(
    `SELECT concat_ws('|',
       (SELECT max(published_at) FROM bundle_versions WHERE status = 'published'),
       (SELECT max(published_at) FROM service_item_versions WHERE status = 'published'),
       (SELECT count(*) FROM search_terms),
       (SELECT max(updated_at) FROM search_terms)) AS g`,
  );
  return rows[0]?.g ?? '';
}
