// Department cases: each action loads the case under a row lock, decides with the pure transition table,
// and saves the case, its event, the audit row and the applicant's notification in one transaction
// (cases.actions.ts). When a case closes, the cases waiting for it start (receiving its outputs) or end, and the
// application's status and promised date follow. The applications context creates an application's cases and
// withdraws them; the clock sweep is in cases.sweep.ts.
import crypto from 'node:crypto';
import { CasesErrors } from '@onething/shared/cases';
import { CommonErrors } from '@onething/shared/problem';
import type { Executor } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit, type AuditEntry } from '../../platform/audit.ts';
import { actingRecord, authorize, type Principal } from '../../platform/auth.ts';
import { bindService, type RequestContext } from '../../platform/request-context.ts';
import type { WorkCalendar } from '../calendar/index.ts';
import { applyAction, settle, throwCalendarError, withCalendar } from './cases.actions.ts';
import { isOpen, promisedDate, type ActionInput, type ActorKind, type CaseStatus } from './cases.domain.ts';
import type { ApplicationRef, CaseFile, CasesDeps, NewCaseItem, PlannedOutput } from './cases.ports.ts';
import * as repo from './cases.repository.ts';
import { sweep } from './cases.sweep.ts';

/** The cases service: its operations with their dependencies bound (ADR 0019). */
export function createCasesService(deps: CasesDeps) {
  return bindService(deps, {
    act,
    getCase,
    caseFile,
    queue,
    calendar,
    newCases,
    withdrawAll,
    casesOf,
    eventsOf,
    correctionsOf,
    sweep,
  });
}

export type CasesService = ReturnType<typeof createCasesService>;

/**
 * The case if the caller may see it (platform/auth.ts authorize): staff of its department within whose
 * jurisdiction it lies ('department'), the applicant or whoever acts for them ('applicant'), or staff who may
 * read cases within their jurisdiction ('observer', read-only). Anyone else: 404, as if it did not exist.
 */
async function visibleCase(
  deps: CasesDeps,
  ex: Executor,
  caseId: string,
  p: Principal,
): Promise<{ row: repo.CaseRow; app: ApplicationRef; as: ActorKind | 'observer' }> {
  const row = await repo.findCase(ex, caseId);
  if (!row) throw new AppError(CasesErrors.notFound);
  const app = (await deps.applications.find(ex, row.applicationId))!;
  const where = { departmentCode: row.departmentCode, regionCode: row.regionCode };
  if (authorize(p, 'cases.review', where)) return { row, app, as: 'department' };
  if (authorize(p, 'applications.read', { ownerId: app.applicantId, bundle: app.bundleCode }))
    return { row, app, as: 'applicant' };
  if (authorize(p, 'cases.read', where)) return { row, app, as: 'observer' };
  throw new AppError(CasesErrors.notFound);
}

/** Runs an action of a reviewer or an applicant on a case. */
export async function act(deps: CasesDeps, ctx: RequestContext, caseId: string, input: ActionInput) {
  const p = ctx.principal;
  return withCalendar(deps, async (cal) =>
    deps.db.transaction(async (tx) => {
      const { app, as } = await visibleCase(deps, tx, caseId, p);
      // Seeing a case is not acting on it: observers read only, and whoever acts for an applicant must be allowed to.
      if (
        as === 'observer' ||
        (as === 'applicant' &&
          !authorize(p, 'applications.submit', { ownerId: app.applicantId, bundle: app.bundleCode }))
      )
        throw new AppError(CommonErrors.forbidden);
      // Lock all the application's cases in one order before changing any, so that concurrent actions on
      // sibling cases (which may release each other's dependents) queue instead of deadlocking.
      const locked = await repo.casesOfApplication(tx, app.id, true);
      const row = locked.find((c) => c.id === caseId)!;
      const actor = {
        kind: as,
        accountId: p.accountId,
        requestId: ctx.requestId,
        behalf: as === 'applicant' ? actingRecord(p) : {},
      };
      const updated = await applyAction(deps, tx, { row, app, input, actor, cal });
      await settle(deps, tx, { app, cal, requestId: ctx.requestId });
      return updated;
    }),
  );
}

