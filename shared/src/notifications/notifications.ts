// Notifications' contracts: the applicant's inbox. Every change to an application or a case writes one
// notification (the outbox, in the change's own transaction); its payload carries codes and dates, not text, so
// each reader words it in its own language. Strings in a payload are masked (it may travel by SMS).
import { z } from 'zod';

/** A one-time login code, sent to the account's phone (the development sink reads it back). */
export const OtpNotice = z.object({
  kind: z.literal('auth.otp'),
  payload: z.object({
    challengeId: z.string(),
    code: z.string(),
    channel: z.literal('sms'),
    /** The masked phone number. */
    destination: z.string(),
    expiresAt: z.string(),
  }),
});

/**
/**
 * A code for the person at a window: staff ask to act for them, and the person reads this code out to confirm
 * (sent to the phone on record; the development sink reads it back).
 */
export const ConsentCodeNotice = z.object({
  kind: z.literal('proxy.consent_code'),
  payload: z.object({
    challengeId: z.string(),
    code: z.string(),
    channel: z.literal('sms'),
    destination: z.string(),
    expiresAt: z.string(),
    /** The department of the staff member who asked. */
    departmentCode: z.string().nullable(),
  }),
});

/**
 * A proofing code (实名核验), sent to the phone the population register holds for the number the account claims,
 * not to the account's own phone: the relay reads that destination, sealed, from the challenge.
 */
export const ProofingCodeNotice = z.object({
  kind: z.literal('identity.proofing_code'),
  payload: z.object({
    challengeId: z.string(),
    code: z.string(),
    channel: z.literal('sms'),
    /** The masked phone number on record. */
    destination: z.string(),
    expiresAt: z.string(),
  }),
});

/** Someone registered a new account with the ID number this account holds (the account itself is untouched). */
export const RegistrationAttemptNotice = z.object({
  kind: z.literal('identity.registration_attempt'),
  payload: z.object({ at: z.string(), channel: z.literal('sms') }),
});

export const SubmittedNotice = z.object({
  kind: z.literal('application.submitted'),
  payload: z.object({
    applicationNumber: z.string(),
    bundle: z.string(),
    /** The date promised for the whole application (YYYY-MM-DD). */
    promisedDate: z.string(),
    /** How many service items (cases) it became. */
    items: z.number().int(),
  }),
});

/** Every case of the application concluded (completed), or every one withdrawn. */
export const ApplicationClosedNotice = z.object({
  kind: z.enum(['application.completed', 'application.withdrawn']),
  payload: z.object({ applicationNumber: z.string() }),
});

/** A case's due date moved because the working-day calendar changed. */
export const DueRecomputedNotice = z.object({
  kind: z.literal('case.due_recomputed'),
  payload: z.object({
    applicationNumber: z.string(),
    item: z.string(),
    status: z.string(),
    dueDate: z.string().nullable(),
  }),
});

/** A 容缺 commitment was not kept by its date. */
export const GapOverdueNotice = z.object({
  kind: z.literal('case.gap_overdue'),
  payload: z.object({ applicationNumber: z.string(), item: z.string(), gapDueDate: z.string().nullable() }),
});

/** One material and what is wrong with it, in a request for corrections (补正一次性告知). */
export const CorrectionProblem = z.object({ material: z.string(), problem: z.string() });
export type CorrectionProblem = z.infer<typeof CorrectionProblem>;

/**
 * An action taken on a case: `case.<action>`, the action being one of the cases' actions (accept, refuse,
 * request_correction, …). `status` is the case's status after it; `problems` only on request_correction.
 */
export const CaseActionNotice = z.object({
  kind: z.templateLiteral(['case.', z.string().regex(/^[a-z_]+$/)]),
  payload: z.object({
    applicationNumber: z.string(),
    item: z.string(),
    status: z.string(),
    dueDate: z.string().nullable(),
    reason: z.string().nullable(),
    problems: z.array(CorrectionProblem).optional(),
  }),
});

/**
 * What a notification says: its kind and the payload of that kind. A union, not a discriminated one, because the
 * case actions share one shape under `case.<action>`: the named case kinds come first, so they match first.
 */
export const NotificationMessage = z.union([
  OtpNotice,
  ConsentCodeNotice,
  ProofingCodeNotice,
  RegistrationAttemptNotice,
  SubmittedNotice,
  ApplicationClosedNotice,
  DueRecomputedNotice,
  GapOverdueNotice,
  CaseActionNotice,
]);
export type NotificationMessage = z.infer<typeof NotificationMessage>;
export type NotificationKind = NotificationMessage['kind'];

/** A notification in the inbox: what it says, what it is about, and whether it was read. */
const inbox = {
  id: z.string(),
  applicationId: z.string().nullable(),
  caseId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
};
export const Notification = z.union([
  OtpNotice.extend(inbox),
  ConsentCodeNotice.extend(inbox),
  ProofingCodeNotice.extend(inbox),
  RegistrationAttemptNotice.extend(inbox),
  SubmittedNotice.extend(inbox),
  ApplicationClosedNotice.extend(inbox),
  DueRecomputedNotice.extend(inbox),
  GapOverdueNotice.extend(inbox),
  CaseActionNotice.extend(inbox),
]);
export type Notification = z.infer<typeof Notification>;

export const NotificationListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  unread: z.enum(['true', 'false']).optional(),
});
export type NotificationListQuery = z.input<typeof NotificationListQuery>;

export const NotificationParams = z.object({ id: z.uuid() });
export type NotificationParams = z.input<typeof NotificationParams>;
