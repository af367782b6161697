// The applications' (intake) contracts: the request bodies, params and queries of the intake routes and the views
// they return, as zod schemas with a type of the same name. The server validates requests and serialises
// responses with them (a field missing here is dropped from the response, a field of another shape is a 500);
// the web app and the tests compile against the inferred types.
import { z } from 'zod';
import { LocalText } from '../text/index.ts';
import { CaseOutput, CaseStatus } from '../cases/index.ts';
import { Code } from '../catalogue/index.ts';

/**
 * Text in both languages as a response carries it. Unlike the catalogue's I18nText (an input, 1–4000 characters)
 * it sets no limits: a view may build longer text from catalogue text, and a response is never refused for it.
 */

/** A published bundle version. */
export const BundleRef = z.object({ code: z.string(), version: z.number().int() });
export type BundleRef = z.infer<typeof BundleRef>;

// ---- requests ----

/** An answer to a situation question (情形): yes/no, an option's value, or a number. */
export const AnswerValue = z.union([z.boolean(), z.string(), z.number()]);
export type AnswerValue = z.infer<typeof AnswerValue>;

/** Situation answers as a request carries them, keyed by situation id. */
export const Answers = z
  .record(z.string().max(64), z.union([z.boolean(), z.string().max(200), z.number()]))
  .refine((a) => Object.keys(a).length <= 100, 'at most 100 answers');
export type Answers = z.infer<typeof Answers>;

/** The bundle's one form (一表申请), checked against the bundle's JSON Schema by the server, not here. */
export const FormValues = z.record(z.string(), z.unknown());
export type FormValues = z.infer<typeof FormValues>;

/** One material as submitted: uploaded files, an e-certificate fetched with consent, or a 容缺 commitment. */
export const SubmittedMaterial = z.discriminatedUnion('kind', [
  z
    .object({
      id: z.string().min(1).max(100),
      kind: z.literal('upload'),
      fileIds: z.array(z.string().max(64)).min(1).max(20),
    })
    .strict(),
  z.object({ id: z.string().min(1).max(100), kind: z.literal('certificate'), consent: z.literal(true) }).strict(),
  z
    .object({ id: z.string().min(1).max(100), kind: z.literal('gap'), commitment: z.string().trim().min(1).max(2000) })
    .strict(),
]);
export type SubmittedMaterial = z.infer<typeof SubmittedMaterial>;

/** POST /api/v1/catalogue/bundles/:code/guidance */
export const GuidanceParams = z.object({ code: Code });
export type GuidanceParams = z.infer<typeof GuidanceParams>;
export const GuidanceBody = z
  .object({ answers: Answers.default({}), version: z.number().int().min(1).optional() })
  .strict();
export type GuidanceBody = z.infer<typeof GuidanceBody>;
/** What a client sends (answers may be left out). */
export type GuidanceBodyInput = z.input<typeof GuidanceBody>;

/** POST /api/v1/applications: one submission (一次提交). */
export const SubmitBody = z
  .object({
    bundle: Code,
    version: z.number().int().min(1).optional(),
    answers: Answers,
    form: FormValues,
    materials: z.array(SubmittedMaterial).max(100).default([]),
    draftId: z.uuid().optional(),
  })
  .strict();
export type SubmitBody = z.infer<typeof SubmitBody>;
/** What a client sends (materials may be left out). */
export type SubmitBodyInput = z.input<typeof SubmitBody>;

/** A retry with the same key returns the same application. */
export const SubmitHeaders = z
  .object({
    'idempotency-key': z
      .string()
      .regex(/^[A-Za-z0-9._:-]{8,128}$/, '8-128 letters, digits, ".", "_", ":" or "-"')
      .optional(),
  })
  .loose();
export type SubmitHeaders = z.infer<typeof SubmitHeaders>;

/** GET /api/v1/applications */
export const ApplicationListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100000).default(0),
});
export type ApplicationListQuery = z.infer<typeof ApplicationListQuery>;

/** GET /api/v1/applications/prefill */
export const PrefillQuery = z.object({ bundle: Code });
export type PrefillQuery = z.infer<typeof PrefillQuery>;

