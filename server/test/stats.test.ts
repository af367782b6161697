// The dashboard's figures (GET /api/v1/stats/cases) against direct SQL over the same data: two newborn
// applications submitted, one case accepted and flagged overdue, then each figure
// counted again by hand. The provincial administrator sees all of it; Wuxi's administrator none (another city).
import type { CaseStats } from '@onething/shared/analytics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseQueue } from '@onething/shared/cases';
import { fixedClock } from '../src/platform/clock.ts';
import { createTestApp, loginHeaders, problem, submitNewborn, type TestApp } from './helpers.ts';

const clock = fixedClock('2026-03-02');
let t: TestApp;
const H: Record<string, Record<string, string>> = {};

const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: H[who] });

beforeAll(async () => {
  t = await createTestApp({ clock });
  Object.assign(H, await loginHeaders(t, ['zhangsan', 'admin', 'admin.wuxi', 'reviewer.health']));
  await submitNewborn(t, H.zhangsan!, ['stats-0001', 'stats-0002']);
  // One case accepted, then flagged overdue as the clock sweep would after its due date.
  const queue = (await get('reviewer.health', '/api/v1/cases')).json() as CaseQueue;
  expect(
    (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${queue[0]!.id}/actions`,
        headers: H['reviewer.health'],
        payload: { action: 'accept' },
      })
    ).statusCode,
  ).toBe(200);
  await t.db.query('UPDATE cases SET overdue = true WHERE id = $1', [queue[0]!.id]);
  await t.db.query(`UPDATE cases SET near_due = true WHERE id = $1`, [queue[1]!.id]);
}, 120_000);
afterAll(async () => t?.close());

describe('the case statistics', () => {
  it('match a direct count over the same data, within the province', async () => {
    const res = await get('admin', '/api/v1/stats/cases?from=2026-02-25&to=2026-03-02');
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json() as CaseStats;
    expect(s.jurisdiction).toBe('320000');

    const byStatus = await t.db.query<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM cases WHERE division_within(region_code, '320000') GROUP BY status ORDER BY status`,
    );
    expect(s.byStatus).toEqual(byStatus.rows);
    const open = `status IN ('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided')`;
    const dept = await t.db.query<{
      departmentCode: string;
      open: number;
      overdue: number;
      nearDue: number;
      total: number;
    }>(
      `SELECT department_code AS "departmentCode", count(*) FILTER (WHERE ${open})::int AS open, count(*) FILTER (WHERE ${open} AND overdue)::int AS overdue,
              count(*) FILTER (WHERE ${open} AND near_due AND NOT overdue)::int AS "nearDue", count(*)::int AS total
         FROM cases WHERE division_within(region_code, '320000') GROUP BY department_code ORDER BY department_code`,
    );
    expect(s.byDepartment).toEqual(dept.rows);
    const totals = await t.db.query<{ open: number; overdue: number; near: number }>(
      `SELECT count(*) FILTER (WHERE ${open})::int AS open, count(*) FILTER (WHERE ${open} AND overdue)::int AS overdue, count(*) FILTER (WHERE ${open} AND near_due AND NOT overdue)::int AS near FROM cases`,
    );
    expect({ open: s.open, overdue: s.overdue, nearDue: s.nearDue }).toEqual({
      open: totals.rows[0]!.open,
      overdue: totals.rows[0]!.overdue,
      nearDue: totals.rows[0]!.near,
    });
    expect(s.overdue).toBe(1);
    expect(s.nearDue).toBe(1);

    const perDay = await t.db.query<{ day: string; count: number }>(
      `SELECT submitted_on::text AS day, count(*)::int AS count FROM applications WHERE submitted_on BETWEEN '2026-02-25' AND '2026-03-02' GROUP BY 1`,
    );
    expect(s.submissionsPerDay).toHaveLength(6);
    expect(s.submissionsPerDay.filter((d) => d.count > 0)).toEqual(perDay.rows);
    expect(s.submissionsPerDay.find((d) => d.day === '2026-03-02')?.count).toBe(2);
  });

  it("shows another city's administrator none of it", async () => {
    const s = (await get('admin.wuxi', '/api/v1/stats/cases')).json() as CaseStats;
    expect(s.jurisdiction).toBe('320200');
    expect(s).toMatchObject({ open: 0, overdue: 0, nearDue: 0, byStatus: [], byDepartment: [] });
    expect(s.submissionsPerDay).toHaveLength(30);
    expect(s.submissionsPerDay.every((d) => d.count === 0)).toBe(true);
  });

  it('refuses applicants and reviewers, and names the field of a bad range', async () => {
    expect((await get('zhangsan', '/api/v1/stats/cases')).statusCode).toBe(403);
    expect((await get('reviewer.health', '/api/v1/stats/cases')).statusCode).toBe(403);
    const backwards = problem(await get('admin', '/api/v1/stats/cases?from=2026-03-02&to=2026-02-01'));
    expect(backwards.status).toBe(400);
    expect(backwards.errors?.map((e) => e.pointer)).toEqual(['/to']);
    const malformed = problem(await get('admin', '/api/v1/stats/cases?from=yesterday'));
    expect(malformed.errors?.map((e) => e.pointer)).toEqual(['/from']);
  });
});
