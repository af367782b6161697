// Department cases: each action loads the case under a row lock, decides with the pure transition table,
// and saves the case, its event, the audit row and the applicant's notification in one transaction. When a
// case closes, the cases waiting for it start (receiving its outputs) or end, and the application's status
// and promised date follow.
import crypto from 'node:crypto';
import type { CaseMaterial, CaseMaterialFile, CaseOutput } from '@onething/shared/cases';
import type { Database, Executor } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit, type AuditEntry } from '../../platform/audit.ts';
import type { Clock } from '../../platform/clock.ts';
import type { PiiSealer } from '../../platform/pii.ts';
import { actingRecord, authorize, type Principal } from '../../platform/auth.ts';
import { calendarErrorToAppError as toAppError, type CalendarService, type WorkCalendar } from '../calendar/index.ts';
import { notify } from '../notifications/index.ts';
import {
  actionName,
  applicationStatusOf,
  clockFlags,
  clockIsProvisional,
  clocks,
  decide,
  isOpen,
  promisedDate,
  STATUS_NAMES,
  type ActionInput,
  type ActorKind,
  type CaseState,
  type CaseStatus,
} from './cases.domain.ts';
import * as repo from './cases.repository.ts';
import { CasesErrors, CasesFieldErrors } from '@onething/shared/cases';
import { CommonErrors, fieldError } from '@onething/shared/problem';

/** What an item produces: planned at submission, issued when the case concludes with 准予. */
export type PlannedOutput = CaseOutput;

export interface ApplicationRef {
  id: string;
  number: string;
  /** The person or enterprise of record. */
  applicantId: string;
  /** The account that submitted (the applicant, an agent, a family member or window staff). */
  submittedBy: string;
  bundleCode: string;
  submittedOn: string;
  declaredGaps: Record<string, string[]>;
}

/** An uploaded file among a case's materials, and a way to read its bytes. */
export interface CaseFile extends CaseMaterialFile {
  sha256: string;
  ownerId: string;
  open(): NodeJS.ReadableStream;
}

/**
 * Reads what the cases context needs of an application (owned by the applications context). Reads only: an
 * application's progress is the cases' to write (cases.repository.ts setApplicationProgress).
 */
export interface ApplicationPort {
  find(ex: Executor, applicationId: string): Promise<ApplicationRef | undefined>;
  /** The materials serving one item; `received`: the certificate types the item gets from earlier items. */
  materialsFor(
    ex: Executor,
    applicationId: string,
    itemCode: string,
    received: ReadonlySet<string>,
  ): Promise<CaseMaterial[]>;
  /** The file if it is one of the uploads of the materials serving this item (and the applicant's own), else undefined. */
  fileFor(ex: Executor, applicationId: string, itemCode: string, fileId: string): Promise<CaseFile | undefined>;
}

/** One selected item of a new application, as the case that will handle it needs it. */
export interface NewCaseItem {
  itemCode: string;
  itemVersion: number;
  departmentCode: string;
  regionCode: string;
  /** The item codes among the same application's items that must conclude first. */
  dependsOn: string[];
  /** The item's own fields, mapped from the application's form. */
  data: Record<string, unknown>;
  /** What the item produces once granted. */
  outputs: Array<Pick<PlannedOutput, 'certificateType' | 'name'>>;
  promisedDays: repo.NewCase['promisedDays'];
  statutoryDays: repo.NewCase['statutoryDays'];
}

