// The catalogue: service items and one-thing bundles, drafted and published by administrators, read by
// everyone. Each write loads, decides with the pure rules, and saves with its audit row in one transaction.
// Named functions over CatalogueDeps, bound by createCatalogueService (docs/adr/0019).
import {
  BundleContent,
  Department,
  type BundleCheck,
  type BundleDetail,
  type BundleList,
  type BundleSummary,
  type BundleVersion,
  type CatalogueExport,
  type CatalogueFile,
  type DraftResult,
  type ImportResult,
  type ItemSummary,
  type ItemVersion,
  type ServiceItemContent,
  type VersionMeta,
} from '@onething/shared/catalogue';
import { isUniqueViolation, type Database, type Executor } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { fieldError, issuesToFieldErrors, type FieldError } from '@onething/shared/problem';
import { recordAudit } from '../../platform/audit.ts';
import { bindService } from '../../platform/request-context.ts';
import {
  checkBundle,
  checkItem,
  contentHash,
  parseCatalogueFile,
  pinBundle,
  type BundleContext,
} from './catalogue.domain.ts';
import * as repo from './catalogue.repository.ts';
import type { CatalogueDeps, ResolvedBundle, WriteContext } from './catalogue.deps.ts';
import { createSearchState, listSearchTerms, saveSearchTerms, searchBundles } from './catalogue.find.ts';

export type { CatalogueDeps, ResolvedBundle, WriteContext } from './catalogue.deps.ts';
import { CatalogueErrors, CatalogueFieldErrors } from '@onething/shared/catalogue';

const actorOf = (ctx: WriteContext) => ctx.principal?.accountId ?? null;

function meta(row: repo.ItemVersionRow | repo.BundleVersionRow): VersionMeta {
  return {
    version: row.version,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    publishedAt: row.publishedAt ? row.publishedAt.toISOString() : null,
    contentSha256: row.contentSha256,
  };
}

/** Item codes a (not yet parsed) bundle refers to, with pinned versions where given. */
function referencedItems(input: unknown): Array<{ item: string; version?: number }> {
  const b = input as { items?: unknown; variants?: unknown } | null;
  const list = (x: unknown) => (Array.isArray(x) ? x : []);
  const refs = [
    ...list(b?.items),
    ...list(b?.variants).flatMap((v) => list((v as { extraItems?: unknown })?.extraItems)),
  ];
  return refs
    .filter((r): r is { item: string; version?: unknown } => typeof (r as { item?: unknown })?.item === 'string')
    .map((r) => (typeof r.version === 'number' ? { item: r.item, version: r.version } : { item: r.item }));
}

async function bundleContext(
  ex: Executor,
  input: unknown,
  extraDepartments: Iterable<string> = [],
): Promise<BundleContext> {
  const refs = referencedItems(input);
  const codes = [...new Set(refs.map((r) => r.item))];
  const latest = new Map((await repo.latestPublishedItems(ex, codes)).map((r) => [r.itemCode, r]));
  const published = await repo.publishedItemVersionNumbers(ex, codes);
  const items = new Map<string, { version: number; content: ServiceItemContent }>();
  for (const ref of refs) {
    let row: repo.ItemVersionRow | undefined;
    if (ref.version !== undefined) {
      row = published.get(ref.item)?.has(ref.version) ? await repo.itemVersion(ex, ref.item, ref.version) : undefined;
    } else {
      row = latest.get(ref.item);
    }
    if (row) items.set(ref.item, { version: row.version, content: row.content as unknown as ServiceItemContent });
  }
  const departments = await repo.departmentCodes(ex);
  for (const d of extraDepartments) departments.add(d);
  return { departments, items, publishedVersions: published };
}

function departmentRow(d: Department) {
  return { code: d.code, nameZh: d.name.zh, nameEn: d.name.en, regionCode: d.regionCode, sector: d.sector };
}

