// The clock sweep (a scheduled job, cases.jobs.ts), in three jobs over every running clock: due dates counted
// provisionally computed again once their year's notice is loaded, near-due and overdue flags, and escalation of
// tolerated gaps whose supplement deadline passed. Each reads its batch without locks, then locks each case and
// decides again from what it finds, so a retry, a second instance or a department's action in between changes
// nothing twice. The sweep serves no request and acts for no one, so it takes no RequestContext: its events and
// audit rows have no actor and no request id (the job's id is in its log line).
import { recordAudit } from '../../platform/audit.ts';
import type { WorkCalendar } from '../calendar/index.ts';
import { notify } from '../notifications/index.ts';
import { settle } from './cases.actions.ts';
import { clockFlags, clockIsProvisional, clocks, isOpen, type CaseStatus } from './cases.domain.ts';
import type { CasesDeps } from './cases.ports.ts';
import * as repo from './cases.repository.ts';

/** One run of the sweep: the calendar it counts with and the day it takes as today, the same for all three jobs. */
export interface SweepRun {
  cal: WorkCalendar;
  today: string;
}

/** Runs the three jobs; idempotent: it sets what today says. */
export async function sweep(deps: CasesDeps): Promise<{ flagged: number; escalated: number; recomputed: number }> {
  const run: SweepRun = { cal: await deps.calendar.calendar(), today: deps.clock.today() };
  const recomputed = await recomputeProvisionalClocks(deps, run);
  const flagged = await flagClocks(deps, run);
  const escalated = await escalateOverdueGaps(deps, run);
  return { flagged, escalated, recomputed };
}

/**
 * Due dates counted provisionally (into a year whose notice was not loaded) are computed again from the notice
 * once it is. Returns how many moved.
 */
export async function recomputeProvisionalClocks(deps: CasesDeps, run: SweepRun): Promise<number> {
  let recomputed = 0;
  let after: string | null = null;
  for (;;) {
    const ids = await repo.provisionalClocks(deps.db, after, 500);
    if (ids.length === 0) break;
    after = ids[ids.length - 1]!;
    for (const id of ids) if (await recomputeClock(deps, run, id)) recomputed++;
  }
  return recomputed;
}

/**
 * One provisional clock computed again, in its own transaction: when a date moved, the case, an event, an audit row
 * and a notice to the applicant, and the application settled; when none did, only the provisional mark cleared
 * once the dates are final. Whether a date moved.
 */
async function recomputeClock(deps: CasesDeps, run: SweepRun, id: string): Promise<boolean> {
  const { cal, today } = run;
  return deps.db.transaction(async (tx) => {
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
    await settle(deps, tx, { app, cal, requestId: null });
    return true;
  });
}

/** Near-due and overdue flags for every running clock as today says; 'case.overdue' audited once. How many changed. */
export async function flagClocks(deps: CasesDeps, run: SweepRun): Promise<number> {
  let flagged = 0;
  let after: string | null = null;
  for (;;) {
    const batch: repo.CaseRow[] = await repo.clockedCases(deps.db, after, 1000);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.id;
    for (const c of batch) {
      const f = clockFlags(
        { status: c.status as CaseStatus, dueDate: c.dueDate, pausedSince: c.pausedSince },
        run.today,
        run.cal,
      );
      if ((f.nearDue !== c.nearDue || f.overdue !== c.overdue) && (await flagClock(deps, run, c.id))) flagged++;
    }
  }
  return flagged;
}

/**
 * The batch was read without locks: another sweep (a second instance, or a retried job still running) or a
 * department's action may have changed the case since. Lock it and decide again, so that its flags follow its
 * current state and 'case.overdue' is recorded once. Whether its flags changed.
 */
async function flagClock(deps: CasesDeps, run: SweepRun, id: string): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const cur = await repo.findCase(tx, id, true);
    if (!cur) return false;
    const now = clockFlags(
      { status: cur.status as CaseStatus, dueDate: cur.dueDate, pausedSince: cur.pausedSince },
      run.today,
      run.cal,
    );
    if (now.nearDue === cur.nearDue && now.overdue === cur.overdue) return false;
    await repo.updateCase(tx, deps.pii, id, now);
    if (now.overdue && !cur.overdue) {
      await recordAudit(tx, {
        actorId: null,
        action: 'case.overdue',
        subjectType: 'case',
        subjectId: id,
        data: { dueDate: cur.dueDate, today: run.today },
      });
    }
    return true;
  });
}

/**
 * Tolerated gaps (容缺) whose supplement deadline passed are marked overdue, with an event, an audit row and a notice
 * to the applicant. How many the query found past their deadline.
 */
export async function escalateOverdueGaps(deps: CasesDeps, run: SweepRun): Promise<number> {
  let escalated = 0;
  for (const { id } of await repo.overdueGaps(deps.db, run.today)) {
    await escalateGap(deps, run, id);
    escalated++;
  }
  return escalated;
}

/** One gap escalated under the case's lock, unless it is no longer open (supplied, or escalated meanwhile). */
async function escalateGap(deps: CasesDeps, run: SweepRun, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const c = await repo.findCase(tx, id, true);
    if (c?.gapStatus !== 'open') return;
    const app = (await deps.applications.find(tx, c.applicationId))!;
    await repo.updateCase(tx, deps.pii, id, { gapStatus: 'overdue' });
    await repo.insertEvent(tx, deps.pii, {
      caseId: id,
      onDay: run.today,
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
      data: { gapDueDate: c.gapDueDate, today: run.today },
    });
    await notify(tx, {
      recipientId: app.applicantId,
      applicationId: app.id,
      caseId: id,
      kind: 'case.gap_overdue',
      payload: { applicationNumber: app.number, item: c.itemCode, gapDueDate: c.gapDueDate },
    });
  });
}
