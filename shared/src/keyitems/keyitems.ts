// The key-item list's contracts (重点事项清单): the list with each item's status and use, one item's change, and
// the JSON export. The routes use these schemas; the web app takes its types from them.
import { z } from 'zod';
import { Code, I18nText, bilingual } from '../catalogue/index.ts';

const Count = z.number().int();

/** A calendar day as YYYY-MM-DD (one problem per bad value, not one per rule). */
const isDay = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) &&
  !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
  new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
const Day = z.string().refine(isDay, bilingual('应为实际存在的日期，格式 YYYY-MM-DD', 'a calendar day, YYYY-MM-DD'));

export const KeyItemYearQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('Only this year; all years when absent'),
});
export type KeyItemYearQuery = z.infer<typeof KeyItemYearQuery>;

export const KeyItemParams = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/) });
export type KeyItemParams = z.infer<typeof KeyItemParams>;

export const KEY_ITEM_STATUSES = ['not_linked', 'draft_only', 'published'] as const;
export const KeyItemStatus = z.enum(KEY_ITEM_STATUSES);
export type KeyItemStatus = z.infer<typeof KeyItemStatus>;

export const KeyItemUsage = z.object({
  applications: Count,
  concluded: Count,
  onTime: Count,
  onTimeShare: z.number().min(0).max(1).nullable(),
});
export type KeyItemUsage = z.infer<typeof KeyItemUsage>;

export const KeyItem = z.object({
  id: z.string(),
  year: Count,
  batchId: z.string(),
  name: I18nText,
  audience: z.enum(['person', 'enterprise']),
  leadDepartment: z.string().nullable(),
  inferred: z
    .array(z.string())
    .describe("Fields that are the project's inference, not a source's statement: leadDepartment, audience"),
  verified: z.boolean().describe("Whether a source confirms the item's membership of its batch"),
  sourceUrl: z.string(),
  sourceNote: I18nText.nullable(),
  bundle: z.object({ code: z.string(), name: I18nText.nullable() }).nullable(),
  status: KeyItemStatus.describe(
    'not_linked: no bundle; draft_only: the bundle has nothing published; published: a published version exists',
  ),
  published: z.object({ version: Count, publishedAt: z.string().nullable() }).nullable(),
  usage: KeyItemUsage.nullable().describe(
    "The bundle's applications submitted and cases concluded (and concluded by their due date) in the window, within the viewer's jurisdiction",
  ),
  targetDate: z.string().nullable(),
  note: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type KeyItem = z.infer<typeof KeyItem>;

export const KeyItemBatch = z.object({
  id: z.string(),
  year: Count,
  label: I18nText,
  issued: z.string().nullable(),
  itemCount: Count.nullable().describe('How many items the batch has, when known'),
  countInferred: z.boolean(),
  sourceUrl: z.string(),
  note: I18nText.nullable(),
  namesKnown: Count.describe('How many of its items are listed by name'),
});
export type KeyItemBatch = z.infer<typeof KeyItemBatch>;

export const KeyItemList = z.object({
  year: Count.nullable(),
  years: z.array(Count),
  window: z.object({ from: z.string(), to: z.string(), days: Count }),
  jurisdiction: z.string().nullable(),
  batches: z.array(KeyItemBatch),
  items: z.array(KeyItem),
  summary: z.object({ total: Count, linked: Count, published: Count }),
});
export type KeyItemList = z.infer<typeof KeyItemList>;

/** The JSON export: the list as it was when exported. */
export const KeyItemExport = KeyItemList.extend({ exportedAt: z.string() });
export type KeyItemExport = z.infer<typeof KeyItemExport>;

/** The province's part of an item; what is not given stays as it is. */
export const KeyItemChange = z
  .object({
    bundleCode: Code.nullable().optional().describe('The bundle that delivers the item; null unlinks it'),
    targetDate: Day.nullable().optional(),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .strict();
export type KeyItemChange = z.infer<typeof KeyItemChange>;
