// Intake: the one-time notice, drafts, one submission that becomes one application and one case per item
// in one transaction (with an Idempotency-Key making a retry return the same application), the applicant's
// single view of progress, uploads and prefill from the profile. Each operation is a named function over
// ApplicationsDeps and the request's context; createApplicationsService binds them (docs/adr/0019).
import crypto from 'node:crypto';
import type {
  ApplicationSummary,
  ApplicationView,
  Guidance,
  Prefill,
  UploadedFile,
} from '@onething/shared/applications';
import { ApplicationsErrors } from '@onething/shared/applications';
import { IdentityErrors } from '@onething/shared/identity';
import { recordAudit } from '../../platform/audit.ts';
import { actingRecord } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import { revealPersonalData } from '../../platform/pii-reads.ts';
import { bindService, type RequestContext } from '../../platform/request-context.ts';
import { writeUpload } from '../../platform/uploads.ts';
import { getOwnApplication, mayRead } from './applications.access.ts';
import type { ApplicationsDeps } from './applications.deps.ts';
import { checkAnswers, guidance as guidanceOf, type PinnedItem } from './applications.domain.ts';
import { createDraft, deleteDraft, getDraft, listDrafts, updateDraft } from './applications.drafts.ts';
import * as repo from './applications.repository.ts';
import { submit } from './applications.submit.ts';
import { applicationSummary, applicationView, toRef } from './applications.view.ts';

export function createApplicationsService(deps: ApplicationsDeps) {
  return bindService(deps, {
    guidance,
    submit,
    get,
    list,
    withdraw,
    createDraft,
    updateDraft,
    getDraft,
    listDrafts,
    deleteDraft,
    prefill,
    setProfileAttribute,
    upload,
  });
}

export type ApplicationsService = ReturnType<typeof createApplicationsService>;

/** The one-time notice (一次告知) for these answers; public, so no context. */
export async function guidance(
  { catalogue }: ApplicationsDeps,
  code: string,
  answers: Record<string, unknown>,
  version?: number,
): Promise<Guidance> {
  const b = await catalogue.resolveBundle(code, version);
  const errors = checkAnswers(b.content, answers, false);
  if (errors.length) throw new AppError(ApplicationsErrors.invalid, {}, errors);
  return guidanceOf(b.content, b.version, b.items as Map<string, PinnedItem>, answers);
}

export async function get(deps: ApplicationsDeps, ctx: RequestContext, id: string): Promise<ApplicationView> {
  return applicationView(deps, deps.db, await getOwnApplication(deps, ctx, id));
}

/** The caller's applications, newest first; under a proxy, those of the bundles it covers. */
export async function list(
  { db }: ApplicationsDeps,
  ctx: RequestContext,
  page: { limit: number; offset: number },
): Promise<ApplicationSummary[]> {
  const p = ctx.principal;
  const rows = await repo.listApplications(db, p.subjectId, page.limit, page.offset, p.acting?.bundles ?? null);
  return rows.map(applicationSummary);
}

/** Withdraws every open case of the caller's application in progress. */
export async function withdraw(
  deps: ApplicationsDeps,
  ctx: RequestContext,
  id: string,
  reason: string | undefined,
): Promise<ApplicationView> {
  const { db, cases } = deps;
  const a = await getOwnApplication(deps, ctx, id, true);
  if (a.status !== 'in_progress') throw new AppError(ApplicationsErrors.notOpen);
  const cal = await cases.calendar();
  await db.transaction(async (tx) => {
    await cases.withdrawAll(ctx, tx, toRef(a), { reason, cal });
  });
  return applicationView(deps, db, (await repo.findApplication(db, id))!);
}

// ---- prefill from the profile (一人一档 / 一企一档) ----

/** Values for the bundle's form fields marked `x-prefill: "<attribute>"`, each with where it came from. */
export async function prefill(
  { db, catalogue, pii }: ApplicationsDeps,
  ctx: RequestContext,
  code: string,
): Promise<Prefill> {
  const p = ctx.principal;
  if (!mayRead(p, p.subjectId, code)) throw new AppError(IdentityErrors.outsideProxyScope, { bundle: code });
  const b = await catalogue.resolveBundle(code);
  const attrs = new Map((await repo.profileOf(db, p.subjectId)).map((a) => [a.attribute, a]));
  const { values, sources } = prefillFrom(b.content.form, attrs);
  // Prefill puts the profile's full numbers into the applicant's form: an audited reveal.
  return revealPersonalData<Prefill>(
    db,
    pii,
    { bundle: { code: b.code, version: b.version }, values, sources },
    {
      actorId: p.accountId,
      whose: p.subjectId,
      subjectType: 'account',
      subjectId: p.subjectId,
      route: 'GET /api/v1/applications/prefill',
      purpose: 'prefill the form from the profile',
      requestId: ctx.requestId,
    },
  );
}

/** The form's values from the profile's attributes, walking the schema for `x-prefill`. */
function prefillFrom(form: unknown, attrs: Map<string, { value: unknown; source: string }>) {
  const values: Record<string, unknown> = {};
  const sources: Record<string, { attribute: string; source: string }> = {};
  const walk = (schema: unknown, at: string[]) => {
    const s = schema as { properties?: Record<string, unknown>; 'x-prefill'?: string } | null;
    const attr = s?.['x-prefill'];
    const found = attr ? attrs.get(attr) : undefined;
    if (attr && found) {
      let target = values;
      for (const key of at.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
      target[at[at.length - 1]!] = found.value;
      sources[at.join('.')] = { attribute: attr, source: found.source };
    }
    for (const [k, sub] of Object.entries(s?.properties ?? {})) walk(sub, [...at, k]);
  };
  walk(form, []);
  return { values, sources };
}

/** One attribute of a person's or an enterprise's profile, with the register it came from. */
export interface ProfileAttribute {
  accountId: string;
  attribute: string;
  value: unknown;
  source: string;
}

export async function setProfileAttribute({ db, pii }: ApplicationsDeps, a: ProfileAttribute): Promise<void> {
  await repo.upsertProfileAttribute(db, pii, a.accountId, a.attribute, a.value, a.source);
}

// ---- uploads ----

/** Stores an upload for whom the caller acts for, so that their application can use it; the audit names the actor. */
export async function upload(
  { db, dataDir, pii }: ApplicationsDeps,
  ctx: RequestContext,
  file: { name: string; contentType: string; body: Buffer },
): Promise<UploadedFile> {
  const p = ctx.principal;
  const id = crypto.randomUUID();
  const sha256 = crypto.createHash('sha256').update(file.body).digest('hex');
  // Scans of ID cards and certificates: sealed under the PII keys before they reach the disk (docs/adr/0023).
  const stored = await writeUpload(dataDir, pii, id, file.body);
  await db.transaction(async (tx) => {
    await repo.insertFile(tx, pii, {
      id,
      ownerId: p.subjectId,
      fileName: file.name,
      contentType: file.contentType,
      size: file.body.length,
      sha256,
      ...stored,
    });
    await recordAudit(tx, {
      actorId: p.accountId,
      action: 'file.uploaded',
      subjectType: 'file',
      subjectId: id,
      data: {
        sha256,
        size: file.body.length,
        contentType: file.contentType,
        owner: p.subjectId,
        ...actingRecord(p),
      },
      requestId: ctx.requestId,
    });
  });
  return { id, name: file.name, contentType: file.contentType, size: file.body.length, sha256 };
}
