// Full-value reads of personal data. A role that needs the full ID or phone numbers of a document (the
// department reviewing a case, the applicant continuing their own draft or taking their profile into a form)
// gets them through revealPersonalData, which writes an audit row naming who read whose numbers, which fields,
// through which route and why. Everyone else gets maskPersonalData: the numbers masked, nothing audited.
import { recordAudit } from './audit.ts';
import type { Database } from './db.ts';
import { envelopePointers, type PiiSealer } from './pii.ts';

export interface FullReadContext {
  /** Who reads (the account logged in). */
  actorId: string;
  /** Whose numbers these are (the applicant or person), when known. */
  whose: string | null;
  /** The record read: the audit row goes into its chain. */
  subjectType: string;
  subjectId: string;
  /** The route or operation, e.g. 'GET /api/v1/cases/:id'. */
  route: string;
  /** Why the role needs the full values. */
  purpose: string;
  requestId?: string | undefined;
}

/** The documents with their encrypted numbers decrypted, and one audit row when there were any. */
export async function revealPersonalData<T extends Record<string, unknown>>(
  db: Database,
  pii: PiiSealer,
  docs: T,
  ctx: FullReadContext,
): Promise<T> {
  const fields = envelopePointers(docs);
  if (fields.length > 0) {
    await recordAudit(db, {
      actorId: ctx.actorId,
      action: 'pii.full_read',
      subjectType: ctx.subjectType,
      subjectId: ctx.subjectId,
      data: { whose: ctx.whose, fields, route: ctx.route, purpose: ctx.purpose },
      requestId: ctx.requestId ?? null,
    });
  }
  return pii.openJson(docs);
}

export function maskPersonalData<T>(pii: PiiSealer, doc: T): T {
  return pii.maskJson(doc);
}