function toState(row: repo.CaseRow, declaredGaps: string[]): CaseState {
  return {
    status: row.status as CaseStatus,
    promisedDays: row.promisedDays,
    statutoryDays: row.statutoryDays,
    receivedOn: row.receivedOn,
    acceptedOn: row.acceptedOn,
    dueDate: row.dueDate,
    statutoryDueDate: row.statutoryDueDate,
    pauses: row.pauses,
    pausedSince: row.pausedSince,
    correctionReturn: row.correctionReturn as CaseStatus | null,
    decision: row.decision,
    decisionReason: row.decisionReason,
    toleratedGap: row.toleratedGap,
    gapDueDate: row.gapDueDate,
    gapStatus: row.gapStatus,
    declaredGaps,
  };
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

function fromState(s: CaseState): Partial<repo.NewCase> {
  return {
    status: s.status,
    receivedOn: s.receivedOn,
    acceptedOn: s.acceptedOn,
    dueDate: s.dueDate,
    statutoryDueDate: s.statutoryDueDate,
    pauses: s.pauses,
    pausedSince: s.pausedSince,
    correctionReturn: s.correctionReturn,
    decision: s.decision,
    decisionReason: s.decisionReason,
    toleratedGap: s.toleratedGap,
    gapDueDate: s.gapDueDate,
    gapStatus: s.gapStatus,
  };
}

/** Rethrows an error of the working calendar (a date it cannot give) as the 422 problem; any other as it is. */
function throwCalendarError(err: unknown): never {
  if (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('calendar.'))
    toAppError(err);
  throw err;
}

export function createCasesService(
  db: Database,
  deps: { calendar: CalendarService; clock: Clock; pii: PiiSealer; applications: ApplicationPort },
) {
  const { clock } = deps;

  async function withCalendar<T>(fn: (cal: WorkCalendar) => T | Promise<T>): Promise<T> {
    const cal = await deps.calendar.calendar();
    try {
      return await fn(cal);
    } catch (err) {
      throwCalendarError(err);
    }
  }

  /** Applies one decided action and its consequences, inside tx. */
  /** `behalf`: whom the actor acted for and under which proxy (actingRecord), kept in the event and the audit row. */
  async function apply(
    tx: Executor,
    row: repo.CaseRow,
    app: ApplicationRef,
    input: ActionInput,
    actor: ActorKind,
    actorId: string | null,
    requestId: string | null,
    cal: WorkCalendar,
    behalf: Record<string, string> = {},
  ): Promise<repo.CaseRow> {
    const today = clock.today();
    const result = decide(toState(row, app.declaredGaps[row.itemCode] ?? []), input, actor, today, cal);
    if (!result.ok) {
      const e = result.error;
      if (e.code === 'cases.invalid_transition') {
        const status = STATUS_NAMES[e.status];
        const action = actionName(e.action);
        throw new AppError(CasesErrors.invalidTransition, {
          statusZh: status.zh,
          statusEn: status.en,
          actionZh: action.zh,
          actionEn: action.en.toLowerCase(),
        });
      }
      if (e.code === 'cases.not_your_action') throw new AppError(CommonErrors.forbidden);
      if (e.code === 'cases.invalid_gap')
        throw new AppError(CasesErrors.invalidGap, {}, [{ pointer: e.field, code: e.code, detail: e.detail }]);
      if (e.code === 'cases.correction_late')
        throw new AppError(CasesErrors.correctionLate, {}, [fieldError(e.field, CasesFieldErrors.correctionLate)]);
      throw new AppError(CasesErrors.reasonRequired, {}, [fieldError(e.field, CasesFieldErrors.reasonRequired)]);
    }
    const { next, event } = result.value;
    const set: Partial<repo.NewCase> = {
      ...fromState(next),
      ...clockFlags(next, today, cal),
      clockProvisional: clockIsProvisional(next, cal),
    };
    if (!isOpen(next.status)) set.closedAt = clock.now();
    if (input.action === 'conclude' && next.decision === 'approve') {
      // The item's results are issued now (e.g. the 出生医学证明 e-certificate) and feed the cases waiting for it.
      set.outputs = (row.outputs as PlannedOutput[]).map((o) => ({
        ...o,
        issued: true,
        number: `${app.number}-${o.certificateType}`,
        issuedOn: today,
      }));
    }
    if (input.action === 'release') set.inputs = input.inputs;
    await repo.updateCase(tx, deps.pii, row.id, set);
    await repo.insertEvent(tx, deps.pii, {
      caseId: row.id,
      onDay: today,
      actorId,
      action: event.action,
      fromStatus: event.from,
      toStatus: event.to,
      reason: event.reason,
      data: { ...event.data, ...behalf },
    });
    await recordAudit(tx, {
      actorId,
      action: `case.${event.action}`,
      subjectType: 'case',
      subjectId: row.id,
      data: {
        application: app.number,
        item: row.itemCode,
        from: event.from,
        to: event.to,
        reason: event.reason,
        ...event.data,
        ...behalf,
      },
      requestId,
    });
    if (input.action === 'request_correction') {
      await repo.insertCorrection(tx, deps.pii, {
        id: crypto.randomUUID(),
        caseId: row.id,
        issuedOn: today,
        issuedBy: actorId,
        problems: input.problems,
        note: input.note ?? null,
      });
    }
    if (input.action === 'supply_correction') {
      const open = await repo.openCorrection(tx, row.id);
      if (open) await repo.closeCorrection(tx, deps.pii, open.id, today, input.materials);
    }
    await notify(tx, {
      recipientId: app.applicantId,
      applicationId: app.id,
      caseId: row.id,
      kind: `case.${event.action}`,
      payload: {
        applicationNumber: app.number,
        item: row.itemCode,
        status: event.to,
        dueDate: next.dueDate,
        reason: event.reason,
        ...(input.action === 'request_correction' ? { problems: input.problems } : {}),
      },
    });
    return { ...row, ...set } as repo.CaseRow;
  }

  /** After a case changes: start or end the cases waiting for it, then settle the application. */
  async function settle(tx: Executor, app: ApplicationRef, cal: WorkCalendar, requestId: string | null): Promise<void> {
    let all = await repo.casesOfApplication(tx, app.id, true);
    let changed = true;
    while (changed) {
      changed = false;
      const byItem = new Map(all.map((c) => [c.itemCode, c]));
      for (const c of all.filter((x) => x.status === 'waiting')) {
        const deps = c.dependsOn.map((d) => byItem.get(d)).filter((d): d is repo.CaseRow => !!d);
        const failed = deps.find(
          (d) => !isOpen(d.status as CaseStatus) && !(d.status === 'concluded' && d.decision === 'approve'),
        );
        if (failed) {
          await apply(
            tx,
            c,
            app,
            {
              action: 'terminate',
              reason: `前置事项 ${failed.itemCode} 未获准予 / prerequisite ${failed.itemCode} was not granted`,
            },
            'system',
            null,
            requestId,
            cal,
          );
          changed = true;
        } else if (deps.every((d) => d.status === 'concluded')) {
          await apply(
            tx,
            c,
            app,
            { action: 'release', inputs: deps.flatMap((d) => (d.outputs as PlannedOutput[]).filter((o) => o.issued)) },
            'system',
            null,
            requestId,
            cal,
          );
          changed = true;
        }
      }
      if (changed) all = await repo.casesOfApplication(tx, app.id);
    }
    const status = applicationStatusOf(all.map((c) => c.status as CaseStatus));
    const promised = promisedDate(
      all
        .filter((c) => isOpen(c.status as CaseStatus) || c.status === 'concluded')
        .map((c) => ({
          itemCode: c.itemCode,
          dependsOn: c.dependsOn,
          promisedDays: c.promisedDays,
          dueDate: c.dueDate,
          status: c.status as CaseStatus,
        })),
      app.submittedOn,
      cal,
    );
    if (status !== 'in_progress') {
      const allWithdrawn = status === 'withdrawn';
      await repo.setApplicationProgress(tx, app.id, {
        status,
        completedAt: clock.now(),
        promisedDate: promised,
      });
      await notify(tx, {
        recipientId: app.applicantId,
        applicationId: app.id,
        kind: allWithdrawn ? 'application.withdrawn' : 'application.completed',
        payload: { applicationNumber: app.number },
      });
      await recordAudit(tx, {
        actorId: null,
        action: allWithdrawn ? 'application.withdrawn' : 'application.completed',
        subjectType: 'application',
        subjectId: app.id,
        data: { number: app.number },
        requestId,
      });
    } else {
      await repo.setApplicationProgress(tx, app.id, { promisedDate: promised });
    }
  }

  /**
   * The case if the caller may see it (platform/auth.ts authorize): staff of its department within whose
   * jurisdiction it lies ('department'), the applicant or whoever acts for them ('applicant'), or staff who may
   * read cases within their jurisdiction ('observer', read-only). Anyone else: 404, as if it did not exist.
   */
  async function visibleCase(
    ex: Executor,
    caseId: string,
    p: Principal,
    forUpdate: boolean,
  ): Promise<{ row: repo.CaseRow; app: ApplicationRef; as: ActorKind | 'observer' }> {
    const row = await repo.findCase(ex, caseId, forUpdate);
    if (!row) throw new AppError(CasesErrors.notFound);
    const app = (await deps.applications.find(ex, row.applicationId))!;
    const where = { departmentCode: row.departmentCode, regionCode: row.regionCode };
    if (authorize(p, 'cases.review', where)) return { row, app, as: 'department' };
    if (authorize(p, 'applications.read', { ownerId: app.applicantId, bundle: app.bundleCode }))
      return { row, app, as: 'applicant' };
    if (authorize(p, 'cases.read', where)) return { row, app, as: 'observer' };
    throw new AppError(CasesErrors.notFound);
  }

  return {
    /** Runs an action of a reviewer or an applicant on a case. */
    async act(caseId: string, input: ActionInput, p: Principal, requestId: string) {
      return withCalendar(async (cal) =>
        db.transaction(async (tx) => {
          const { app, as } = await visibleCase(tx, caseId, p, false);
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
          const updated = await apply(
            tx,
            row,
            app,
            input,
            as,
            p.accountId,
            requestId,
            cal,
            as === 'applicant' ? actingRecord(p) : {},
          );
          await settle(tx, app, cal, requestId);
          return updated;
        }),
      );
    },

    /** The working calendar; load it before a transaction (PGlite has one connection). */
    calendar: () => deps.calendar.calendar(),

    /**
     * The cases of a new application, decided before anything is written: one per item, with its first event and
     * audit entry, its planned outputs, waiting when it has prerequisites and received today otherwise, and the
     * application's first progress (status and promised date). A date the calendar cannot give refuses the
     * submission here (422) with nothing written. `write` gives the rows as parts of the application's one
     * statement (platform/db.ts insertTogether; the cases are new, so their audit chains start there) and, once it
     * has run, the cases and events as stored; `at` stamps every row, so that what is given back is what is stored.
     */
    async newCases(applicationId: string, items: NewCaseItem[]) {
      const cal = await deps.calendar.calendar();
      const today = clock.today();
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
        write(app: ApplicationRef, requestId: string | null, at: Date) {
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
            requestId,
          }));
          return { parts: written.parts, audit, stored: written.stored };
        },
      };
    },

    /** Withdraws every open case of an application (the applicant's choice), inside tx. */
    async withdrawAll(
      tx: Executor,
      app: ApplicationRef,
      actorId: string,
      reason: string | undefined,
      requestId: string,
      cal: WorkCalendar,
      behalf: Record<string, string> = {},
    ) {
      for (const c of await repo.casesOfApplication(tx, app.id, true)) {
        if (isOpen(c.status as CaseStatus))
          await apply(
            tx,
            c,
            app,
            { action: 'withdraw', ...(reason ? { reason } : {}) },
            'applicant',
            actorId,
            requestId,
            cal,
            behalf,
          );
      }
      await settle(tx, app, cal, requestId);
    },

    async getCase(caseId: string, p: Principal) {
      const { row, app, as } = await visibleCase(db, caseId, p, false);
      const [events, corrections, siblings] = await Promise.all([
        repo.eventsOfCases(db, [row.id]),
        repo.correctionsOfCases(db, [row.id]),
        repo.casesOfApplication(db, app.id),
      ]);
      const materials = await deps.applications.materialsFor(db, app.id, row.itemCode, receivedTypes(row, siblings));
      return { row, app, as, events, corrections, materials };
    },

    /**
     * An uploaded file of one of the case's materials, for the department reviewing the case only; anyone else,
     * and any file not among the case's materials, gets 404. The read is audited (the file is personal data).
     */
    async caseFile(caseId: string, fileId: string, p: Principal, requestId: string): Promise<CaseFile> {
      const { row, app, as } = await visibleCase(db, caseId, p, false);
      if (as !== 'department') throw new AppError(CasesErrors.notFound);
      const file = /^[0-9a-f-]{36}$/i.test(fileId)
        ? await deps.applications.fileFor(db, app.id, row.itemCode, fileId)
        : undefined;
      if (!file) throw new AppError(CasesErrors.fileNotFound);
      await recordAudit(db, {
        actorId: p.accountId,
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
        requestId,
      });
      return file;
    },

    casesOf: (ex: Executor, applicationId: string) => repo.casesOfApplication(ex, applicationId),
    eventsOf: (ex: Executor, ids: string[]) => repo.eventsOfCases(ex, ids),
    correctionsOf: (ex: Executor, ids: string[]) => repo.correctionsOfCases(ex, ids),

    /** The department's open cases within the caller's jurisdiction (the same rule as authorize's 'department' scope). */
    async queue(p: Principal, f: Omit<repo.QueueFilter, 'departmentCode' | 'jurisdiction'>) {
      if (!p.departmentCode || !p.jurisdiction || !authorize(p, 'cases.review'))
        return { rows: [], total: 0, more: false };
      return repo.queue(db, { ...f, departmentCode: p.departmentCode, jurisdiction: p.jurisdiction });
    },

    /**
     * The clock sweep (a scheduled job): near-due and overdue flags for every running clock, and escalation of
     * tolerated gaps whose supplement deadline passed. Idempotent: it sets flags to what today says.
     */
    async sweep(): Promise<{ flagged: number; escalated: number; recomputed: number }> {
      const cal = await deps.calendar.calendar();
      const today = clock.today();
      // Due dates counted provisionally (into a year whose notice was not loaded) are computed again from the
      // notice once it is, with an event, an audit row and a notice to the applicant when a date moved.
      let recomputed = 0;
      let afterProvisional: string | null = null;
      for (;;) {
        const ids = await repo.provisionalClocks(db, afterProvisional, 500);
        if (ids.length === 0) break;
        afterProvisional = ids[ids.length - 1]!;
        for (const id of ids) {
          const moved = await db.transaction(async (tx) => {
            // Lock the application's cases in the same order as act() does, since settle() may change siblings.
            const peek = await repo.findCase(tx, id);
            if (!peek) return false;
            const cur = (await repo.casesOfApplication(tx, peek.applicationId, true)).find((c) => c.id === id);
            if (!cur?.clockProvisional) return false;
            const next = clocks(cur, cal);
            const still = clockIsProvisional(next, cal);
            if (!isOpen(cur.status as CaseStatus)) {
              await repo.updateCase(tx, deps.pii, id, { clockProvisional: false });
              return false;
            }
            if (next.dueDate === cur.dueDate && next.statutoryDueDate === cur.statutoryDueDate) {
              if (!still) await repo.updateCase(tx, deps.pii, id, { clockProvisional: false });
              return false;
            }
            const app = (await deps.applications.find(tx, cur.applicationId))!;
            await repo.updateCase(tx, deps.pii, id, {
              ...next,
              ...clockFlags(
                { status: cur.status as CaseStatus, dueDate: next.dueDate, pausedSince: cur.pausedSince },
                today,
                cal,
              ),
              clockProvisional: still,
            });
            const data = {
              fromDue: cur.dueDate,
              toDue: next.dueDate,
              fromStatutoryDue: cur.statutoryDueDate,
              toStatutoryDue: next.statutoryDueDate,
              calendarYears: cal.loadedYears(),
            };
            await repo.insertEvent(tx, deps.pii, {
              caseId: id,
              onDay: today,
              actorId: null,
              action: 'due_recomputed',
              fromStatus: cur.status,
              toStatus: cur.status,
              reason: null,
              data,
            });
            await recordAudit(tx, {
              actorId: null,
              action: 'case.due_recomputed',
              subjectType: 'case',
              subjectId: id,
              data: { application: app.number, item: cur.itemCode, ...data },
            });
            await notify(tx, {
              recipientId: app.applicantId,
              applicationId: app.id,
              caseId: id,
              kind: 'case.due_recomputed',
              payload: { applicationNumber: app.number, item: cur.itemCode, status: cur.status, dueDate: next.dueDate },
            });
            await settle(tx, app, cal, null);
            return true;
          });
          if (moved) recomputed++;
        }
      }
      let flagged = 0;
      let after: string | null = null;
      for (;;) {
        const batch: repo.CaseRow[] = await repo.clockedCases(db, after, 1000);
        if (batch.length === 0) break;
        after = batch[batch.length - 1]!.id;
        for (const c of batch) {
          const f = clockFlags(
            { status: c.status as CaseStatus, dueDate: c.dueDate, pausedSince: c.pausedSince },
            today,
            cal,
          );
          if (f.nearDue !== c.nearDue || f.overdue !== c.overdue) {
            // The batch was read without locks: another sweep (a second instance, or a retried job still running)
            // or a department's action may have changed the case since. Lock it and decide again, so that its
            // flags follow its current state and 'case.overdue' is recorded once.
            const changed = await db.transaction(async (tx) => {
              const cur = await repo.findCase(tx, c.id, true);
              if (!cur) return false;
              const now = clockFlags(
                { status: cur.status as CaseStatus, dueDate: cur.dueDate, pausedSince: cur.pausedSince },
                today,
                cal,
              );
              if (now.nearDue === cur.nearDue && now.overdue === cur.overdue) return false;
              await repo.updateCase(tx, deps.pii, c.id, now);
              if (now.overdue && !cur.overdue) {
                await recordAudit(tx, {
                  actorId: null,
                  action: 'case.overdue',
                  subjectType: 'case',
                  subjectId: c.id,
                  data: { dueDate: cur.dueDate, today },
                });
              }
              return true;
            });
            if (changed) flagged++;
          }
        }
      }
      let escalated = 0;
      for (const { id } of await repo.overdueGaps(db, today)) {
        await db.transaction(async (tx) => {
          const c = await repo.findCase(tx, id, true);
          if (c?.gapStatus !== 'open') return;
          const app = (await deps.applications.find(tx, c.applicationId))!;
          await repo.updateCase(tx, deps.pii, id, { gapStatus: 'overdue' });
          await repo.insertEvent(tx, deps.pii, {
            caseId: id,
            onDay: today,
            actorId: null,
            action: 'gap_overdue',
            fromStatus: c.status,
            toStatus: c.status,
            reason: null,
            data: { gapDueDate: c.gapDueDate, materials: c.toleratedGap?.materials ?? [] },
          });
          await recordAudit(tx, {
            actorId: null,
            action: 'case.gap_overdue',
            subjectType: 'case',
            subjectId: id,
            data: { gapDueDate: c.gapDueDate, today },
          });
          await notify(tx, {
            recipientId: app.applicantId,
            applicationId: app.id,
            caseId: id,
            kind: 'case.gap_overdue',
            payload: { applicationNumber: app.number, item: c.itemCode, gapDueDate: c.gapDueDate },
          });
        });
        escalated++;
      }
      return { flagged, escalated, recomputed };
    },
  };
}

export type CasesService = ReturnType<typeof createCasesService>;
