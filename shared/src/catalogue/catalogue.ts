// The catalogue's contracts: service items (政务服务事项) and one-thing bundles (一件事), as the API and the
// import/export files carry them. Structural checks live here; checks that need the rest of the catalogue
// (does the item exist, is the graph acyclic, does a mapped field exist) live in the server's catalogue domain.
import { z } from 'zod';
import { ITEM_TYPES, MATERIAL_FORMS, PROCESS_STAGE_CODES, SERVICE_OBJECTS, STAGES } from './vocabulary.ts';

/**
 * A schema's own message in both languages, "中文 ‖ English": the server's problem details split it, so a
 * Chinese reader does not get the English hint (zod's default messages are localised there already).
 */
export const BILINGUAL = ' ‖ ';
export const bilingual = (zh: string, en: string) => `${zh}${BILINGUAL}${en}`;

/** A short machine code: letters, digits, '.', '_' and '-'; starts with a letter or digit. */
export const Code = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    bilingual(
      '编码只能由字母、数字、“.”“_”“-”组成，以字母或数字开头，1–64 个字符',
      'code: letters, digits, ".", "_" or "-", 1-64 characters',
    ),
  );
export type Code = z.infer<typeof Code>;

/** A GB/T 2260 division code, 6 digits (county level and above). */
export const DivisionCode = z
  .string()
  .regex(/^\d{6}$/, bilingual('应为 6 位数字的行政区划代码（GB/T 2260）', 'six digits (GB/T 2260)'));

/** Text in both languages: Chinese is the legal text, English is for foreign residents and enterprises. */
export const I18nText = z.object({
  zh: z.string().min(1).max(4000),
  en: z.string().min(1).max(4000),
});
export type I18nText = z.infer<typeof I18nText>;

export const ItemType = z.enum(ITEM_TYPES);
export type ItemType = z.infer<typeof ItemType>;

export const ServiceObject = z.enum(SERVICE_OBJECTS);
export type ServiceObject = z.infer<typeof ServiceObject>;

export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

/** How an item's material is provided (one form of 申请材料). */
export const MaterialForm = z.enum(MATERIAL_FORMS);
export type MaterialForm = z.infer<typeof MaterialForm>;

/** A material (申请材料) one item requires or accepts. */
export const ItemMaterial = z.object({
  id: Code,
  name: I18nText,
  required: z.boolean(),
  /** 容缺: may be missing at acceptance on a signed commitment (only secondary materials). */
  toleratedGapAllowed: z.boolean().default(false),
  /** 告知承诺: may be replaced by the applicant's written commitment. */
  commitmentAllowed: z.boolean().default(false),
  /** The e-certificate type that satisfies it without an upload (免提交), e.g. "resident-id-card". */
  certificateType: Code.optional(),
  form: MaterialForm.default('electronic'),
  copies: z.number().int().min(1).max(20).default(1),
  note: I18nText.optional(),
});
export type ItemMaterial = z.infer<typeof ItemMaterial>;

/** A process stage of an item as the service guide lists it (受理, 审查, 决定, 办结 …). */
export const ProcessStage = z.object({
  code: z.enum(PROCESS_STAGE_CODES),
  name: I18nText,
  /** A special step (hearing, inspection, expert review) whose time does not count toward the limit. */
  excludedFromLimit: z.boolean().default(false),
  days: z.number().int().min(0).max(365).optional(),
});
export type ProcessStage = z.infer<typeof ProcessStage>;

/** What an item produces, e.g. the 出生医学证明 e-certificate that a later item consumes. */
export const ItemOutput = z.object({ certificateType: Code, name: I18nText });
export type ItemOutput = z.infer<typeof ItemOutput>;

/** A JSON Schema object, checked for compilation by the server. */
export const JsonSchemaObject = z.record(z.string(), z.unknown());

export const ServiceItemContent = z
  .object({
    code: Code,
    name: I18nText,
    /** Short name for lists and notices. */
    shortName: I18nText.optional(),
    departmentCode: Code,
    regionCode: DivisionCode,
    itemType: ItemType,
    serviceObjects: z.array(ServiceObject).min(1).max(2),
    description: I18nText.optional(),
    acceptanceConditions: z.array(I18nText).max(50).default([]),
    materials: z.array(ItemMaterial).max(100).default([]),
    /** 法定办结时限 in working days; null where no law sets one (many public services). */
    statutoryDays: z.number().int().min(0).max(365).nullable(),
    /** 承诺办结时限 in working days; may not exceed the statutory limit. */
    promisedDays: z.number().int().min(0).max(365),
    stages: z.array(ProcessStage).max(20).default([]),
    fee: z.object({ charged: z.boolean(), description: I18nText.optional() }).default({ charged: false }),
    legalBasis: z.array(I18nText).max(50).default([]),
    /** The item's own data fields: the targets of a bundle's field mapping. */
    fields: JsonSchemaObject.default({ type: 'object', properties: {} }),
    outputs: z.array(ItemOutput).max(20).default([]),
    offline: I18nText.optional(),
    /** Where the facts came from (service guide URL or reference). */
    sources: z.array(z.string().max(1000)).max(20).default([]),
  })
  .strict();