function departmentView(d: repo.DepartmentRow): Department {
  return { code: d.code, name: { zh: d.nameZh, en: d.nameEn }, regionCode: d.regionCode, sector: d.sector };
}

export function createCatalogueService({ db }: { db: Database }) {
  const deps: CatalogueDeps = { db, resolved: new Map(), search: createSearchState() };
  return bindService(deps, {
    listDepartments,
    upsertDepartment,
    importDepartments,
    publishedItems,
    listBundles,
    getBundle,
    resolveBundle,
    bundleVersions,
    bundleDraft,
    listItems,
    getItem,
    itemVersions,
    itemDraft,
    saveItemDraft,
    publishItem,
    validateBundle,
    saveBundleDraft,
    publishBundle,
    importCatalogue,
    exportCatalogue,
    listSearchTerms,
    saveSearchTerms,
  });
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;

// ---- departments ----

export async function listDepartments({ db }: CatalogueDeps): Promise<Department[]> {
  return (await repo.listDepartments(db)).map(departmentView);
}

export async function upsertDepartment({ db }: CatalogueDeps, ctx: WriteContext, d: Department): Promise<void> {
  await db.transaction(async (tx) => {
    await repo.upsertDepartment(tx, departmentRow(d));
    await recordAudit(tx, {
      actorId: actorOf(ctx),
      action: 'catalogue.department_saved',
      subjectType: 'department',
      subjectId: d.code,
      data: d,
      requestId: ctx.requestId,
    });
  });
}

/** A department as read from a sheet, not yet checked against the Department contract. */
export interface DepartmentSheetRow {
  row: number;
  department: Department;
}

/**
 * Departments from a sheet, all or nothing: each row checked against the Department contract, a code given
 * twice is a problem (pointer /<row>/<field>); then one transaction creates or updates the changed ones.
 */
export async function importDepartments({ db }: CatalogueDeps, ctx: WriteContext, rows: DepartmentSheetRow[]) {
  checkDepartmentRows(rows);
  const existing = new Map((await repo.listDepartments(db)).map((d) => [d.code, d]));
  const count = { created: 0, updated: 0, unchanged: 0 };
  await db.transaction(async (tx) => {
    for (const { department: d } of rows) {
      const old = existing.get(d.code);
      if (old && sameDepartment(old, d)) {
        count.unchanged++;
        continue;
      }
      await repo.upsertDepartment(tx, departmentRow(d));
      await recordAudit(tx, {
        actorId: actorOf(ctx),
        action: 'catalogue.department_saved',
        subjectType: 'department',
        subjectId: d.code,
        data: { ...d, via: 'import' },
        requestId: ctx.requestId,
      });
      count[old ? 'updated' : 'created']++;
    }
  });
  return count;
}

/** Every problem of the sheet at once, or nothing. */
function checkDepartmentRows(rows: DepartmentSheetRow[]): void {
  const problems: FieldError[] = [];
  const first = new Map<string, number>();
  for (const { row, department } of rows) {
    const parsed = Department.safeParse(department);
    if (!parsed.success) problems.push(...issuesToFieldErrors(parsed.error.issues, [row]));
    const previous = first.get(department.code);
    if (previous !== undefined)
      problems.push(fieldError(`/${row}/code`, CatalogueFieldErrors.departmentRepeated, { previous }));
    else first.set(department.code, row);
  }
  if (problems.length)
    throw new AppError(
      CatalogueErrors.departmentsInvalid,
      { rows: new Set(problems.map((x) => x.pointer.split('/')[1])).size },
      problems,
    );
}

function sameDepartment(old: repo.DepartmentRow, d: Department): boolean {
  return (
    old.nameZh === d.name.zh && old.nameEn === d.name.en && old.regionCode === d.regionCode && old.sector === d.sector
  );
}

// ---- what is published ----

/** The latest published version of every item, as the export lists them. */
export async function publishedItems({ db }: CatalogueDeps) {
  return (await repo.latestPublishedItems(db)).map((r) => ({
    version: r.version,
    content: r.content as unknown as ServiceItemContent,
    publishedAt: r.publishedAt,
  }));
}

function bundleSummary(r: repo.BundleVersionRow): BundleSummary {
  const c = r.content as unknown as BundleContent;
  return {
    code: r.bundleCode,
    version: r.version,
    name: c.name,
    description: c.description ?? null,
    stage: c.stage,
    audience: c.audience,
    leadDepartment: c.leadDepartment,
    itemCount: c.items.length,
    promisedDays: c.promisedDays ?? null,
    publishedAt: r.publishedAt?.toISOString() ?? null,
  };
}

/** Published bundles by stage and audience in code order, or for a query best first (catalogue.find.ts). */
export async function listBundles(deps: CatalogueDeps, filter: repo.BundleListFilter): Promise<BundleList> {
  const { q } = filter;
  if (q) return searchBundles(deps, { ...filter, q }, bundleSummary);
  const { rows, total } = await repo.listPublishedBundles(deps.db, filter);
  return { total, items: rows.map(bundleSummary) };
}

/** A published bundle version (the latest when none is named) with its pinned items summarised. */
export async function getBundle({ db }: CatalogueDeps, code: string, version?: number): Promise<BundleDetail> {
  const row =
    version === undefined
      ? await repo.latestBundleVersion(db, code, 'published')
      : await repo.bundleVersion(db, code, version);
  if (row?.status !== 'published') {
    if (version !== undefined && (await repo.latestBundleVersion(db, code)))
      throw new AppError(CatalogueErrors.versionNotFound, { code, version });
    throw new AppError(CatalogueErrors.bundleNotFound, { code });
  }
  const content = row.content as unknown as BundleContent;
  const items = await Promise.all(
    pinsOf(content).map(async (p) => {
      const iv = await repo.itemVersion(db, p.item, p.version!);
      const c = iv!.content as unknown as ServiceItemContent;
      return {
        code: p.item,
        version: p.version!,
        name: c.name,
        departmentCode: c.departmentCode,
        itemType: c.itemType,
        statutoryDays: c.statutoryDays,
        promisedDays: c.promisedDays,
      };
    }),
  );
  return { code, ...meta(row), content, items };
}

/** The item versions a published bundle pins, its variants' included. */
function pinsOf(content: BundleContent) {
  return [...content.items, ...content.variants.flatMap((v) => v.extraItems)];
}

/** The published bundle version (latest when none is named) with its pinned items, for intake. */
export async function resolveBundle(deps: CatalogueDeps, code: string, version?: number): Promise<ResolvedBundle> {
  const { db, resolved } = deps;
  if (version === undefined) {
    // Only the number: the content of a version already resolved is in the cache below.
    version = await repo.latestBundleVersionNumber(db, code, 'published');
    if (version === undefined) throw new AppError(CatalogueErrors.bundleNotFound, { code });
  }
  const key = `${code}@${version}`;
  const cached = resolved.get(key);
  if (cached) return cached;
  const row = await repo.bundleVersion(db, code, version);
  if (row?.status !== 'published') {
    if (await repo.latestBundleVersion(db, code))
      throw new AppError(CatalogueErrors.versionNotFound, { code, version });
    throw new AppError(CatalogueErrors.bundleNotFound, { code });
  }
  const content = row.content as unknown as BundleContent;
  const items: ResolvedBundle['items'] = new Map();
  for (const pin of pinsOf(content)) {
    const iv = (await repo.itemVersion(db, pin.item, pin.version!))!;
    items.set(pin.item, {
      code: pin.item,
      version: pin.version!,
      contentSha256: iv.contentSha256,
      content: iv.content as unknown as ServiceItemContent,
    });
  }
  const bundle = { code, version, contentSha256: row.contentSha256, content, items };
  resolved.set(key, bundle);
  return bundle;
}

export async function bundleVersions(
  { db }: CatalogueDeps,
  code: string,
  includeDrafts: boolean,
): Promise<VersionMeta[]> {
  const rows = await repo.bundleVersionList(db, code);
  const visible = rows.filter((r) => includeDrafts || r.status === 'published');
  if (visible.length === 0) throw new AppError(CatalogueErrors.bundleNotFound, { code });
  return visible.map(meta);
}

export async function bundleDraft({ db }: CatalogueDeps, code: string): Promise<BundleVersion> {
  const row = await repo.latestBundleVersion(db, code, 'draft');
  if (!row) throw new AppError(CatalogueErrors.noDraft, { code });
  // A draft is stored as BundleContent parsed it (saveBundleDraft).
  return { code, ...meta(row), content: row.content as unknown as BundleContent };
}

export async function listItems({ db }: CatalogueDeps): Promise<ItemSummary[]> {
  return (await repo.latestPublishedItems(db)).map((r) => {
    const c = r.content as unknown as ServiceItemContent;
    return {
      code: r.itemCode,
      version: r.version,
      name: c.name,
      departmentCode: c.departmentCode,
      regionCode: c.regionCode,
      itemType: c.itemType,
      serviceObjects: c.serviceObjects,
      statutoryDays: c.statutoryDays,
      promisedDays: c.promisedDays,
    };
  });
}

export async function getItem({ db }: CatalogueDeps, code: string, version?: number): Promise<ItemVersion> {
  const row =
    version === undefined
      ? await repo.latestItemVersion(db, code, 'published')
      : await repo.itemVersion(db, code, version);
  if (row?.status !== 'published') {
    if (version !== undefined && (await repo.latestItemVersion(db, code)))
      throw new AppError(CatalogueErrors.versionNotFound, { code, version });
    throw new AppError(CatalogueErrors.itemNotFound, { code });
  }
  return { code, ...meta(row), content: row.content as unknown as ServiceItemContent };
}

export async function itemVersions(
  { db }: CatalogueDeps,
  code: string,
  includeDrafts: boolean,
): Promise<VersionMeta[]> {
  const rows = (await repo.itemVersions(db, code)).filter((r) => includeDrafts || r.status === 'published');
  if (rows.length === 0) throw new AppError(CatalogueErrors.itemNotFound, { code });
  return rows.map(meta);
}

export async function itemDraft({ db }: CatalogueDeps, code: string): Promise<ItemVersion> {
  const row = await repo.latestItemVersion(db, code, 'draft');
  if (!row) throw new AppError(CatalogueErrors.noDraft, { code });
  // A draft is stored as checkItem parsed it (saveItemDraft).
  return { code, ...meta(row), content: row.content as unknown as ServiceItemContent };
}

// ---- drafting and publishing ----

/** Saves the draft of an item's next version (creating it, or replacing the open draft). */
export async function saveItemDraft(
  { db }: CatalogueDeps,
  ctx: WriteContext,
  code: string,
  input: unknown,
): Promise<DraftResult> {
  const departments = await repo.departmentCodes(db);
  const { item, errors } = checkItem(input, { departments });
  if (!item) throw new AppError(CatalogueErrors.invalidItem, {}, errors);
  if (item.code !== code) throw new AppError(CatalogueErrors.codeMismatch);
  return inTransaction(db, code, async (tx) => {
    await repo.ensureItem(tx, code);
    await repo.lockEntry(tx, 'item', code);
    const content = item as unknown as Record<string, unknown>;
    const hash = contentHash(item);
    const draft = await repo.latestItemVersion(tx, code, 'draft');
    let version: number;
    if (draft) {
      version = draft.version;
      await repo.updateItemDraft(tx, code, version, {
        content,
        contentSha256: hash,
        departmentCode: item.departmentCode,
      });
    } else {
      version = ((await repo.latestItemVersion(tx, code))?.version ?? 0) + 1;
      await repo.insertItemVersion(tx, {
        itemCode: code,
        version,
        status: 'draft',
        content,
        contentSha256: hash,
        departmentCode: item.departmentCode,
        createdBy: actorOf(ctx),
      });
    }
    await recordAudit(tx, {
      actorId: actorOf(ctx),
      action: 'catalogue.item_draft_saved',
      subjectType: 'service_item',
      subjectId: code,
      data: { version },
      requestId: ctx.requestId,
    });
    return { code, version, status: 'draft' as const };
  });
}

export async function publishItem({ db }: CatalogueDeps, ctx: WriteContext, code: string): Promise<DraftResult> {
  return inTransaction(db, code, async (tx) => {
    const draft = await repo.latestItemVersion(tx, code, 'draft');
    if (!draft) {
      if (!(await repo.latestItemVersion(tx, code))) throw new AppError(CatalogueErrors.itemNotFound, { code });
      throw new AppError(CatalogueErrors.noDraft, { code });
    }
    const { item, errors } = checkItem(draft.content, { departments: await repo.departmentCodes(tx) });
    if (!item) throw new AppError(CatalogueErrors.invalidItem, {}, errors);
    const { version } = await publishItemIn(tx, ctx, item);
    return { code, version, status: 'published' as const };
  });
}

/** Checks a bundle as it would be published now, writing nothing. */
export async function validateBundle({ db }: CatalogueDeps, input: unknown): Promise<BundleCheck> {
  const context = await bundleContext(db, input);
  const { errors } = checkBundle(input, context);
  return { valid: errors.length === 0, errors };
}

export async function saveBundleDraft(
  { db }: CatalogueDeps,
  ctx: WriteContext,
  code: string,
  input: unknown,
): Promise<DraftResult> {
  // A draft is checked for structure only; the catalogue checks run at publish, when items are pinned.
  const parsed = BundleContent.safeParse(input);
  if (!parsed.success) {
    throw new AppError(CatalogueErrors.invalidBundle, {}, issuesToFieldErrors(parsed.error.issues));
  }
  const bundle = parsed.data;
  if (bundle.code !== code) throw new AppError(CatalogueErrors.codeMismatch);
  return inTransaction(db, code, async (tx) => {
    await repo.ensureBundle(tx, code);
    await repo.lockEntry(tx, 'bundle', code);
    const content = bundle as unknown as Record<string, unknown>;
    const hash = contentHash(bundle);
    const draft = await repo.latestBundleVersion(tx, code, 'draft');
    let version: number;
    if (draft) {
      version = draft.version;
      await repo.updateBundleDraft(tx, code, version, {
        content,
        contentSha256: hash,
        stage: bundle.stage,
        audience: bundle.audience,
      });
    } else {
      version = ((await repo.latestBundleVersion(tx, code))?.version ?? 0) + 1;
      await repo.insertBundleVersion(tx, {
        bundleCode: code,
        version,
        status: 'draft',
        content,
        contentSha256: hash,
        stage: bundle.stage,
        audience: bundle.audience,
        createdBy: actorOf(ctx),
      });
    }
    await recordAudit(tx, {
      actorId: actorOf(ctx),
      action: 'catalogue.bundle_draft_saved',
      subjectType: 'bundle',
      subjectId: code,
      data: { version },
      requestId: ctx.requestId,
    });
    return { code, version, status: 'draft' as const };
  });
}

export async function publishBundle({ db }: CatalogueDeps, ctx: WriteContext, code: string): Promise<DraftResult> {
  return inTransaction(db, code, async (tx) => {
    const draft = await repo.latestBundleVersion(tx, code, 'draft');
    if (!draft) {
      if (!(await repo.latestBundleVersion(tx, code))) throw new AppError(CatalogueErrors.bundleNotFound, { code });
      throw new AppError(CatalogueErrors.noDraft, { code });
    }
    const result = await publishBundleIn(tx, ctx, draft.content);
    if (result.errors.length) throw new AppError(CatalogueErrors.invalidBundle, {}, result.errors);
    return { code, version: result.version!, status: 'published' as const };
  });
}

/** A write of one entry; two administrators creating the same entry at once: the second is told to retry. */
async function inTransaction<T>(db: Database, code: string, fn: (tx: Executor) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(CatalogueErrors.concurrentChange, { code });
    throw err;
  }
}

