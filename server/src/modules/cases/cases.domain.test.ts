import { describe, expect, it } from 'vitest';
import { WorkCalendar, loadShippedYears } from '../calendar/index.ts';
import {
  CASE_ACTIONS,
  CASE_STATUSES,
  TRANSITIONS,
  availableActions,
  clockFlags,
  decide,
  promisedDate,
  type ActionInput,
  type CaseState,
} from './cases.domain.ts';

const cal = new WorkCalendar(loadShippedYears());

function state(over: Partial<CaseState> = {}): CaseState {
  return {
    status: 'pending',
    promisedDays: 5,
    statutoryDays: 20,
    receivedOn: '2026-03-02',
    acceptedOn: null,
    dueDate: null,
    statutoryDueDate: null,
    pauses: [],
    pausedSince: null,
    correctionReturn: null,
    decision: null,
    decisionReason: null,
    toleratedGap: null,
    gapDueDate: null,
    gapStatus: null,
    declaredGaps: [],
    ...over,
  };
}

const INPUTS: Record<(typeof CASE_ACTIONS)[number], ActionInput> = {
  accept: { action: 'accept' },
  accept_with_gap: { action: 'accept_with_gap', materials: ['m'], commitment: 'c', dueDate: '2026-03-04' },
  refuse: { action: 'refuse', reason: 'r' },
  request_correction: { action: 'request_correction', problems: [{ material: 'm', problem: 'p' }] },
  supply_correction: { action: 'supply_correction', materials: [{}] },
  start_review: { action: 'start_review' },
  decide: { action: 'decide', decision: 'approve' },
  conclude: { action: 'conclude' },
  supply_gap: { action: 'supply_gap', materials: [{}] },
  terminate: { action: 'terminate', reason: 'r' },
  withdraw: { action: 'withdraw' },
  release: { action: 'release', inputs: [] },
};

describe('the transition table', () => {
  // Every status × every action: allowed exactly when the table has the pair, and only for its actor kind.
  const cases = CASE_STATUSES.flatMap((s) => CASE_ACTIONS.map((a) => [s, a] as const));
  it.each(cases)('%s × %s', (status, action) => {
    const t = TRANSITIONS[status][action];
    const s = state({
      status,
      declaredGaps: ['m'],
      acceptedOn: status === 'pending' || status === 'waiting' ? null : '2026-03-02',
      pausedSince: status === 'awaiting_correction' ? '2026-03-02' : null,
      correctionReturn: status === 'awaiting_correction' ? 'reviewing' : null,
      gapStatus: 'open',
    });
    for (const by of ['department', 'applicant', 'system'] as const) {
      const r = decide(s, INPUTS[action], by, '2026-03-02', cal);
      if (!t) expect(r.ok ? 'allowed' : r.error.code).toBe('cases.invalid_transition');
      else if (t.by !== by) expect(r.ok ? 'allowed' : r.error.code).toBe('cases.not_your_action');
      else expect(r.ok, `${status} ${action} by ${by}`).toBe(true);
    }
  });

  it('closed states allow nothing', () => {
    for (const s of ['concluded', 'refused', 'withdrawn', 'terminated'] as const)
      expect(Object.keys(TRANSITIONS[s])).toEqual([]);
  });

  it('shows the department only its own buttons', () => {
    expect(availableActions('pending', 'department')).toEqual([
      'accept',
      'accept_with_gap',
      'refuse',
      'request_correction',
    ]);
    expect(availableActions('pending', 'applicant')).toEqual(['withdraw']);
    expect(availableActions('accepted', 'applicant', { gapStatus: 'open' })).toEqual(['supply_gap', 'withdraw']);
    expect(availableActions('accepted', 'applicant', { gapStatus: null })).toEqual(['withdraw']);
  });
});

