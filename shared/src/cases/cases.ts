// The cases' contracts: the zod schemas of a case's statuses and actions and of every request and response of the
// cases' routes (server/src/modules/cases/cases.routes.ts). The server validates requests and
// serialises responses with them (a field missing here is dropped from the response), the web app takes its types
// from them, so a changed field breaks the web's build.
import { z } from 'zod';
import { LocalText } from '../text/index.ts';
import { Pause } from '../calendar/index.ts';
import { CASE_ACTIONS, CASE_EVENT_ACTIONS, CASE_STATUSES, QUEUE_COUNT_CAP } from './cases.words.ts';

export const CaseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const CaseAction = z.enum(CASE_ACTIONS);
export type CaseAction = z.infer<typeof CaseAction>;

export const CaseEventAction = z.enum(CASE_EVENT_ACTIONS);
export type CaseEventAction = z.infer<typeof CaseEventAction>;

/** A 容缺 commitment: open until the material is supplied, overdue once its deadline passed. */
export const GapStatus = z.enum(['open', 'supplied', 'overdue']);
export type GapStatus = z.infer<typeof GapStatus>;

/** 准予 or 不予. */
export const CaseDecision = z.enum(['approve', 'deny']);
export type CaseDecision = z.infer<typeof CaseDecision>;

// ---- Requests -------------------------------------------------------------------------------------------------

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Text = z.string().trim().min(1).max(2000);

export const CaseIdParams = z.object({ id: z.uuid() });
export type CaseIdParams = z.infer<typeof CaseIdParams>;

export const CaseFileParams = z.object({ id: z.uuid(), fileId: z.uuid() });
export type CaseFileParams = z.infer<typeof CaseFileParams>;

/** GET /api/v1/cases: the filters and the page of the department queue. */
export const CaseQueueQuery = z.object({
  status: CaseStatus.optional(),
  dueBefore: Day.optional(),
  flag: z.enum(['near_due', 'overdue']).optional(),
  bundle: z.string().max(64).optional(),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('A division code (GB/T 2260) within my jurisdiction: only its cases'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100000).default(0),
  count: z
    .enum(['capped', 'exact'])
    .default('capped')
    .describe(
      `capped: exact up to ${QUEUE_COUNT_CAP}, beyond that only that there are more; exact: always the exact number`,
    ),
});
export type CaseQueueQuery = z.infer<typeof CaseQueueQuery>;

/** A material as the applicant supplies it with corrections or a 容缺 supplement (kept as given). */
export const SuppliedMaterial = z.record(z.string(), z.unknown());
export type SuppliedMaterial = z.infer<typeof SuppliedMaterial>;

/** One action on a case; the body names it. Reviewers and applicants use the same endpoint. */
export const CaseActionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept') }).strict(),
  z
    .object({
      action: z.literal('accept_with_gap'),
      materials: z.array(z.string().min(1).max(100)).min(1).max(20),
      commitment: Text,
      dueDate: Day,
    })
    .strict(),
  z.object({ action: z.literal('refuse'), reason: Text }).strict(),
  z
    .object({
      action: z.literal('request_correction'),
      problems: z
        .array(z.object({ material: z.string().min(1).max(100), problem: Text }).strict())
        .min(1)
        .max(50),
      note: Text.optional(),
    })
    .strict(),
  z.object({ action: z.literal('supply_correction'), materials: z.array(SuppliedMaterial).min(1).max(50) }).strict(),
  z.object({ action: z.literal('start_review') }).strict(),
  z.object({ action: z.literal('decide'), decision: CaseDecision, reason: Text.optional() }).strict(),
  z.object({ action: z.literal('conclude') }).strict(),
  z.object({ action: z.literal('supply_gap'), materials: z.array(SuppliedMaterial).min(1).max(50) }).strict(),
  z.object({ action: z.literal('terminate'), reason: Text }).strict(),
  z.object({ action: z.literal('withdraw'), reason: Text.optional() }).strict(),
]);
export type CaseActionBody = z.infer<typeof CaseActionBody>;

// ---- Responses ------------------------------------------------------------------------------------------------

/** A row of the department queue (GET /api/v1/cases); the total comes in X-Total-Count (or X-Total-Count-Exceeds). */
export const CaseQueueRow = z.object({
  id: z.string(),
  applicationId: z.string(),
  applicationNumber: z.string(),
  bundleCode: z.string(),
  itemCode: z.string(),
  status: CaseStatus,
  receivedOn: z.string().nullable(),
  acceptedOn: z.string().nullable(),
  dueDate: z.string().nullable(),
  nearDue: z.boolean(),
  overdue: z.boolean(),
  gapStatus: GapStatus.nullable(),
});
export type CaseQueueRow = z.infer<typeof CaseQueueRow>;