/** Publishes an item as its open draft or a new version, unless the latest published one has the same content. */
async function publishItemIn(
  tx: Executor,
  ctx: WriteContext,
  item: ServiceItemContent,
): Promise<{ version: number; changed: boolean }> {
  await repo.ensureItem(tx, item.code);
  await repo.lockEntry(tx, 'item', item.code);
  const hash = contentHash(item);
  const published = await repo.latestItemVersion(tx, item.code, 'published');
  if (published?.contentSha256 === hash) return { version: published.version, changed: false };
  const draft = await repo.latestItemVersion(tx, item.code, 'draft');
  const now = new Date();
  let version: number;
  const content = item as unknown as Record<string, unknown>;
  if (draft) {
    version = draft.version;
    await repo.updateItemDraft(tx, item.code, version, {
      content,
      contentSha256: hash,
      departmentCode: item.departmentCode,
      status: 'published',
      publishedAt: now,
      publishedBy: actorOf(ctx),
    });
  } else {
    version = ((await repo.latestItemVersion(tx, item.code))?.version ?? 0) + 1;
    await repo.insertItemVersion(tx, {
      itemCode: item.code,
      version,
      status: 'published',
      content,
      contentSha256: hash,
      departmentCode: item.departmentCode,
      createdBy: actorOf(ctx),
      publishedAt: now,
      publishedBy: actorOf(ctx),
    });
  }
  await recordAudit(tx, {
    actorId: actorOf(ctx),
    action: 'catalogue.item_published',
    subjectType: 'service_item',
    subjectId: item.code,
    data: { version, contentSha256: hash },
    requestId: ctx.requestId,
  });
  return { version, changed: true };
}

