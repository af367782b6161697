// SQL of the key-item list: the batches and items (migration 0010) and the state of the bundles they link to.
import type { Executor } from '../../platform/db.ts';
import { maskText } from '../../platform/pii.ts';
import type { BundleState } from './keyitems.domain.ts';

export interface BatchRow {
  id: string;
  year: number;
  labelZh: string;
  labelEn: string;
  issued: string | null;
  itemCount: number | null;
  countInferred: boolean;
  sourceUrl: string;
  noteZh: string | null;
  noteEn: string | null;
}

export interface KeyItemRow {
  id: string;
  batchId: string;
  year: number;
  nameZh: string;
  nameEn: string;
  audience: 'person' | 'enterprise';
  leadDepartment: string | null;
  inferred: string[];
  verified: boolean;
  sourceUrl: string;
  sourceNoteZh: string | null;
  sourceNoteEn: string | null;
  bundleCode: string | null;
  targetDate: string | null;
  note: string | null;
  updatedAt: string | null;
}

export async function years(ex: Executor): Promise<number[]> {
  const { rows } = await ex.query<{ year: number }>(`SELECT DISTINCT year FROM key_item_batches ORDER BY year`);
  return rows.map((r) => r.year);
}

export async function batches(ex: Executor, year: number | null): Promise<BatchRow[]> {
  const { rows } = await ex.query<BatchRow>(
    `SELECT id, year, label_zh AS "labelZh", label_en AS "labelEn", issued, item_count AS "itemCount", count_inferred AS "countInferred",
            source_url AS "sourceUrl", note_zh AS "noteZh", note_en AS "noteEn"
       FROM key_item_batches WHERE $1::int IS NULL OR year = $1::int ORDER BY year, position`,
    [year],
  );
  return rows;
}

const ITEM = `SELECT k.id, k.batch_id AS "batchId", b.year, k.name_zh AS "nameZh", k.name_en AS "nameEn", k.audience, k.lead_department AS "leadDepartment",
                     k.inferred, k.verified, k.source_url AS "sourceUrl", k.source_note_zh AS "sourceNoteZh", k.source_note_en AS "sourceNoteEn",
                     k.bundle_code AS "bundleCode", k.target_date::text AS "targetDate", k.note, k.updated_at AS "updatedAt"
                FROM key_items k JOIN key_item_batches b ON b.id = k.batch_id`;

export async function items(ex: Executor, year: number | null): Promise<KeyItemRow[]> {
  const { rows } = await ex.query<KeyItemRow>(
    `${ITEM} WHERE $1::int IS NULL OR b.year = $1::int ORDER BY b.year, b.position, k.position`,
    [year],
  );
  return rows.map(fixRow);
}

export async function item(ex: Executor, id: string, lock = false): Promise<KeyItemRow | undefined> {
  const { rows } = await ex.query<KeyItemRow>(`${ITEM} WHERE k.id = $1${lock ? ' FOR UPDATE OF k' : ''}`, [id]);
  return rows[0] ? fixRow(rows[0]) : undefined;
}

function fixRow(r: KeyItemRow): KeyItemRow {
  // text[] arrives as an array from pg and PGlite; a timestamp as a Date.
  const updated = r.updatedAt as unknown;
  return {
    ...r,
    inferred: Array.isArray(r.inferred) ? r.inferred : [],
    updatedAt: updated instanceof Date ? updated.toISOString() : (updated as string | null),
  };
}

export async function update(
  ex: Executor,
  id: string,
  v: { bundleCode: string | null; targetDate: string | null; note: string | null },
  by: string | null,
): Promise<void> {
  // A note is the province's remark on its delivery: no role needs a personal number in it in full, so one typed
  // there (a contact's mobile) is kept masked (platform/pii.ts, docs/adr/0023).
  await ex.query(
    `UPDATE key_items SET bundle_code = $2, target_date = $3::date, note = $4, updated_at = now(), updated_by = $5 WHERE id = $1`,
    [id, v.bundleCode, v.targetDate, v.note === null ? null : maskText(v.note), by],
  );
}

/** Links an item to a bundle only where nobody has edited it and the bundle exists (the demo seed). */
export async function linkIfUntouched(ex: Executor, id: string, bundleCode: string): Promise<boolean> {
  const { rows } = await ex.query<{ id: string }>(
    `UPDATE key_items SET bundle_code = $2 WHERE id = $1 AND bundle_code IS NULL AND updated_at IS NULL AND EXISTS (SELECT 1 FROM bundles WHERE code = $2) RETURNING id`,
    [id, bundleCode],
  );
  return rows.length > 0;
}

export async function bundleExists(ex: Executor, code: string): Promise<boolean> {
  const { rows } = await ex.query(`SELECT 1 FROM bundles WHERE code = $1`, [code]);
  return rows.length > 0;
}

/** The latest published version of each bundle given, and whether it has an open draft. */
export async function bundleStates(
  ex: Executor,
  codes: string[],
): Promise<Map<string, BundleState & { nameZh: string | null; nameEn: string | null }>> {
  const out = new Map<string, BundleState & { nameZh: string | null; nameEn: string | null }>();
  if (codes.length === 0) return out;
  const { rows } = await ex.query<{
    code: string;
    version: number | null;
    published_at: Date | string | null;
    has_draft: boolean;
    name_zh: string | null;
    name_en: string | null;
  }>(
    `SELECT b.code, p.version, p.published_at, EXISTS (SELECT 1 FROM bundle_versions d WHERE d.bundle_code = b.code AND d.status = 'draft') AS has_draft,
            coalesce(p.content, d.content)->'name'->>'zh' AS name_zh, coalesce(p.content, d.content)->'name'->>'en' AS name_en
       FROM bundles b
       LEFT JOIN LATERAL (SELECT version, published_at, content FROM bundle_versions WHERE bundle_code = b.code AND status = 'published' ORDER BY version DESC LIMIT 1) p ON true
       LEFT JOIN LATERAL (SELECT content FROM bundle_versions WHERE bundle_code = b.code ORDER BY version DESC LIMIT 1) d ON true
      WHERE b.code = ANY($1::text[])`,
    [codes],
  );
  for (const r of rows) {
    const at = r.published_at instanceof Date ? r.published_at.toISOString() : r.published_at;
    out.set(r.code, {
      published: r.version === null ? null : { version: r.version, publishedAt: at },
      hasDraft: r.has_draft,
      nameZh: r.name_zh,
      nameEn: r.name_en,
    });
  }
  return out;
}