/** The certificate types an item receives from its (transitive) prerequisites among the application's cases. */
function receivedTypes(row: repo.CaseRow, siblings: repo.CaseRow[]): Set<string> {
  const byItem = new Map(siblings.map((c) => [c.itemCode, c]));
  const out = new Set<string>(
    ((row.inputs ?? []) as Array<{ certificateType?: string }>).flatMap((i) =>
      i.certificateType ? [i.certificateType] : [],
    ),
  );
  const seen = new Set<string>();
  const walk = (code: string) => {
    for (const dep of byItem.get(code)?.dependsOn ?? []) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      for (const o of (byItem.get(dep)?.outputs ?? []) as PlannedOutput[]) out.add(o.certificateType);
      walk(dep);
    }
  };
  walk(row.itemCode);
  return out;
}

/** A case the caller may see, with its history, correction notices and the materials serving its item. */
export async function getCase(deps: CasesDeps, ctx: RequestContext, caseId: string) {
  const { db } = deps;
  const { row, app, as } = await visibleCase(deps, db, caseId, ctx.principal);
  const [events, corrections, siblings] = await Promise.all([
    repo.eventsOfCases(db, [row.id]),
    repo.correctionsOfCases(db, [row.id]),
    repo.casesOfApplication(db, app.id),
  ]);
  const materials = await deps.applications.materialsFor(db, app.id, row.itemCode, receivedTypes(row, siblings));
  return { row, app, as, events, corrections, materials };
}

/**
 * An uploaded file of one of the case's materials, for the department reviewing the case only; anyone else,
 * and any file not among the case's materials, gets 404. The read is audited (the file is personal data).
 */
export async function caseFile(
  deps: CasesDeps,
  ctx: RequestContext,
  caseId: string,
  fileId: string,
): Promise<CaseFile> {
  const { db } = deps;
  const { row, app, as } = await visibleCase(deps, db, caseId, ctx.principal);
  if (as !== 'department') throw new AppError(CasesErrors.notFound);
  const file = /^[0-9a-f-]{36}$/i.test(fileId)
    ? await deps.applications.fileFor(db, app.id, row.itemCode, fileId)
    : undefined;
  if (!file) throw new AppError(CasesErrors.fileNotFound);
  await recordAudit(db, {
    actorId: ctx.principal.accountId,
    action: 'file.read',
    subjectType: 'file',
    subjectId: file.id,
    data: {
      case: row.id,
      application: app.number,
      item: row.itemCode,
      whose: app.applicantId,
      sha256: file.sha256,
      route: 'GET /api/v1/cases/:id/files/:fileId',
      purpose: 'case review',
    },
    requestId: ctx.requestId,
  });
  return file;
}

/** The department's open cases within the caller's jurisdiction (the same rule as authorize's 'department' scope). */
export async function queue(
  deps: CasesDeps,
  ctx: RequestContext,
  f: Omit<repo.QueueFilter, 'departmentCode' | 'jurisdiction'>,
) {
  const p = ctx.principal;
  if (!p.departmentCode || !p.jurisdiction || !authorize(p, 'cases.review')) return { rows: [], total: 0, more: false };
  return repo.queue(deps.db, { ...f, departmentCode: p.departmentCode, jurisdiction: p.jurisdiction });
}

/** The working calendar; load it before a transaction (PGlite has one connection). */
export function calendar(deps: CasesDeps): Promise<WorkCalendar> {
  return deps.calendar.calendar();
}

/** An application's cases, by item code. */
export function casesOf(_deps: CasesDeps, ex: Executor, applicationId: string) {
  return repo.casesOfApplication(ex, applicationId);
}

export function eventsOf(_deps: CasesDeps, ex: Executor, caseIds: string[]) {
  return repo.eventsOfCases(ex, caseIds);
}

export function correctionsOf(_deps: CasesDeps, ex: Executor, caseIds: string[]) {
  return repo.correctionsOfCases(ex, caseIds);
}