/** Checks and pins a bundle, then publishes it like publishItemIn; `at`: where its problems point in a file. */
async function publishBundleIn(
  tx: Executor,
  ctx: WriteContext,
  input: unknown,
  at: ReadonlyArray<string | number> = [],
): Promise<{ version?: number; changed: boolean; errors: FieldError[] }> {
  const context = await bundleContext(tx, input);
  const { bundle, errors } = checkBundle(input, context, at);
  if (!bundle) return { changed: false, errors };
  const pinned = pinBundle(bundle, context.items);
  await repo.ensureBundle(tx, pinned.code);
  await repo.lockEntry(tx, 'bundle', pinned.code);
  const hash = contentHash(pinned);
  const published = await repo.latestBundleVersion(tx, pinned.code, 'published');
  if (published?.contentSha256 === hash) return { version: published.version, changed: false, errors: [] };
  const draft = await repo.latestBundleVersion(tx, pinned.code, 'draft');
  const now = new Date();
  const content = pinned as unknown as Record<string, unknown>;
  let version: number;
  if (draft) {
    version = draft.version;
    await repo.updateBundleDraft(tx, pinned.code, version, {
      content,
      contentSha256: hash,
      stage: pinned.stage,
      audience: pinned.audience,
      status: 'published',
      publishedAt: now,
      publishedBy: actorOf(ctx),
    });
  } else {
    version = ((await repo.latestBundleVersion(tx, pinned.code))?.version ?? 0) + 1;
    await repo.insertBundleVersion(tx, {
      bundleCode: pinned.code,
      version,
      status: 'published',
      content,
      contentSha256: hash,
      stage: pinned.stage,
      audience: pinned.audience,
      createdBy: actorOf(ctx),
      publishedAt: now,
      publishedBy: actorOf(ctx),
    });
  }
  await recordAudit(tx, {
    actorId: actorOf(ctx),
    action: 'catalogue.bundle_published',
    subjectType: 'bundle',
    subjectId: pinned.code,
    data: { version, contentSha256: hash, items: pinned.items.map((i) => `${i.item}@${i.version}`) },
    requestId: ctx.requestId,
  });
  return { version, changed: true, errors: [] };
}