describe('the clock', () => {
  it('starts at acceptance (day 0) with the promised and the statutory due dates', () => {
    const r = decide(state(), { action: 'accept' }, 'department', '2026-02-13', cal);
    expect(r.ok && r.value.next).toMatchObject({
      status: 'accepted',
      acceptedOn: '2026-02-13',
      dueDate: '2026-02-27',
      statutoryDueDate: '2026-03-19',
    });
  });

  it('stops during 补正 and moves the due date by the paused working days', () => {
    const accepted = state({ status: 'reviewing', acceptedOn: '2026-03-02', dueDate: '2026-03-09' });
    const asked = decide(accepted, INPUTS.request_correction, 'department', '2026-03-03', cal);
    expect(asked.ok && asked.value.next).toMatchObject({
      status: 'awaiting_correction',
      pausedSince: '2026-03-03',
      correctionReturn: 'reviewing',
    });
    const back = decide(
      asked.ok ? asked.value.next : accepted,
      INPUTS.supply_correction,
      'applicant',
      '2026-03-06',
      cal,
    );
    expect(back.ok && back.value.next).toMatchObject({
      status: 'reviewing',
      pausedSince: null,
      pauses: [{ from: '2026-03-03', to: '2026-03-06' }],
      dueDate: '2026-03-12',
    });
    expect(back.ok && back.value.event.data.pausedWorkdays).toBe(3);
  });

  it('refuses a 补正 notice more than five working days after receipt (行政许可法 Art. 32)', () => {
    const r = decide(state({ receivedOn: '2026-03-02' }), INPUTS.request_correction, 'department', '2026-03-10', cal);
    expect(!r.ok && r.error.code).toBe('cases.correction_late');
    expect(
      decide(state({ receivedOn: '2026-03-02' }), INPUTS.request_correction, 'department', '2026-03-09', cal).ok,
    ).toBe(true);
  });

  it('limits a tolerated gap to declared materials and to the promised period', () => {
    const s = state({ declaredGaps: ['discharge-summary'] });
    const late = decide(
      s,
      { action: 'accept_with_gap', materials: ['discharge-summary'], commitment: 'x', dueDate: '2026-03-20' },
      'department',
      '2026-03-02',
      cal,
    );
    expect(!late.ok && late.error.code).toBe('cases.invalid_gap');
    const other = decide(
      s,
      { action: 'accept_with_gap', materials: ['invoice'], commitment: 'x', dueDate: '2026-03-04' },
      'department',
      '2026-03-02',
      cal,
    );
    expect(!other.ok && other.error.code).toBe('cases.invalid_gap');
    const ok = decide(
      s,
      { action: 'accept_with_gap', materials: ['discharge-summary'], commitment: 'x', dueDate: '2026-03-04' },
      'department',
      '2026-03-02',
      cal,
    );
    expect(ok.ok && ok.value.next).toMatchObject({
      gapStatus: 'open',
      gapDueDate: '2026-03-04',
      dueDate: '2026-03-09',
    });
  });

  it('requires a reason to refuse, deny or terminate', () => {
    expect(decide(state(), { action: 'refuse', reason: ' ' }, 'department', '2026-03-02', cal).ok).toBe(false);
    expect(
      decide(
        state({ status: 'reviewing', acceptedOn: '2026-03-02' }),
        { action: 'decide', decision: 'deny' },
        'department',
        '2026-03-02',
        cal,
      ).ok,
    ).toBe(false);
    expect(
      decide(
        state({ status: 'reviewing', acceptedOn: '2026-03-02' }),
        { action: 'decide', decision: 'deny', reason: '不符合条件' },
        'department',
        '2026-03-02',
        cal,
      ).ok,
    ).toBe(true);
  });

  it.each([
    ['2026-03-04', false, false],
    ['2026-03-05', true, false],
    ['2026-03-06', true, false],
    ['2026-03-09', true, false],
    ['2026-03-10', false, true],
  ] as const)('flags on %s: near due %s, overdue %s (due 9 March)', (today, nearDue, overdue) => {
    expect(clockFlags({ status: 'reviewing', dueDate: '2026-03-09', pausedSince: null }, today, cal)).toEqual({
      nearDue,
      overdue,
    });
  });

  it('never flags a paused clock', () => {
    expect(
      clockFlags(
        { status: 'awaiting_correction', dueDate: '2026-03-04', pausedSince: '2026-03-03' },
        '2026-03-20',
        cal,
      ),
    ).toEqual({ nearDue: false, overdue: false });
  });

  it("promises the application's date along the item graph", () => {
    const cases = [
      { itemCode: 'cert', dependsOn: [], promisedDays: 1, dueDate: null, status: 'pending' as const },
      { itemCode: 'hukou', dependsOn: ['cert'], promisedDays: 2, dueDate: null, status: 'waiting' as const },
      { itemCode: 'card', dependsOn: ['hukou'], promisedDays: 2, dueDate: null, status: 'waiting' as const },
      { itemCode: 'claim', dependsOn: [], promisedDays: 5, dueDate: null, status: 'pending' as const },
    ];
    expect(promisedDate(cases, '2026-03-02', cal)).toBe('2026-03-09');
    expect(
      promisedDate(
        cases.map((c) => (c.itemCode === 'hukou' ? { ...c, dueDate: '2026-03-12' } : c)),
        '2026-03-02',
        cal,
      ),
    ).toBe('2026-03-16');
  });
});
