// Who may reach what in intake. What is not the caller's is "not found", never "forbidden": someone else's
// application or draft does not exist for them.
import { CommonErrors } from '@onething/shared/problem';
import { ApplicationsErrors } from '@onething/shared/applications';
import { IdentityErrors } from '@onething/shared/identity';
import { authorize, type Principal } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import type { ApplicationsDeps } from './applications.deps.ts';
import * as repo from './applications.repository.ts';

/** The subject's own applications, drafts and files, and under a proxy only those of the bundles it covers. */
export function mayRead(p: Principal, ownerId: string, bundle: string): boolean {
  return authorize(p, 'applications.read', { ownerId, bundle });
}

/** Acting on the subject's behalf for this bundle: refused when a proxy does not cover it. */
export function requireSubmit(p: Principal, bundle: string): void {
  if (!authorize(p, 'applications.submit', { ownerId: p.subjectId, bundle })) {
    if (authorize(p, 'applications.submit', { ownerId: p.subjectId }))
      throw new AppError(IdentityErrors.outsideProxyScope, { bundle });
    throw new AppError(CommonErrors.forbidden);
  }
}

/** Whether `id` can be an application's or a draft's id; anything else is not found without a query. */
export function isId(id: string): boolean {
  return /^[0-9a-f-]{36}$/i.test(id);
}

/** The caller's application (`forWrite`: one they may act on), or 404. */
export async function getOwnApplication(
  { db }: Pick<ApplicationsDeps, 'db'>,
  ctx: RequestContext,
  id: string,
  forWrite = false,
): Promise<repo.ApplicationRow> {
  const a = isId(id) ? await repo.findApplication(db, id) : undefined;
  if (!a || !mayRead(ctx.principal, a.applicantId, a.bundleCode)) throw new AppError(ApplicationsErrors.notFound);
  if (forWrite) requireSubmit(ctx.principal, a.bundleCode);
  return a;
}

/** The caller's draft, or 404. */
export async function getOwnDraft(
  { db }: Pick<ApplicationsDeps, 'db'>,
  ctx: RequestContext,
  id: string,
): Promise<repo.DraftRow> {
  const d = isId(id) ? await repo.findDraft(db, id, ctx.principal.subjectId) : undefined;
  if (!d || !mayRead(ctx.principal, d.applicantId, d.bundleCode)) throw new AppError(ApplicationsErrors.draftNotFound);
  return d;
}