/**
 * The cases of a new application, decided before anything is written: one per item, with its first event and
 * audit entry, its planned outputs, waiting when it has prerequisites and received today otherwise, and the
 * application's first progress (status and promised date). A date the calendar cannot give refuses the
 * submission here (422) with nothing written. `write` gives the rows as parts of the application's one
 * statement (platform/db.ts insertTogether; the cases are new, so their audit chains start there) and, once it
 * has run, the cases and events as stored; `at` stamps every row, so that what is given back is what is stored.
 * The audit rows carry the submission's request id; their actor is the account that submitted.
 */
export async function newCases(deps: CasesDeps, ctx: RequestContext, applicationId: string, items: NewCaseItem[]) {
  const cal = await deps.calendar.calendar();
  const today = deps.clock.today();
  const rows: repo.NewCase[] = items.map((it) => {
    const waiting = it.dependsOn.length > 0;
    return {
      id: crypto.randomUUID(),
      applicationId,
      itemCode: it.itemCode,
      itemVersion: it.itemVersion,
      departmentCode: it.departmentCode,
      regionCode: it.regionCode,
      status: waiting ? 'waiting' : 'pending',
      dependsOn: it.dependsOn,
      data: it.data,
      outputs: it.outputs.map((o) => ({ certificateType: o.certificateType, name: o.name, issued: false })),
      promisedDays: it.promisedDays,
      statutoryDays: it.statutoryDays,
      receivedOn: waiting ? null : today,
    };
  });
  let promised: string;
  try {
    promised = promisedDate(
      rows.map((r) => ({
        itemCode: r.itemCode,
        dependsOn: r.dependsOn ?? [],
        promisedDays: r.promisedDays,
        dueDate: null,
        status: r.status as CaseStatus,
      })),
      today,
      cal,
    );
  } catch (err) {
    throwCalendarError(err);
  }
  return {
    /** The calendar the dates were counted with (for the view of the new application). */
    calendar: cal,
    /** The new application's progress columns. */
    progress: { status: 'in_progress' as const, promisedDate: promised, completedAt: null },
    write(app: ApplicationRef, at: Date) {
      const written = repo.newCaseParts(
        deps.pii,
        rows.map((r) => ({ ...r, createdAt: at, updatedAt: at })),
        rows.map((r) => ({
          caseId: r.id,
          at,
          onDay: today,
          actorId: app.submittedBy,
          action: 'submit',
          fromStatus: null,
          toStatus: r.status,
          reason: null,
          data: app.submittedBy !== app.applicantId ? { onBehalfOf: app.applicantId } : {},
        })),
      );
      const audit: AuditEntry[] = rows.map((r) => ({
        actorId: app.submittedBy,
        action: 'case.created',
        subjectType: 'case',
        subjectId: r.id,
        data: { application: app.number, item: r.itemCode, status: r.status, department: r.departmentCode },
        requestId: ctx.requestId,
      }));
      return { parts: written.parts, audit, stored: written.stored };
    },
  };
}

/**
 * Withdraws every open case of an application (the applicant's choice, made by ctx's principal and recorded with
 * whom they act for), inside tx; `cal` loaded before it.
 */
export async function withdrawAll(
  deps: CasesDeps,
  ctx: RequestContext,
  tx: Executor,
  app: ApplicationRef,
  options: { reason: string | undefined; cal: WorkCalendar },
): Promise<void> {
  const { reason, cal } = options;
  const actor = {
    kind: 'applicant' as const,
    accountId: ctx.principal.accountId,
    requestId: ctx.requestId,
    behalf: actingRecord(ctx.principal),
  };
  for (const row of await repo.casesOfApplication(tx, app.id, true)) {
    if (isOpen(row.status as CaseStatus))
      await applyAction(deps, tx, {
        row,
        app,
        input: { action: 'withdraw', ...(reason ? { reason } : {}) },
        actor,
        cal,
      });
  }
  await settle(deps, tx, { app, cal, requestId: ctx.requestId });
}