// ---- import and export ----

/**
 * Imports a catalogue file in one transaction: departments upserted, each changed item and bundle
 * published as a new version, unchanged ones left alone. Any error and nothing is written.
 */
export async function importCatalogue({ db }: CatalogueDeps, ctx: WriteContext, input: unknown): Promise<ImportResult> {
  const { file, errors } = parseCatalogueFile(input);
  if (!file) throw new AppError(CatalogueErrors.invalidFile, {}, errors);
  return db.transaction(async (tx) => {
    for (const d of file.departments) await repo.upsertDepartment(tx, departmentRow(d));
    const items = await checkFileItems(tx, file.items);
    const summary = {
      departments: file.departments.length,
      items: { published: 0, unchanged: 0 },
      bundles: { published: 0, unchanged: 0 },
    };
    for (const item of items) {
      const r = await publishItemIn(tx, ctx, item);
      summary.items[r.changed ? 'published' : 'unchanged']++;
    }
    const problems: FieldError[] = [];
    for (const [i, raw] of file.bundles.entries()) {
      // Bundles in a file follow the items of the same file: pins resolve to what was just published.
      const keepPins = file.items.length === 0;
      const r = await publishBundleIn(tx, ctx, keepPins ? raw : unpinned(raw), ['bundles', i]);
      problems.push(...r.errors);
      if (!r.errors.length) summary.bundles[r.changed ? 'published' : 'unchanged']++;
    }
    if (problems.length) throw new AppError(CatalogueErrors.invalidFile, {}, problems);
    await recordAudit(tx, {
      actorId: actorOf(ctx),
      action: 'catalogue.imported',
      subjectType: 'catalogue',
      subjectId: 'catalogue',
      data: summary,
      requestId: ctx.requestId,
    });
    return summary;
  });
}