/** The :id of an application or a draft (anything else is "not found", not a validation error). */
export const IdParams = z.object({ id: z.string().max(64) });
export type IdParams = z.infer<typeof IdParams>;

/** POST /api/v1/applications/:id/withdraw */
export const WithdrawBody = z.object({ reason: z.string().trim().min(1).max(2000).optional() }).strict();
export type WithdrawBody = z.infer<typeof WithdrawBody>;

/** PUT /api/v1/application-drafts/:id: a draft is saved as it is; it is checked when submitted. */
export const DraftBody = z
  .object({
    answers: Answers.optional(),
    form: FormValues.optional(),
    materials: z.array(z.unknown()).max(100).optional(),
  })
  .strict();
export type DraftBody = z.infer<typeof DraftBody>;

/** POST /api/v1/application-drafts */
export const NewDraftBody = DraftBody.extend({ bundle: Code }).strict();
export type NewDraftBody = z.infer<typeof NewDraftBody>;

/** POST /api/v1/files: the body is the file; its name travels percent-encoded. */
export const UploadHeaders = z
  .object({ 'content-type': z.string(), 'x-file-name': z.string().max(255).optional() })
  .loose();
export type UploadHeaders = z.infer<typeof UploadHeaders>;

// ---- responses ----

/** An item of the one-time notice (一次告知), and why it is in or out for these answers. */
export const GuidanceItem = z.object({
  code: z.string(),
  version: z.number().int(),
  name: LocalText,
  departmentCode: z.string(),
  included: z.boolean(),
  /** Why it is in or out, for the applicant. */
  reason: LocalText,
  after: z.array(z.string()),
  promisedDays: z.number().int(),
  statutoryDays: z.number().int().nullable(),
});
export type GuidanceItem = z.infer<typeof GuidanceItem>;

export const GuidanceMaterial = z.object({
  id: z.string(),
  name: LocalText,
  /** 'certificate': fetched with consent (免提交); 'produced': issued by an earlier item of this bundle; 'upload'. */
  provision: z.enum(['certificate', 'produced', 'upload']),
  certificateType: z.string().nullable(),
  required: z.boolean(),
  toleratedGapAllowed: z.boolean(),
  usedBy: z.array(z.string()),
});
export type GuidanceMaterial = z.infer<typeof GuidanceMaterial>;

/** The one-time notice for a set of answers. */
export const Guidance = z.object({
  bundle: BundleRef,
  /** Questions still to answer (their `when` holds and they have no answer yet), in order. */
  unanswered: z.array(z.string()),
  items: z.array(GuidanceItem),
  materials: z.array(GuidanceMaterial),
  departments: z.array(z.string()),
  /** Latest finish along the item graph if everything is accepted today, in working days from acceptance. */
  totalPromisedDays: z.number().int(),
});
export type Guidance = z.infer<typeof Guidance>;

/** Values for the bundle's form from the profile (一人一档 / 一企一档), each with where it came from. */
export const Prefill = z.object({
  bundle: BundleRef,
  values: z.record(z.string(), z.unknown()),
  /** Keyed by the form field's dotted path. */
  sources: z.record(z.string(), z.object({ attribute: z.string(), source: z.string() })),
});
export type Prefill = z.infer<typeof Prefill>;

export const UploadedFile = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
});
export type UploadedFile = z.infer<typeof UploadedFile>;

/** A saved draft, with what the applicant typed in full (not masked: it is theirs to continue). */
export const Draft = z.object({
  id: z.string(),
  bundle: BundleRef,
  answers: z.record(z.string(), AnswerValue),
  form: z.record(z.string(), z.unknown()),
  /** As saved: a draft's materials are checked only when submitted. */
  materials: z.array(z.unknown()),
  updatedAt: z.string(),
});
export type Draft = z.infer<typeof Draft>;

/** A draft in the list of my drafts. */
export const DraftSummary = Draft.pick({ id: true, bundle: true, updatedAt: true });
export type DraftSummary = z.infer<typeof DraftSummary>;

export const APPLICATION_STATUSES = ['in_progress', 'completed', 'withdrawn'] as const;
export const ApplicationStatus = z.enum(APPLICATION_STATUSES);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

