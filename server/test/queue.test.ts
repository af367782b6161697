// The department queue with 100,000 open cases of one department: the total count in X-Total-Count (exact up to
// 10,000, beyond that X-Total-Count-Exceeds unless count=exact asks), pages that follow each other without gaps,
// and filters that change the count. No timing here: docs/benchmarks.md, "Workbench queue", has the measured figures.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseQueue } from '@onething/shared/cases';
import { fixedClock } from '../src/platform/clock.ts';
import { bearer, createTestApp, problem, type TestApp } from './helpers.ts';
import { insertOpenQueueCases } from '../bench/seed-cases.ts';

const OPEN = 100_000;
let t: TestApp;
let health: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock('2026-03-02') });
  health = bearer(await t.login('reviewer.health'));
  const started = performance.now();
  // One application per case (a case is unique per application and item), all of the newborn bundle's latest
  // version, every case open at the Nanjing health commission: a tenth overdue, a tenth near due, the rest not.
  await insertOpenQueueCases(t.db, OPEN, '2026-02-01');
  await t.db.query('VACUUM ANALYZE cases');
  await t.db.query('ANALYZE applications');
  console.log(`queue.test: ${OPEN} open cases written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}, 600_000);
afterAll(async () => t?.close());

const get = (url: string, headers = health) => t.app.inject({ method: 'GET', url, headers });
const total = (res: { headers: Record<string, unknown> }) => {
  expect(res.headers['x-total-count-exceeds']).toBeUndefined();
  return Number(res.headers['x-total-count']);
};

describe('the queue with 100,000 open cases', () => {
  it('says how many open cases there are and pages through them, due soonest first', async () => {
    const direct = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE department_code = 'nj-health' AND status IN ('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided')`,
    );
    const first = await get('/api/v1/cases?limit=20&count=exact');
    expect(first.statusCode, first.body).toBe(200);
    expect(total(first)).toBe(direct.rows[0]!.n);
    expect(total(first)).toBeGreaterThanOrEqual(OPEN);
    const rows = first.json() as CaseQueue;
    expect(rows).toHaveLength(20);
    const dues = rows.map((r) => r.dueDate!);
    expect([...dues].sort()).toEqual(dues);
    // Counted by default only up to 10,000: the same first page, and that there are more than that.
    const capped = await get('/api/v1/cases?limit=20');
    expect(capped.headers['x-total-count']).toBeUndefined();
    expect(capped.headers['x-total-count-exceeds']).toBe('10000');
    expect((capped.json() as CaseQueue).map((r) => r.id)).toEqual(rows.map((r) => r.id));
    const second = (await get('/api/v1/cases?limit=20&offset=20')).json() as CaseQueue;
    expect(second).toHaveLength(20);
    expect(second.some((r) => rows.some((x) => x.id === r.id))).toBe(false);
    expect(second[0]!.dueDate! >= dues[19]!).toBe(true);
    const last = await get(`/api/v1/cases?limit=50&count=exact&offset=${total(first) - 7}`);
    expect(last.json()).toHaveLength(7);
    expect(total(last)).toBe(total(first));
  });

  it('counts what the filters keep', async () => {
    const direct = await t.db.query<{ overdue: number; pending: number }>(
      `SELECT count(*) FILTER (WHERE overdue)::int AS overdue, count(*) FILTER (WHERE status = 'pending')::int AS pending FROM cases WHERE department_code = 'nj-health' AND status IN ('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided')`,
    );
    // A tenth of the 100,000 is overdue: 10,000, the most the default count gives exactly.
    expect(direct.rows[0]!.overdue).toBe(10_000);
    expect(total(await get('/api/v1/cases?flag=overdue&limit=5'))).toBe(direct.rows[0]!.overdue);
    expect(total(await get('/api/v1/cases?flag=overdue&limit=5&count=exact'))).toBe(direct.rows[0]!.overdue);
    // One more overdue case is one more than the default counts: it says only that there are more.
    await t.db.query(
      `UPDATE cases SET overdue = true WHERE id = (SELECT id FROM cases WHERE department_code = 'nj-health' AND status = 'pending' AND NOT overdue ORDER BY id LIMIT 1)`,
    );
    const over = await get('/api/v1/cases?flag=overdue&limit=5');
    expect(over.headers['x-total-count']).toBeUndefined();
    expect(over.headers['x-total-count-exceeds']).toBe('10000');
    expect(total(await get('/api/v1/cases?flag=overdue&limit=5&count=exact'))).toBe(10_001);
    await t.db.query(
      `UPDATE cases SET overdue = false WHERE id = (SELECT id FROM cases WHERE department_code = 'nj-health' AND status = 'pending' AND overdue ORDER BY id LIMIT 1)`,
    );
    expect(total(await get('/api/v1/cases?status=pending&limit=5&count=exact'))).toBe(direct.rows[0]!.pending);
    expect(total(await get('/api/v1/cases?bundle=newborn&status=pending&limit=5&count=exact'))).toBe(
      direct.rows[0]!.pending,
    );
    const bundleCapped = await get('/api/v1/cases?bundle=newborn&status=pending&limit=5');
    expect(bundleCapped.headers['x-total-count-exceeds']).toBe('10000');
    expect(total(await get('/api/v1/cases?bundle=no-such-bundle'))).toBe(0);
  });

  it('keeps the cases due by a day, and those of one district of the jurisdiction', async () => {
    const due = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE department_code = 'nj-health' AND status IN ('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided') AND due_date <= '2026-03-02'`,
    );
    expect(due.rows[0]!.n).toBeGreaterThan(0);
    expect(total(await get('/api/v1/cases?dueBefore=2026-03-02&limit=5&count=exact'))).toBe(due.rows[0]!.n);
    // 1,000 of the cases come from 秦淮区 (320104); the rest stay where they were (玄武区, 320102).
    await t.db.query(
      `UPDATE cases SET region_code = '320104' WHERE id IN (SELECT id FROM cases WHERE department_code = 'nj-health' AND status = 'pending' ORDER BY id LIMIT 1000)`,
    );
    const byRegion = async (code: string) =>
      (
        await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM cases WHERE department_code = 'nj-health' AND status IN ('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided') AND region_code = $1`,
          [code],
        )
      ).rows[0]!.n;
    const qinhuai = await get('/api/v1/cases?region=320104&limit=20');
    expect(total(qinhuai)).toBe(1000);
    expect(total(await get('/api/v1/cases?region=320104&status=pending&limit=5'))).toBe(1000);
    expect(total(await get('/api/v1/cases?region=320102&limit=5&count=exact'))).toBe(await byRegion('320102'));
    expect(total(await get('/api/v1/cases?region=320105&limit=5'))).toBe(0);
    // A region outside the reviewer's jurisdiction (无锡) adds nothing to what the jurisdiction allows.
    expect(total(await get('/api/v1/cases?region=320200&limit=5'))).toBe(0);
    const p = problem(await get('/api/v1/cases?region=3201'));
    expect(p.status).toBe(400);
    expect(p.errors?.map((e) => e.pointer)).toEqual(['/region']);
  });

  it('gives another department and a stranger nothing of it', async () => {
    const police = await get('/api/v1/cases', bearer(await t.login('reviewer.police')));
    expect(police.statusCode).toBe(200);
    expect(total(police)).toBe(0);
    expect((await get('/api/v1/cases', bearer(await t.login('zhangsan')))).statusCode).toBe(403); // not staff: no queue at all
  });

  it('names the field of a bad filter', async () => {
    const p = problem(await get('/api/v1/cases?limit=0&flag=late'));
    expect(p.status).toBe(400);
    expect(p.errors?.map((e) => e.pointer).sort()).toEqual(['/flag', '/limit']);
    const count = problem(await get('/api/v1/cases?count=all'));
    expect(count.status).toBe(400);
    expect(count.errors?.map((e) => e.pointer)).toEqual(['/count']);
  });
});
