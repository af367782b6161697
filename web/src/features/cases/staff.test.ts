// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { actionsOf, availableActions, CASE_STATUSES, type CaseAction } from '@onething/shared/cases';
import { BULK_ACTIONS, flattenData, queueSearch, REVIEWER_ACTIONS } from './staff';

describe('the workbench helpers', () => {
  it('asks for one page of the queue with its filters', () => {
    expect(queueSearch({ status: 'pending', flag: 'overdue', bundle: 'newborn', page: 3, pageSize: 20 })).toBe(
      'status=pending&flag=overdue&bundle=newborn&limit=20&offset=40',
    );
    expect(queueSearch({ page: 1, pageSize: 50 })).toBe('limit=50&offset=0');
  });

  it('flattens the case data into labelled rows', () => {
    expect(flattenData({ child: { name: '张小宝', twins: false }, phones: ['1', '2'] })).toEqual([
      ['child.name', '张小宝'],
      ['child.twins', '✗'],
      ['phones[1]', '1'],
      ['phones[2]', '2'],
    ]);
  });

  it("orders exactly the reviewer's actions of the shared transition table", () => {
    expect([...REVIEWER_ACTIONS].sort()).toEqual(actionsOf('department').sort());
  });

  it('offers each bulk action for the one status where the table gives it to the reviewer', () => {
    for (const [action, status] of Object.entries(BULK_ACTIONS)) {
      expect(CASE_STATUSES.filter((s) => availableActions(s, 'department').includes(action as CaseAction))).toEqual([
        status,
      ]);
    }
  });
});
