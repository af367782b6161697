// The rules of @onething/shared/cases that need no calendar: an application's status from its cases, and the
// actions each kind of actor takes.
import { describe, expect, it } from 'vitest';
import { actionLabel, actionsOf, applicationStatusOf, CASE_STATUSES, isOpen } from './cases.domain.ts';

describe("an application's status from its cases", () => {
  it('is in progress while any case is open, whatever the others', () => {
    for (const open of CASE_STATUSES.filter(isOpen))
      expect(applicationStatusOf(['concluded', open, 'withdrawn']), open).toBe('in_progress');
  });

  it('is withdrawn once every case was withdrawn, and completed once none is open otherwise', () => {
    expect(applicationStatusOf(['withdrawn', 'withdrawn'])).toBe('withdrawn');
    expect(applicationStatusOf(['withdrawn', 'refused'])).toBe('completed');
    expect(applicationStatusOf(['concluded', 'terminated'])).toBe('completed');
  });
});

describe('the actions by kind of actor', () => {
  it("gives the reviewer's, the applicant's and the platform's actions of the table", () => {
    expect(actionsOf('department')).toEqual([
      'accept',
      'accept_with_gap',
      'refuse',
      'request_correction',
      'start_review',
      'decide',
      'conclude',
      'terminate',
    ]);
    expect(actionsOf('applicant')).toEqual(['supply_correction', 'supply_gap', 'withdraw']);
    expect(actionsOf('system')).toEqual(['terminate', 'release']);
  });

  it("labels an action as its actor takes it (the reviewer's 终止办理, the platform's 终止)", () => {
    expect(actionLabel('terminate', 'department')).toEqual({ zh: '终止办理', en: 'Terminate' });
    expect(actionLabel('terminate', 'system')).toEqual({ zh: '终止', en: 'Terminate' });
  });
});
