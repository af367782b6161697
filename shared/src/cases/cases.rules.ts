// A department case (办件): the actions that move it, who may take them, and what each does to the statutory
// clock. One table, read by the server (to decide) and by the staff UI (to show exactly the buttons the table
// allows). Pure: the calendar and "today" come in as arguments. No zod here (types only from cases.ts): the web
// app takes the table into its staff pages without the schemas' library.
import { CASE_ACTIONS } from './cases.words.ts';
import type { CaseAction, CaseActionBody, CaseDecision, CaseStatus, GapStatus, ToleratedGap } from './cases.ts';
import type { Pause } from '../calendar/index.ts';
import type { LocalText } from '../text/index.ts';

/** A status in words, for messages (the web has its own catalogue for the screens). */
export const STATUS_NAMES: Record<CaseStatus, LocalText> = {
  waiting: { zh: '等待前置事项', en: 'waiting for a prerequisite' },
  pending: { zh: '待受理', en: 'pending acceptance' },
  accepted: { zh: '已受理', en: 'accepted' },
  reviewing: { zh: '审查中', en: 'under review' },
  awaiting_correction: { zh: '补正中', en: 'awaiting corrections' },
  decided: { zh: '已决定', en: 'decided' },
  concluded: { zh: '已办结', en: 'concluded' },
  refused: { zh: '不予受理', en: 'refused' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
  terminated: { zh: '已终止', en: 'terminated' },
};

export const OPEN_STATUSES: readonly CaseStatus[] = [
  'waiting',
  'pending',
  'accepted',
  'reviewing',
  'awaiting_correction',
  'decided',
];
export const CLOSED_STATUSES: readonly CaseStatus[] = ['concluded', 'refused', 'withdrawn', 'terminated'];
export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Who takes an action: the department's reviewer, the applicant, or the platform itself. */
export type ActorKind = 'department' | 'applicant' | 'system';

/** An action as the rules take it: a body of the actions route, or the platform starting a waiting case. */
export type ActionInput = CaseActionBody | { action: 'release'; inputs: unknown[] };

export interface Transition {
  to: CaseStatus | 'return';
  by: ActorKind;
  /** Labels for buttons and the timeline. */
  label: LocalText;
}

/**
 * The transition table. A missing status is a compile error (Record over every status); an action absent
 * from a status's row is not allowed there. 'return' means back to where a correction was requested from.
 * Written `as const` so that ActionOf reads who takes which action at compile time; the rules index it as TRANSITIONS.
 */
const TABLE = {
  waiting: {
    release: { to: 'pending', by: 'system', label: { zh: '前置事项已办结', en: 'Prerequisites concluded' } },
    terminate: { to: 'terminated', by: 'system', label: { zh: '终止', en: 'Terminate' } },
    withdraw: { to: 'withdrawn', by: 'applicant', label: { zh: '撤回', en: 'Withdraw' } },
  },
  pending: {
    accept: { to: 'accepted', by: 'department', label: { zh: '受理', en: 'Accept' } },
    accept_with_gap: { to: 'accepted', by: 'department', label: { zh: '容缺受理', en: 'Accept with a tolerated gap' } },
    refuse: { to: 'refused', by: 'department', label: { zh: '不予受理', en: 'Refuse to accept' } },
    request_correction: {
      to: 'awaiting_correction',
      by: 'department',
      label: { zh: '一次性告知补正', en: 'Request corrections (one notice)' },
    },
    withdraw: { to: 'withdrawn', by: 'applicant', label: { zh: '撤回', en: 'Withdraw' } },
  },
  accepted: {
    start_review: { to: 'reviewing', by: 'department', label: { zh: '开始审查', en: 'Start review' } },
    supply_gap: { to: 'accepted', by: 'applicant', label: { zh: '补交容缺材料', en: 'Supply the missing material' } },
    terminate: { to: 'terminated', by: 'department', label: { zh: '终止办理', en: 'Terminate' } },
    withdraw: { to: 'withdrawn', by: 'applicant', label: { zh: '撤回', en: 'Withdraw' } },
  },
  reviewing: {
    request_correction: {
      to: 'awaiting_correction',
      by: 'department',
      label: { zh: '一次性告知补正', en: 'Request corrections (one notice)' },
    },
    decide: { to: 'decided', by: 'department', label: { zh: '作出决定', en: 'Decide' } },
    supply_gap: { to: 'reviewing', by: 'applicant', label: { zh: '补交容缺材料', en: 'Supply the missing material' } },
    terminate: { to: 'terminated', by: 'department', label: { zh: '终止办理', en: 'Terminate' } },
    withdraw: { to: 'withdrawn', by: 'applicant', label: { zh: '撤回', en: 'Withdraw' } },
  },
  awaiting_correction: {
    supply_correction: { to: 'return', by: 'applicant', label: { zh: '提交补正材料', en: 'Supply the corrections' } },
    withdraw: { to: 'withdrawn', by: 'applicant', label: { zh: '撤回', en: 'Withdraw' } },
  },
  decided: {
    conclude: { to: 'concluded', by: 'department', label: { zh: '办结', en: 'Conclude' } },
  },
  concluded: {},
  refused: {},
  withdrawn: {},
  terminated: {},
} as const satisfies Record<CaseStatus, Partial<Record<CaseAction, Transition>>>;
export const TRANSITIONS: Record<CaseStatus, Partial<Record<CaseAction, Transition>>> = TABLE;

/** The actions an actor of this kind takes in some status of the table (department: the reviewer's buttons). */
export type ActionOf<K extends ActorKind> = {
  [S in CaseStatus]: {
    [A in keyof (typeof TABLE)[S]]: (typeof TABLE)[S][A] extends { by: K } ? A : never;
  }[keyof (typeof TABLE)[S]];
}[CaseStatus];

/** The bodies of the actions an actor of this kind takes (the reviewer's, or the applicant's). */
export type ActionBodyOf<K extends ActorKind> = Extract<CaseActionBody, { action: ActionOf<K> }>;

/** The actions an actor of this kind takes in some status of the table, in the order of CASE_ACTIONS. */
export function actionsOf<K extends ActorKind>(by: K): ActionOf<K>[] {
  return CASE_ACTIONS.filter((a) => Object.values(TRANSITIONS).some((row) => row[a]?.by === by)) as ActionOf<K>[];
}

/** An action's label as an actor of this kind takes it (the button's words). */
export function actionLabel(action: CaseAction, by: ActorKind): LocalText {
  for (const row of Object.values(TRANSITIONS)) if (row[action]?.by === by) return row[action].label;
  return actionName(action);
}

/** An action in words: its label in the transition table (the first row that has it). */
export function actionName(action: CaseAction): LocalText {
  for (const row of Object.values(TRANSITIONS)) if (row[action]) return row[action]!.label;
  return { zh: action, en: action };
}

/** The actions an actor of this kind may take on a case in this state (the buttons to show). */
export function availableActions(status: CaseStatus, by: ActorKind, c?: { gapStatus: GapStatus | null }): CaseAction[] {
  return (Object.entries(TRANSITIONS[status]) as Array<[CaseAction, Transition]>)
    .filter(
      ([action, t]) =>
        t.by === by && (action !== 'supply_gap' || c?.gapStatus === 'open' || c?.gapStatus === 'overdue'),
    )
    .map(([a]) => a);
}

/** The part of a case the rules read and write. */
export interface CaseState {
  status: CaseStatus;
  promisedDays: number;
  statutoryDays: number | null;
  receivedOn: string | null;
  acceptedOn: string | null;
  dueDate: string | null;
  statutoryDueDate: string | null;
  pauses: Pause[];
  pausedSince: string | null;
  correctionReturn: CaseStatus | null;
  decision: CaseDecision | null;
  decisionReason: string | null;
  toleratedGap: ToleratedGap | null;
  gapDueDate: string | null;
  gapStatus: GapStatus | null;
  /** Materials the application declared as tolerated gaps for this case's item (容缺, with commitment). */
  declaredGaps: string[];
}

/** What the rules need of the official working-day calendar (the server's WorkCalendar is one). */
export interface CaseCalendar {
  addWorkdays(start: string, n: number, pauses?: readonly Pause[]): string;
  countWorkdays(fromExclusive: string, toInclusive: string): number;
}

/**
 * The working days a case's clock has stood still for 补正: its closed pauses and, while one is open, the days from
 * its start to today. Null when the clock never stopped (a 补正 before acceptance stops nothing: no clock yet).
 */
export function pausedWorkdays(
  c: Pick<CaseState, 'pauses' | 'pausedSince'>,
  today: string,
  cal: Pick<CaseCalendar, 'countWorkdays'>,
): number | null {
  if (c.pauses.length === 0 && !c.pausedSince) return null;
  const closed = c.pauses.reduce((n, p) => n + cal.countWorkdays(p.from, p.to), 0);
  return closed + (c.pausedSince && c.pausedSince < today ? cal.countWorkdays(c.pausedSince, today) : 0);
}

export type DecisionError =
  | { code: 'cases.invalid_transition'; status: CaseStatus; action: CaseAction }
  | { code: 'cases.not_your_action'; action: CaseAction }
  | { code: 'cases.reason_required'; field: string }
  | { code: 'cases.invalid_gap'; field: string; detail: LocalText }
  | { code: 'cases.correction_late'; field: string };

export interface Decided {
  next: CaseState;
  /** The case moved to a terminal state, or was concluded: dependents must be re-evaluated. */
  closes: boolean;
  event: { action: CaseAction; from: CaseStatus; to: CaseStatus; reason: string | null; data: Record<string, unknown> };
}

/** Working days after receipt within which a 补正 notice may still be issued before acceptance (行政许可法 Art. 32). */
export const CORRECTION_NOTICE_WORKDAYS = 5;

/** A case's due dates from its acceptance day, limits and pauses (again, after the calendar changed). */
export function clocks(
  c: Pick<CaseState, 'acceptedOn' | 'promisedDays' | 'statutoryDays' | 'pauses'>,
  cal: CaseCalendar,
): Pick<CaseState, 'dueDate' | 'statutoryDueDate'> {
  if (!c.acceptedOn) return { dueDate: null, statutoryDueDate: null };
  return {
    dueDate: cal.addWorkdays(c.acceptedOn, c.promisedDays, c.pauses),
    statutoryDueDate: c.statutoryDays === null ? null : cal.addWorkdays(c.acceptedOn, c.statutoryDays, c.pauses),
  };
}

/**
 * Decides one action on one case: the next state and the event to record, or why not. `today` is the day in
 * China (the clock counts calendar days of the official calendar).
 */
export function decide(
  c: CaseState,
  input: ActionInput,
  actor: ActorKind,
  today: string,
  cal: CaseCalendar,
): { ok: true; value: Decided } | { ok: false; error: DecisionError } {
  const t = TRANSITIONS[c.status][input.action];
  if (!t) return { ok: false, error: { code: 'cases.invalid_transition', status: c.status, action: input.action } };
  if (t.by !== actor) return { ok: false, error: { code: 'cases.not_your_action', action: input.action } };
  const next: CaseState = { ...c };
  let to: CaseStatus = t.to === 'return' ? (c.correctionReturn ?? 'pending') : t.to;
  let reason: string | null = null;
  const data: Record<string, unknown> = {};

  switch (input.action) {
    case 'accept':
    case 'accept_with_gap': {
      // 受理: acceptance day is day 0 of the clock.
      next.acceptedOn = today;
      if (input.action === 'accept_with_gap') {
        if (input.materials.length === 0)
          return {
            ok: false,
            error: {
              code: 'cases.invalid_gap',
              field: '/materials',
              detail: { zh: '请列出容缺的材料', en: 'list the missing materials' },
            },
          };
        const undeclared = input.materials.filter((m) => !c.declaredGaps.includes(m));
        if (undeclared.length) {
          return {
            ok: false,
            error: {
              code: 'cases.invalid_gap',
              field: '/materials',
              detail: {
                zh: `材料 ${undeclared.join('、')} 不是申请人承诺容缺的材料`,
                en: `${undeclared.join(', ')} not declared by the applicant as a tolerated gap`,
              },
            },
          };
        }
        if (!input.commitment.trim())
          return { ok: false, error: { code: 'cases.reason_required', field: '/commitment' } };
        // The supplement period may not exceed the item's promised time limit.
        const latest = cal.addWorkdays(today, c.promisedDays);
        if (input.dueDate <= today || input.dueDate > latest) {
          return {
            ok: false,
            error: {
              code: 'cases.invalid_gap',
              field: '/dueDate',
              detail: {
                zh: `补交期限须在 ${today} 之后、不晚于承诺办结日 ${latest}`,
                en: `the supplement deadline must be after ${today} and no later than the promised date ${latest}`,
              },
            },
          };
        }
        next.toleratedGap = { materials: input.materials, commitment: input.commitment, dueDate: input.dueDate };
        next.gapDueDate = input.dueDate;
        next.gapStatus = 'open';
        data.toleratedGap = next.toleratedGap;
      }
      Object.assign(next, clocks(next, cal));
      data.dueDate = next.dueDate;
      break;
    }
    case 'refuse':
    case 'terminate':
      if (!input.reason.trim()) return { ok: false, error: { code: 'cases.reason_required', field: '/reason' } };
      reason = input.reason;
      break;
    case 'request_correction': {
      if (c.status === 'pending' && c.receivedOn) {
        // Art. 32: the notice must come within five working days of receipt; later, the case counts as accepted.
        const limit = cal.addWorkdays(c.receivedOn, CORRECTION_NOTICE_WORKDAYS);
        if (today > limit) return { ok: false, error: { code: 'cases.correction_late', field: '/problems' } };
      }
      next.correctionReturn = c.status === 'pending' ? 'pending' : 'reviewing';
      // The clock stops only once it runs (after acceptance).
      next.pausedSince = c.acceptedOn ? today : null;
      data.problems = input.problems;
      break;
    }
    case 'supply_correction': {
      if (c.pausedSince) {
        next.pauses = [...c.pauses, { from: c.pausedSince, to: today }];
        data.pausedWorkdays = cal.countWorkdays(c.pausedSince, today);
      }
      next.pausedSince = null;
      next.correctionReturn = null;
      Object.assign(next, clocks(next, cal));
      data.dueDate = next.dueDate;
      break;
    }
    case 'decide':
      if (input.decision === 'deny' && !input.reason?.trim())
        return { ok: false, error: { code: 'cases.reason_required', field: '/reason' } };
      next.decision = input.decision;
      next.decisionReason = input.reason?.trim() || null;
      reason = next.decisionReason;
      data.decision = input.decision;
      break;
    case 'supply_gap':
      next.gapStatus = 'supplied';
      to = c.status;
      break;
    case 'release':
      next.receivedOn = today;
      break;
    case 'start_review':
    case 'conclude':
      break;
    case 'withdraw':
      reason = input.reason?.trim() || null;
      break;
  }
  next.status = to;
  return {
    ok: true,
    value: {
      next,
      closes: CLOSED_STATUSES.includes(to),
      event: { action: input.action, from: c.status, to, reason, data },
    },
  };
}

/**
 * An application's status from its cases' statuses: in progress while any case is open; once none is, withdrawn
 * if every case was withdrawn, otherwise completed.
 */
export function applicationStatusOf(statuses: readonly CaseStatus[]): 'in_progress' | 'completed' | 'withdrawn' {
  if (statuses.some(isOpen)) return 'in_progress';
  return statuses.every((s) => s === 'withdrawn') ? 'withdrawn' : 'completed';
}