/** The file's items checked against the departments now in the transaction; all their problems at once. */
async function checkFileItems(tx: Executor, raw: CatalogueFile['items']): Promise<ServiceItemContent[]> {
  const departments = await repo.departmentCodes(tx);
  const problems: FieldError[] = [];
  const items: ServiceItemContent[] = [];
  raw.forEach((r, i) => {
    const { item, errors } = checkItem(r, { departments }, ['items', i]);
    if (item) items.push(item);
    problems.push(...errors);
  });
  if (problems.length) throw new AppError(CatalogueErrors.invalidFile, {}, problems);
  return items;
}

/** A bundle of a file without its pinned versions. */
function unpinned(raw: CatalogueFile['bundles'][number]) {
  return {
    ...raw,
    items: raw.items.map(({ version: _v, ...rest }) => rest),
    variants: raw.variants.map((v) => ({
      ...v,
      extraItems: v.extraItems.map(({ version: _v, ...rest }) => rest),
    })),
  };
}

/** The latest published catalogue as an import file. */
export async function exportCatalogue({ db }: CatalogueDeps): Promise<CatalogueExport> {
  const [departments, items, bundles] = await Promise.all([
    repo.listDepartments(db),
    repo.latestPublishedItems(db),
    repo.latestPublishedBundles(db),
  ]);
  return {
    format: 'onething.catalogue/v1',
    departments: departments.map(departmentView),
    items: items.map((r) => r.content as unknown as ServiceItemContent),
    bundles: bundles.map((r) => r.content as unknown as BundleContent),
  };
}
