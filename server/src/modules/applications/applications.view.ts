// The applicant's one view of an application and its cases, and the reference the cases context holds.
import type {
  ApplicationCase,
  ApplicationSummary,
  ApplicationView,
  CaseCorrection,
  CaseOutput,
  CaseTimelineEvent,
  OnBehalf,
} from '@onething/shared/applications';
import { pausedWorkdays } from '@onething/shared/cases';
import type { Executor } from '../../platform/db.ts';
import { maskPersonalData } from '../../platform/pii-reads.ts';
import type { WorkCalendar } from '../calendar/index.ts';
import type {
  ApplicationRef,
  CaseEventRow,
  CaseRow,
  CaseStatus,
  CorrectionRow,
  PlannedOutput,
} from '../cases/index.ts';
import type { ApplicationsDeps } from './applications.deps.ts';
import type * as repo from './applications.repository.ts';

/** What a caller has just written and read (a new submission's cases, events and calendar), not read back. */
export interface KnownCases {
  cases: CaseRow[];
  events: CaseEventRow[];
  cal: WorkCalendar;
}

/** The applicant's view of one application, its case data and events masked. */
export async function applicationView(
  { cases, pii, clock }: Pick<ApplicationsDeps, 'cases' | 'pii' | 'clock'>,
  ex: Executor,
  a: repo.ApplicationRow,
  known?: KnownCases,
): Promise<ApplicationView> {
  const rows = known
    ? [...known.cases].sort((x, y) => x.itemCode.localeCompare(y.itemCode))
    : await cases.casesOf(ex, a.id);
  const ids = rows.map((c) => c.id);
  const [events, corrections, cal] = known
    ? [known.events, [] as CorrectionRow[], known.cal]
    : await Promise.all([cases.eventsOf(ex, ids), cases.correctionsOf(ex, ids), cases.calendar()]);
  // A date in the year whose holiday notice is not loaded yet was counted provisionally and may still move.
  const provisional = (d: string | null) => d !== null && cal.isProvisional(d);
  const today = clock.today();
  // Case data and events may hold ID and phone numbers (stored encrypted): the applicant's view shows them masked.
  return maskPersonalData<ApplicationView>(pii, {
    id: a.id,
    number: a.number,
    bundle: { code: a.bundleCode, version: a.bundleVersion },
    status: a.status,
    channel: a.channel,
    submittedOn: a.submittedOn,
    submittedAt: a.submittedAt.toISOString(),
    // Who acted when it was not the applicant: an enterprise's agent, a family member, window staff.
    onBehalf: a.onBehalf as OnBehalf | null,
    promisedDate: a.promisedDate,
    promisedDateProvisional: provisional(a.promisedDate),
    completedAt: a.completedAt?.toISOString() ?? null,
    cases: rows.map((c) => caseView(c, events, corrections, provisional, (x) => pausedWorkdays(x, today, cal))),
  });
}

function caseView(
  c: CaseRow,
  events: CaseEventRow[],
  corrections: CorrectionRow[],
  provisional: (d: string | null) => boolean,
  paused: (c: CaseRow) => number | null,
): ApplicationCase {
  return {
    id: c.id,
    item: { code: c.itemCode, version: c.itemVersion },
    departmentCode: c.departmentCode,
    status: c.status as CaseStatus,
    dependsOn: c.dependsOn,
    receivedOn: c.receivedOn,
    acceptedOn: c.acceptedOn,
    dueDate: c.dueDate,
    dueDateProvisional: provisional(c.dueDate),
    statutoryDueDate: c.statutoryDueDate,
    pausedSince: c.pausedSince,
    pausedWorkdays: paused(c),
    nearDue: c.nearDue,
    overdue: c.overdue,
    decision: c.decision,
    decisionReason: c.decisionReason,
    toleratedGap: c.toleratedGap ? { ...c.toleratedGap, status: c.gapStatus } : null,
    // What a prerequisite issued, as released to this case (cases.service.ts: the release action).
    inputs: c.inputs as CaseOutput[],
    outputs: (c.outputs as PlannedOutput[]).filter((o) => o.issued),
    corrections: corrections
      .filter((n) => n.caseId === c.id)
      .map(
        (n): CaseCorrection => ({
          id: n.id,
          issuedOn: n.issuedOn,
          problems: n.problems,
          note: n.note,
          suppliedOn: n.suppliedOn,
        }),
      ),
    timeline: events
      .filter((e) => e.caseId === c.id)
      .map(
        (e): CaseTimelineEvent => ({
          at: e.at.toISOString(),
          day: e.onDay,
          action: e.action,
          from: e.fromStatus,
          to: e.toStatus,
          reason: e.reason,
          data: e.data,
        }),
      ),
  };
}

export function applicationSummary(a: repo.ApplicationRow): ApplicationSummary {
  return {
    id: a.id,
    number: a.number,
    bundle: { code: a.bundleCode, version: a.bundleVersion },
    status: a.status,
    submittedOn: a.submittedOn,
    promisedDate: a.promisedDate,
  };
}

/** What the cases context knows of an application. */
export function toRef(a: repo.ApplicationRow): ApplicationRef {
  return {
    id: a.id,
    number: a.number,
    applicantId: a.applicantId,
    submittedBy: a.submittedBy,
    bundleCode: a.bundleCode,
    submittedOn: a.submittedOn,
    declaredGaps: a.declaredGaps,
  };
}