export type ServiceItemContent = z.infer<typeof ServiceItemContent>;
export type ServiceItemInput = z.input<typeof ServiceItemContent>;

/** A condition over situation answers (情形). */
export type Condition =
  | { q: string; eq: string | boolean | number }
  | { q: string; in: Array<string | number> }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };
export const Condition: z.ZodType<Condition> = z
  .lazy(
    () =>
      z.union([
        z.object({ q: Code, eq: z.union([z.string().max(200), z.boolean(), z.number()]) }).strict(),
        z
          .object({
            q: Code,
            in: z
              .array(z.union([z.string().max(200), z.number()]))
              .min(1)
              .max(50),
          })
          .strict(),
        z.object({ all: z.array(Condition).min(1).max(20) }).strict(),
        z.object({ any: z.array(Condition).min(1).max(20) }).strict(),
        z.object({ not: Condition }).strict(),
      ]),
    // The id makes it a named component of the OpenAPI document: a recursive schema cannot be written inline.
  )
  .meta({ id: 'Condition' });

export const Situation = z
  .object({
    id: Code,
    ask: I18nText,
    help: I18nText.optional(),
    type: z.enum(['boolean', 'choice']),
    options: z
      .array(z.object({ value: z.string().min(1).max(200), label: I18nText }))
      .min(2)
      .max(30)
      .optional(),
    /** Ask only when this holds (a guided questionnaire narrows step by step). */
    when: Condition.optional(),
  })
  .strict();
export type Situation = z.infer<typeof Situation>;

export const BundleItem = z
  .object({
    item: Code,
    /** Pinned item version; filled in with the latest published version at publish when absent. */
    version: z.number().int().min(1).optional(),
    /** The item applies only when this holds. */
    when: Condition.optional(),
    /** Items that must conclude first (a DAG); their outputs feed this one. */
    after: z.array(Code).max(30).default([]),
    /** Shared-form field (dotted path) → the item's field. */
    map: z.record(z.string().min(1).max(200), z.string().min(1).max(200)).default({}),
    /** Why the item is in the bundle, shown to the applicant with the questionnaire. */
    reason: I18nText.optional(),
  })
  .strict();
export type BundleItem = z.infer<typeof BundleItem>;

/** A material of the bundle's one material set, de-duplicated across items. */
export const BundleMaterial = z
  .object({
    id: Code,
    name: I18nText,
    /** The (item, item material) pairs this one material satisfies. */
    usedBy: z
      .array(z.object({ item: Code, material: Code }).strict())
      .min(1)
      .max(50),
    /** "certificate:<type>" — fetched with consent instead of uploaded (免提交). */
    satisfiedBy: z
      .string()
      .regex(/^certificate:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
      .optional(),
    when: Condition.optional(),
  })
  .strict();
export type BundleMaterial = z.infer<typeof BundleMaterial>;

/** A regional variant (e.g. a city that adds a local item). */
export const BundleVariant = z
  .object({
    regionCode: DivisionCode,
    excludeItems: z.array(Code).max(30).default([]),
    extraItems: z.array(BundleItem).max(30).default([]),
    note: I18nText.optional(),
  })
  .strict();
export type BundleVariant = z.infer<typeof BundleVariant>;

export const BundleContent = z
  .object({
    code: Code,
    name: I18nText,
    description: I18nText.optional(),
    stage: Stage,
    audience: ServiceObject,
    regionCode: DivisionCode,
    leadDepartment: Code,
    supportingDepartments: z.array(Code).max(30).default([]),
    situations: z.array(Situation).max(50).default([]),
    /** One JSON Schema (draft 2020-12) for the whole bundle's form (一表申请). */
    form: JsonSchemaObject,
    items: z.array(BundleItem).min(1).max(50),
    materials: z.array(BundleMaterial).max(100).default([]),
    variants: z.array(BundleVariant).max(30).default([]),
    /** The bundle's overall promise in working days, if published (e.g. 5 for 新生儿出生 in Guangdong). */
    promisedDays: z.number().int().min(0).max(365).optional(),
    offline: I18nText.optional(),
    sources: z.array(z.string().max(1000)).max(20).default([]),
  })
  .strict();
export type BundleContent = z.infer<typeof BundleContent>;
export type BundleInput = z.input<typeof BundleContent>;

export const Department = z
  .object({
    code: Code,
    name: I18nText,
    regionCode: DivisionCode,
    /** The line of work (卫生健康, 公安 …), shared by a department's counterparts in every region. */
    sector: Code,
  })
  .strict();
export type Department = z.infer<typeof Department>;

/** The import/export file of the catalogue. */
export const CatalogueFile = z
  .object({
    format: z.literal('onething.catalogue/v1'),
    departments: z.array(Department).max(2000).default([]),
    items: z.array(ServiceItemContent).max(5000).default([]),
    bundles: z.array(BundleContent).max(1000).default([]),
  })
  .strict();
export type CatalogueFile = z.infer<typeof CatalogueFile>;
export type CatalogueFileInput = z.input<typeof CatalogueFile>;