export const CaseQueue = z.array(CaseQueueRow);
export type CaseQueue = z.infer<typeof CaseQueue>;

/** A 容缺受理: the materials missing at acceptance, the applicant's commitment, the supplement deadline. */
export const ToleratedGap = z.object({ materials: z.array(z.string()), commitment: z.string(), dueDate: z.string() });
export type ToleratedGap = z.infer<typeof ToleratedGap>;

/** One problem of a 补正 notice. */
export const CorrectionProblem = z.object({
  /** The bundle material (or item material) concerned. */
  material: z.string(),
  problem: z.string(),
});
export type CorrectionProblem = z.infer<typeof CorrectionProblem>;

/** A 补正一次性告知 notice: every problem at once, and the day the applicant supplied the corrections. */
export const CorrectionNotice = z.object({
  id: z.string(),
  issuedOn: z.string(),
  problems: z.array(CorrectionProblem),
  note: z.string().nullable(),
  suppliedOn: z.string().nullable(),
});
export type CorrectionNotice = z.infer<typeof CorrectionNotice>;

/** One entry of a case's history. */
export const CaseEvent = z.object({
  /** When it was recorded (ISO timestamp), and the day in China it counts on. */
  at: z.string(),
  day: z.string(),
  action: CaseEventAction,
  from: CaseStatus.nullable(),
  to: CaseStatus,
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type CaseEvent = z.infer<typeof CaseEvent>;

/** What an item produces (a certificate): planned at submission, issued when its case concludes with 准予. */
export const CaseOutput = z.object({
  certificateType: z.string(),
  name: LocalText,
  issued: z.boolean(),
  number: z.string().optional(),
  issuedOn: z.string().optional(),
});
export type CaseOutput = z.infer<typeof CaseOutput>;

/** An uploaded file of a material, as the case view lists it; its bytes come from GET /api/v1/cases/:id/files/:fileId. */
export const CaseMaterialFile = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
});
export type CaseMaterialFile = z.infer<typeof CaseMaterialFile>;

/**
 * One material of the bundle that serves a case's item, and how the applicant gave it: uploaded (with its files),
 * an e-certificate fetched with consent, a 容缺 commitment, produced by an earlier item of the application, or
 * not given (an optional material left out).
 */
export const CaseMaterial = z.object({
  id: z.string(),
  name: LocalText,
  given: z.enum(['upload', 'certificate', 'gap', 'produced', 'missing']),
  certificateType: z.string().nullable(),
  files: z.array(CaseMaterialFile),
  commitment: z.string().nullable(),
});
export type CaseMaterial = z.infer<typeof CaseMaterial>;

/**
 * GET /api/v1/cases/:id: a case with its history and the actions the caller may take (none for read-only staff).
 * ID and phone numbers in it are in full for the reviewing department, masked for everyone else.
 */
export const CaseView = z.object({
  id: z.string(),
  application: z.object({ id: z.string(), number: z.string() }),
  item: z.object({ code: z.string(), version: z.number() }),
  departmentCode: z.string(),
  status: CaseStatus,
  /** The application's form data mapped to this item's fields. */
  data: z.record(z.string(), z.unknown()),
  /** The outputs of earlier items this case received when it started. */
  inputs: z.array(CaseOutput),
  receivedOn: z.string().nullable(),
  acceptedOn: z.string().nullable(),
  dueDate: z.string().nullable(),
  statutoryDueDate: z.string().nullable(),
  pausedSince: z.string().nullable(),
  pauses: z.array(Pause),
  decision: CaseDecision.nullable(),
  decisionReason: z.string().nullable(),
  toleratedGap: ToleratedGap.extend({ status: GapStatus.nullable() }).nullable(),
  /** The materials the application committed to supply later (容缺) for this item. */
  declaredGaps: z.array(z.string()),
  materials: z.array(CaseMaterial),
  nearDue: z.boolean(),
  overdue: z.boolean(),
  actions: z.array(CaseAction),
  corrections: z.array(CorrectionNotice),
  history: z.array(CaseEvent),
});
export type CaseView = z.infer<typeof CaseView>;

/** POST /api/v1/cases/:id/actions: the case after the action. */
export const CaseActionResult = z.object({ id: z.string(), status: CaseStatus, dueDate: z.string().nullable() });
export type CaseActionResult = z.infer<typeof CaseActionResult>;
