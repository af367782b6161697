// A department case (办件): its states, the actions that move it, who may take them, and what each does to
// the statutory clock. The transition table, its labels and `decide` live in @onething/shared/cases (the staff
// UI reads the same table); the clock's computations over the working calendar are here. Pure: the calendar and
// "today" come in as arguments.
import { NEAR_DUE_WORKDAYS, type Pause, promisedDate as promisedDateOf } from '@onething/shared/calendar';
import { getOrThrow, type WorkCalendar } from '../calendar/index.ts';
import type { CaseState, CaseStatus } from '@onething/shared/cases';

export {
  actionLabel,
  actionName,
  actionsOf,
  applicationStatusOf,
  availableActions,
  CASE_ACTIONS,
  CASE_STATUSES,
  CLOSED_STATUSES,
  clocks,
  CORRECTION_NOTICE_WORKDAYS,
  decide,
  isOpen,
  OPEN_STATUSES,
  QUEUE_COUNT_CAP,
  STATUS_NAMES,
  TRANSITIONS,
  type ActionBodyOf,
  type ActionInput,
  type ActionOf,
  type ActorKind,
  type CaseAction,
  type CaseState,
  type CaseStatus,
  type CorrectionProblem,
  type DecisionError,
  type Decided,
  type ToleratedGap,
} from '@onething/shared/cases';

/** Whether a due date of the case falls in the provisionally counted year, so it is computed again once that year is loaded. */
export function clockIsProvisional(c: Pick<CaseState, 'dueDate' | 'statutoryDueDate'>, cal: WorkCalendar): boolean {
  return (
    (c.dueDate !== null && cal.isProvisional(c.dueDate)) ||
    (c.statutoryDueDate !== null && cal.isProvisional(c.statutoryDueDate))
  );
}

/** Near-due and overdue, from the due date and today (a paused case is neither: its clock stands). */
export function clockFlags(
  c: Pick<CaseState, 'status' | 'dueDate' | 'pausedSince'>,
  today: string,
  cal: WorkCalendar,
): { nearDue: boolean; overdue: boolean } {
  if (!c.dueDate || c.pausedSince || !['accepted', 'reviewing', 'decided'].includes(c.status))
    return { nearDue: false, overdue: false };
  if (today > c.dueDate) return { nearDue: false, overdue: true };
  return { nearDue: cal.countWorkdays(today, c.dueDate) <= NEAR_DUE_WORKDAYS, overdue: false };
}

/** The application's promised date (the shared rule, along the item graph); calendar problems are thrown. */
export function promisedDate(
  cases: ReadonlyArray<{
    itemCode: string;
    dependsOn: string[];
    promisedDays: number;
    dueDate: string | null;
    status: CaseStatus;
  }>,
  submittedOn: string,
  cal: WorkCalendar,
): string {
  const items = cases.map((c) => ({
    code: c.itemCode,
    dependsOn: c.dependsOn,
    promisedDays: c.promisedDays,
    dueDate: c.dueDate,
  }));
  return getOrThrow(promisedDateOf(items, submittedOn, cal.workdays));
}
