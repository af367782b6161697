// Applying one decided action to a case, and settling its application afterwards: the two steps every change of a
// case goes through, whoever makes it (a reviewer, an applicant, the cases waiting on it, the clock sweep). Both
// run inside the caller's transaction, which has locked the application's cases.
import crypto from 'node:crypto';
import { CasesErrors, CasesFieldErrors } from '@onething/shared/cases';
import { CommonErrors, fieldError } from '@onething/shared/problem';
import type { Executor } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../../platform/audit.ts';
import { calendarErrorToAppError as toAppError, type WorkCalendar } from '../calendar/index.ts';
import { notify } from '../notifications/index.ts';
import {
  actionName,
  applicationStatusOf,
  clockFlags,
  clockIsProvisional,
  decide,
  isOpen,
  promisedDate,
  STATUS_NAMES,
  type ActionInput,
  type ActorKind,
  type CaseState,
  type CaseStatus,
  type DecisionError,
} from './cases.domain.ts';
import * as repo from './cases.repository.ts';
import type { ApplicationRef, CasesDeps, PlannedOutput } from './cases.ports.ts';

/** Who takes an action, as its event and audit row record them. */
export interface Actor {
  kind: ActorKind;
  /** The account acting; null for the system. */
  accountId: string | null;
  /** Joins the audit rows of the request (or null: the sweep has none). */
  requestId: string | null;
  /** Whom the actor acted for and under which proxy (actingRecord), kept in the event and the audit row. */
  behalf?: Record<string, string>;
}

/** The system as actor: releasing or ending waiting cases on behalf of whatever request caused it. */
export function systemActor(requestId: string | null): Actor {
  return { kind: 'system', accountId: null, requestId };
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
export function throwCalendarError(err: unknown): never {
  if (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('calendar.'))
    toAppError(err);
  throw err;
}

/** Runs fn with the working calendar, loaded before it (PGlite has one connection), its date errors as 422s. */
export async function withCalendar<T>(
  deps: Pick<CasesDeps, 'calendar'>,
  fn: (cal: WorkCalendar) => T | Promise<T>,
): Promise<T> {
  const cal = await deps.calendar.calendar();
  try {
    return await fn(cal);
  } catch (err) {
    throwCalendarError(err);
  }
}

/** A refusal of the transition table as the problem the caller gets. */
function refusal(e: DecisionError): AppError {
  if (e.code === 'cases.invalid_transition') {
    const status = STATUS_NAMES[e.status];
    const action = actionName(e.action);
    return new AppError(CasesErrors.invalidTransition, {
      statusZh: status.zh,
      statusEn: status.en,
      actionZh: action.zh,
      actionEn: action.en.toLowerCase(),
    });
  }
  if (e.code === 'cases.not_your_action') return new AppError(CommonErrors.forbidden);
  if (e.code === 'cases.invalid_gap')
    return new AppError(CasesErrors.invalidGap, {}, [{ pointer: e.field, code: e.code, detail: e.detail }]);
  if (e.code === 'cases.correction_late')
    return new AppError(CasesErrors.correctionLate, {}, [fieldError(e.field, CasesFieldErrors.correctionLate)]);
  return new AppError(CasesErrors.reasonRequired, {}, [fieldError(e.field, CasesFieldErrors.reasonRequired)]);
}

/**
 * Decides one action with the transition table and writes its consequences, inside tx: the case, its event, the
 * audit row, the correction notice it opens or closes, and the applicant's notification.
 */
export async function applyAction(
  deps: Pick<CasesDeps, 'clock' | 'pii'>,
  tx: Executor,
  step: { row: repo.CaseRow; app: ApplicationRef; input: ActionInput; actor: Actor; cal: WorkCalendar },
): Promise<repo.CaseRow> {
  const { row, app, input, actor, cal } = step;
  const behalf = actor.behalf ?? {};
  const today = deps.clock.today();
  const result = decide(toState(row, app.declaredGaps[row.itemCode] ?? []), input, actor.kind, today, cal);
  if (!result.ok) throw refusal(result.error);
  const { next, event } = result.value;
  const set: Partial<repo.NewCase> = {
    ...fromState(next),
    ...clockFlags(next, today, cal),
    clockProvisional: clockIsProvisional(next, cal),
  };
  if (!isOpen(next.status)) set.closedAt = deps.clock.now();
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
    actorId: actor.accountId,
    action: event.action,
    fromStatus: event.from,
    toStatus: event.to,
    reason: event.reason,
    data: { ...event.data, ...behalf },
  });
  await recordAudit(tx, {
    actorId: actor.accountId,
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
    requestId: actor.requestId,
  });
  if (input.action === 'request_correction') {
    await repo.insertCorrection(tx, deps.pii, {
      id: crypto.randomUUID(),
      caseId: row.id,
      issuedOn: today,
      issuedBy: actor.accountId,
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

/**
 * Starts or ends the cases waiting for others, repeatedly until none changes: released with their prerequisites'
 * issued outputs once all concluded, terminated once one closed without 准予. Returns the application's cases.
 */
async function releaseWaiting(
  deps: Pick<CasesDeps, 'clock' | 'pii'>,
  tx: Executor,
  step: { app: ApplicationRef; cal: WorkCalendar; requestId: string | null },
): Promise<repo.CaseRow[]> {
  const { app, cal } = step;
  const actor = systemActor(step.requestId);
  let all = await repo.casesOfApplication(tx, app.id, true);
  let changed = true;
  while (changed) {
    changed = false;
    const byItem = new Map(all.map((c) => [c.itemCode, c]));
    for (const c of all.filter((x) => x.status === 'waiting')) {
      const prerequisites = c.dependsOn.map((d) => byItem.get(d)).filter((d): d is repo.CaseRow => !!d);
      const failed = prerequisites.find(
        (d) => !isOpen(d.status as CaseStatus) && !(d.status === 'concluded' && d.decision === 'approve'),
      );
      if (failed) {
        const reason = `前置事项 ${failed.itemCode} 未获准予 / prerequisite ${failed.itemCode} was not granted`;
        await applyAction(deps, tx, { row: c, app, input: { action: 'terminate', reason }, actor, cal });
        changed = true;
      } else if (prerequisites.every((d) => d.status === 'concluded')) {
        const inputs = prerequisites.flatMap((d) => (d.outputs as PlannedOutput[]).filter((o) => o.issued));
        await applyAction(deps, tx, { row: c, app, input: { action: 'release', inputs }, actor, cal });
        changed = true;
      }
    }
    if (changed) all = await repo.casesOfApplication(tx, app.id);
  }
  return all;
}

/**
 * After a case changes, inside tx: start or end the cases waiting for it, then write the application's status and
 * promised date; once no case is open, the application is completed (or withdrawn), audited and notified.
 */
export async function settle(
  deps: Pick<CasesDeps, 'clock' | 'pii'>,
  tx: Executor,
  step: { app: ApplicationRef; cal: WorkCalendar; requestId: string | null },
): Promise<void> {
  const { app, cal, requestId } = step;
  const all = await releaseWaiting(deps, tx, step);
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
  if (status === 'in_progress') {
    await repo.setApplicationProgress(tx, app.id, { promisedDate: promised });
    return;
  }
  const allWithdrawn = status === 'withdrawn';
  await repo.setApplicationProgress(tx, app.id, { status, completedAt: deps.clock.now(), promisedDate: promised });
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
}