/** Where the application came in: the portal, a service window, or the API. */
export const Channel = z.enum(['web', 'window', 'api']);
export type Channel = z.infer<typeof Channel>;

/** Who acted when it was not the applicant: an enterprise's agent, a family member, window staff. */
export const OnBehalf = z.object({
  kind: z.enum(['enterprise', 'proxy']),
  actor: z.object({ id: z.string(), name: z.string() }),
  proxyId: z.string().optional(),
  proxyKind: z.enum(['window_consent', 'family']).nullable().optional(),
});
export type OnBehalf = z.infer<typeof OnBehalf>;

/** A result an item issues (e.g. the 出生医学证明 e-certificate): the cases' own contract. */
export { CaseOutput } from '../cases/index.ts';

/** A 补正 notice (补正一次性告知) of a case, and when the applicant supplied the corrections. */
export const CaseCorrection = z.object({
  id: z.string(),
  issuedOn: z.string(),
  problems: z.array(z.object({ material: z.string(), problem: z.string() })),
  note: z.string().nullable(),
  suppliedOn: z.string().nullable(),
});
export type CaseCorrection = z.infer<typeof CaseCorrection>;

/** A 容缺 acceptance: the materials the applicant committed to supply by a date. */
export const ToleratedGap = z.object({
  materials: z.array(z.string()),
  commitment: z.string(),
  dueDate: z.string(),
  status: z.enum(['open', 'supplied', 'overdue']).nullable(),
});
export type ToleratedGap = z.infer<typeof ToleratedGap>;

/** One step of a case's timeline. */
export const CaseTimelineEvent = z.object({
  at: z.string(),
  day: z.string(),
  action: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type CaseTimelineEvent = z.infer<typeof CaseTimelineEvent>;

/** A department case of an application as the applicant sees it (personal data masked). */
export const ApplicationCase = z.object({
  id: z.string(),
  item: z.object({ code: z.string(), version: z.number().int() }),
  departmentCode: z.string(),
  status: CaseStatus,
  /** Items of this application that must conclude first. */
  dependsOn: z.array(z.string()),
  receivedOn: z.string().nullable(),
  acceptedOn: z.string().nullable(),
  dueDate: z.string().nullable(),
  /** In a year whose holiday notice is not loaded yet: counted provisionally, may still move. */
  dueDateProvisional: z.boolean(),
  statutoryDueDate: z.string().nullable(),
  pausedSince: z.string().nullable(),
  pausedWorkdays: z.number().int().nullable(),
  nearDue: z.boolean(),
  overdue: z.boolean(),
  decision: z.enum(['approve', 'deny']).nullable(),
  decisionReason: z.string().nullable(),
  toleratedGap: ToleratedGap.nullable(),
  /** What the case received from its prerequisites' issued outputs. */
  inputs: z.array(CaseOutput),
  /** Its own issued outputs. */
  outputs: z.array(CaseOutput),
  corrections: z.array(CaseCorrection),
  timeline: z.array(CaseTimelineEvent),
});
export type ApplicationCase = z.infer<typeof ApplicationCase>;

/** One application with each item's case: the applicant's single view of progress. */
export const ApplicationView = z.object({
  id: z.string(),
  /** YJS + the day + an 8-digit sequence. */
  number: z.string(),
  bundle: BundleRef,
  status: ApplicationStatus,
  channel: Channel,
  submittedOn: z.string(),
  submittedAt: z.string(),
  onBehalf: OnBehalf.nullable(),
  promisedDate: z.string().nullable(),
  /** In a year whose holiday notice is not loaded yet: counted provisionally, may still move. */
  promisedDateProvisional: z.boolean(),
  completedAt: z.string().nullable(),
  cases: z.array(ApplicationCase),
});
export type ApplicationView = z.infer<typeof ApplicationView>;

/** An application in the list of my applications. */
export const ApplicationSummary = ApplicationView.pick({
  id: true,
  number: true,
  bundle: true,
  status: true,
  submittedOn: true,
  promisedDate: true,
});
export type ApplicationSummary = z.infer<typeof ApplicationSummary>;
