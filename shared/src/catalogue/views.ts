// The catalogue's API: the params, queries and bodies its routes take and the views they answer with. The
// routes use these as their schemas (so responses are checked and the OpenAPI document describes them) and the
// web app takes its types from them. A version's `content` is the stored, already validated content: the
// schema that checked it at save or publish describes it.
import { z } from 'zod';
import {
  BundleContent,
  Code,
  Department,
  DivisionCode,
  I18nText,
  ItemType,
  ServiceItemContent,
  ServiceObject,
  Stage,
} from './catalogue.ts';

export const CatalogueCodeParams = z.object({ code: Code });
export type CatalogueCodeParams = z.infer<typeof CatalogueCodeParams>;

/** A published version by number; the latest when absent. */
export const VersionQuery = z.object({ version: z.coerce.number().int().min(1).max(100000).optional() });
export type VersionQuery = z.infer<typeof VersionQuery>;

export const StageView = z.object({ code: Stage, name: I18nText });
export type StageView = z.infer<typeof StageView>;

export const BundleListQuery = z.object({
  stage: Stage.optional(),
  audience: ServiceObject.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100000).default(0),
  lang: z.enum(['zh', 'en']).optional(),
});
export type BundleListQuery = z.infer<typeof BundleListQuery>;

/** A published bundle in the portal's list: its latest version, summarised. */
export const BundleSummary = z.object({
  code: z.string(),
  version: z.number().int(),
  name: I18nText,
  description: I18nText.nullable(),
  stage: Stage,
  audience: ServiceObject,
  leadDepartment: z.string(),
  itemCount: z.number().int(),
  promisedDays: z.number().int().nullable(),
  publishedAt: z.string().nullable(),
});
export type BundleSummary = z.infer<typeof BundleSummary>;

export const BundleList = z.object({
  total: z.number().int(),
  items: z.array(BundleSummary),
  /** With a query: per bundle code, the words of the query that found it (the page says why). */
  matched: z.record(z.string(), z.array(z.string())).optional(),
});
export type BundleList = z.infer<typeof BundleList>;

export const VersionStatus = z.enum(['draft', 'published']);
export type VersionStatus = z.infer<typeof VersionStatus>;

/** One version of a bundle or an item; a published one never changes. */
export const VersionMeta = z.object({
  version: z.number().int(),
  status: VersionStatus,
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  contentSha256: z.string(),
});
export type VersionMeta = z.infer<typeof VersionMeta>;

/** An item version a published bundle pins, summarised. */
export const PinnedItem = z.object({
  code: z.string(),
  version: z.number().int(),
  name: I18nText,
  departmentCode: z.string(),
  itemType: ItemType,
  statutoryDays: z.number().int().nullable(),
  promisedDays: z.number().int(),
});
export type PinnedItem = z.infer<typeof PinnedItem>;

/** A bundle version (published, or the open draft) with its content. */
export const BundleVersion = VersionMeta.extend({ code: z.string(), content: BundleContent });
export type BundleVersion = z.infer<typeof BundleVersion>;

/** A published bundle version with the items it pins (base items and every variant's extra items). */
export const BundleDetail = BundleVersion.extend({ items: z.array(PinnedItem) });
export type BundleDetail = z.infer<typeof BundleDetail>;

/** A published item in the catalogue's list: its latest version, summarised. */
export const ItemSummary = z.object({
  code: z.string(),
  version: z.number().int(),
  name: I18nText,
  departmentCode: z.string(),
  regionCode: z.string(),
  itemType: ItemType,
  serviceObjects: z.array(ServiceObject),
  statutoryDays: z.number().int().nullable(),
  promisedDays: z.number().int(),
});
export type ItemSummary = z.infer<typeof ItemSummary>;

/** An item version (published, or the open draft) with its content. */
export const ItemVersion = VersionMeta.extend({ code: z.string(), content: ServiceItemContent });
export type ItemVersion = z.infer<typeof ItemVersion>;

export const DepartmentBody = z.object({ name: I18nText, regionCode: DivisionCode, sector: Code }).strict();
export type DepartmentBody = z.infer<typeof DepartmentBody>;

/**
 * A draft, a bundle to check or an import file as sent: any JSON object. The service parses it itself, so its
 * problems come back as the catalogue's own field errors (catalogue.invalid_item, catalogue.invalid_file …).
 */
export const ContentBody = z.record(z.string(), z.unknown());
export type ContentBody = z.infer<typeof ContentBody>;

/** What saving a draft or publishing answers. */
export const DraftResult = z.object({ code: z.string(), version: z.number().int(), status: VersionStatus });
export type DraftResult = z.infer<typeof DraftResult>;

/** A problem of a checked bundle: where in the content (JSON pointer), its code, why in both languages. */
export const BundleProblem = z.object({
  pointer: z.string(),
  code: z.string(),
  detail: z.object({ zh: z.string(), en: z.string() }),
});
export type BundleProblem = z.infer<typeof BundleProblem>;

export const BundleCheck = z.object({ valid: z.boolean(), errors: z.array(BundleProblem) });
export type BundleCheck = z.infer<typeof BundleCheck>;

/**
 * The published catalogue as an import file. The same shape as CatalogueFile without the import's limits on
 * how many entries a file may hold: an export lists whatever is published.
 */
export const CatalogueExport = z
  .object({
    format: z.literal('onething.catalogue/v1'),
    departments: z.array(Department),
    items: z.array(ServiceItemContent),
    bundles: z.array(BundleContent),
  })
  .strict();
export type CatalogueExport = z.infer<typeof CatalogueExport>;

const PublishCount = z.object({ published: z.number().int(), unchanged: z.number().int() });
export const ImportResult = z.object({
  departments: z.number().int(),
  items: PublishCount,
  bundles: PublishCount,
});
export type ImportResult = z.infer<typeof ImportResult>;

/** What people type and what it means in the catalogue's words: 开餐馆 → 开办 餐饮店 (the bundle search uses these). */
export const SearchTerm = z.object({
  phrase: z.string().trim().min(1).max(30),
  means: z.string().trim().min(1).max(200),
});
export type SearchTerm = z.infer<typeof SearchTerm>;

/** The whole list of search terms, as the console saves it: every phrase once. */
export const SearchTermsBody = z.object({ terms: z.array(SearchTerm.strict()).max(5000) }).strict();
export type SearchTermsBody = z.infer<typeof SearchTermsBody>;

export const SearchTermList = z.object({
  terms: z.array(SearchTerm.extend({ updatedAt: z.string().nullable() })),
});
export type SearchTermList = z.infer<typeof SearchTermList>;
