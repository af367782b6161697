// Drafts: saved as they are (checked when submitted), resumable from any device, the applicant's own.
import crypto from 'node:crypto';
import type { Answers, Draft, DraftBody, DraftSummary, NewDraftBody } from '@onething/shared/applications';
import { ApplicationsErrors } from '@onething/shared/applications';
import { AppError } from '../../platform/errors.ts';
import { revealPersonalData } from '../../platform/pii-reads.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { getOwnDraft, mayRead, requireSubmit } from './applications.access.ts';
import type { ApplicationsDeps } from './applications.deps.ts';
import * as repo from './applications.repository.ts';

export async function createDraft(deps: ApplicationsDeps, ctx: RequestContext, input: NewDraftBody): Promise<Draft> {
  const p = ctx.principal;
  requireSubmit(p, input.bundle);
  const b = await deps.catalogue.resolveBundle(input.bundle);
  const id = crypto.randomUUID();
  await repo.insertDraft(deps.db, deps.pii, {
    id,
    applicantId: p.subjectId,
    bundleCode: b.code,
    bundleVersion: b.version,
    answers: input.answers ?? {},
    form: input.form ?? {},
    materials: input.materials ?? [],
  });
  return getDraft(deps, ctx, id);
}

export async function updateDraft(
  deps: ApplicationsDeps,
  ctx: RequestContext,
  id: string,
  input: DraftBody,
): Promise<Draft> {
  await getOwnDraft(deps, ctx, id);
  const ok = await repo.updateDraft(deps.db, deps.pii, id, ctx.principal.subjectId, {
    ...(input.answers ? { answers: input.answers } : {}),
    ...(input.form ? { form: input.form } : {}),
    ...(input.materials ? { materials: input.materials } : {}),
  });
  if (!ok) throw new AppError(ApplicationsErrors.draftNotFound);
  return getDraft(deps, ctx, id);
}

/** The applicant continues their own draft: the full numbers they typed, read through an audited reveal. */
export async function getDraft(deps: ApplicationsDeps, ctx: RequestContext, id: string): Promise<Draft> {
  const d = await getOwnDraft(deps, ctx, id);
  return revealPersonalData<Draft>(
    deps.db,
    deps.pii,
    {
      id: d.id,
      bundle: { code: d.bundleCode, version: d.bundleVersion },
      // Saved through the route's DraftBody, so its answers are Answers.
      answers: d.answers as Answers,
      form: d.form,
      materials: d.materials,
      updatedAt: d.updatedAt.toISOString(),
    },
    {
      actorId: ctx.principal.accountId,
      whose: d.applicantId,
      subjectType: 'application_draft',
      subjectId: d.id,
      route: 'application draft',
      purpose: 'applicant continues the draft',
      requestId: ctx.requestId,
    },
  );
}

export async function listDrafts({ db }: ApplicationsDeps, ctx: RequestContext): Promise<DraftSummary[]> {
  const p = ctx.principal;
  return (await repo.listDrafts(db, p.subjectId))
    .filter((d) => mayRead(p, d.applicantId, d.bundleCode))
    .map(
      (d): DraftSummary => ({
        id: d.id,
        bundle: { code: d.bundleCode, version: d.bundleVersion },
        updatedAt: d.updatedAt.toISOString(),
      }),
    );
}

export async function deleteDraft(deps: ApplicationsDeps, ctx: RequestContext, id: string): Promise<void> {
  await getOwnDraft(deps, ctx, id);
  if (!(await repo.deleteDraft(deps.db, id, ctx.principal.subjectId)))
    throw new AppError(ApplicationsErrors.draftNotFound);
}
