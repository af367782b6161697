// The working-day calendar through the API and the CLI: both agree with the State Council's 2025 and 2026
// notices around Spring Festival, Labour Day and National Day, adjusted working weekends included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, cli, createTestApp, problem, type TestApp } from './helpers.ts';

// [start, working days, due, why]
const CASES: Array<[string, number, string, string]> = [
  ['2025-01-24', 1, '2025-01-26', 'Sunday 1/26 is worked before Spring Festival 2025'],
  ['2025-01-27', 1, '2025-02-05', 'Spring Festival 2025: 1/28–2/4 off'],
  ['2025-02-07', 1, '2025-02-08', 'Saturday 2/8 is worked after Spring Festival 2025'],
  ['2025-04-25', 1, '2025-04-27', 'Sunday 4/27 is worked before Labour Day 2025'],
  ['2025-04-30', 1, '2025-05-06', 'Labour Day 2025: 5/1–5/5 off'],
  ['2025-09-26', 1, '2025-09-28', 'Sunday 9/28 is worked before National Day 2025'],
  ['2025-09-30', 1, '2025-10-09', 'National Day and Mid-Autumn 2025: 10/1–10/8 off'],
  ['2025-10-10', 1, '2025-10-11', 'Saturday 10/11 is worked after National Day 2025'],
  ['2026-02-13', 1, '2026-02-14', 'Saturday 2/14 is worked before Spring Festival 2026'],
  ['2026-02-14', 1, '2026-02-24', 'Spring Festival 2026: 2/15–2/23 off'],
  ['2026-02-13', 5, '2026-02-27', 'across Spring Festival 2026'],
  ['2026-02-27', 1, '2026-02-28', 'Saturday 2/28 is worked after Spring Festival 2026'],
  ['2026-04-30', 1, '2026-05-06', 'Labour Day 2026: 5/1–5/5 off'],
  ['2026-05-08', 1, '2026-05-09', 'Saturday 5/9 is worked after Labour Day 2026'],
  ['2026-09-18', 1, '2026-09-20', 'Sunday 9/20 is worked before National Day 2026'],
  ['2026-09-30', 1, '2026-10-08', 'National Day 2026: 10/1–10/7 off'],
  ['2026-10-09', 1, '2026-10-10', 'Saturday 10/10 is worked after National Day 2026'],
  ['2026-09-30', 10, '2026-10-20', 'ten working days across National Day 2026'],
  ['2026-03-02', 0, '2026-03-02', 'day 0 is the acceptance day'],
];

let t: TestApp;
let auth: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  auth = bearer(await t.login('reviewer.health'));
});
afterAll(async () => t?.close());

describe('GET /api/v1/calendar/deadline', () => {
  it.each(CASES)('%s + %i working days = %s (%s)', async (start, n, due) => {
    const res = await t.app.inject({ url: `/api/v1/calendar/deadline?start=${start}&workdays=${n}`, headers: auth });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ due });
  });

  it('moves the due date by exactly the working days the clock was paused (补正)', async () => {
    const plain = await t.app.inject({ url: '/api/v1/calendar/deadline?start=2026-02-02&workdays=10', headers: auth });
    expect(plain.json()).toEqual({ due: '2026-02-14' });
    // Notice on Thu 2/5, supplement on Tue 2/10: 2/6, 2/9, 2/10 are paused, three working days.
    const paused = await t.app.inject({
      url: '/api/v1/calendar/deadline?start=2026-02-02&workdays=10&pauses=2026-02-05/2026-02-10',
      headers: auth,
    });
    expect(paused.json()).toEqual({ due: '2026-02-26' });
  });

  it('counts into the next year before its notice is loaded, marked provisional', async () => {
    // Mon 2026-12-28 + 10: 12-29…31 (3), 2027-01-01 is 元旦 by statute, 01-04…08 (5), 01-11, 01-12.
    const res = await t.app.inject({ url: '/api/v1/calendar/deadline?start=2026-12-28&workdays=10', headers: auth });
    expect(res.json()).toEqual({ due: '2027-01-12', provisional: true });
    expect((await t.app.inject({ url: '/api/v1/calendar/days/2027-01-01', headers: auth })).json()).toMatchObject({
      workday: false,
      kind: 'holiday',
      provisional: true,
    });
    expect(
      (await t.app.inject({ url: '/api/v1/calendar/deadline?start=2026-12-01&workdays=5', headers: auth })).json(),
    ).toEqual({ due: '2026-12-08' });
  });

  it('refuses a date outside the loaded years and the provisional one, naming the year, and never guesses', async () => {
    const res = await t.app.inject({
      url: '/api/v1/calendar/deadline?start=2027-12-20&workdays=10',
      headers: { ...auth, 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(422);
    const p = problem(res);
    expect(p.code).toBe('calendar.year_not_loaded');
    expect(p.title).toContain('2028');
    const before = problem(
      await t.app.inject({ url: '/api/v1/calendar/deadline?start=2023-06-01&workdays=1', headers: auth }),
    );
    expect(before.title).toContain('2023');
  });

  it('names the field of an invalid date or count', async () => {
    const bad = problem(
      await t.app.inject({ url: '/api/v1/calendar/deadline?start=2025-02-30&workdays=1', headers: auth }),
    );
    expect(bad.code).toBe('calendar.invalid_date');
    expect(bad.errors?.[0]?.pointer).toBe('/start');
    const neg = problem(
      await t.app.inject({ url: '/api/v1/calendar/deadline?start=2025-02-03&workdays=-1', headers: auth }),
    );
    expect(neg.errors?.[0]?.pointer).toBe('/workdays');
  });
});

describe('loading a year', () => {
  const y2027 = {
    year: 2027,
    source: { title: '测试用 2027 年节假日安排（非官方）', published: '2026-11-01' },
    holidays: [
      {
        name: { zh: '元旦', en: "New Year's Day" },
        days: ['2027-01-01', '2027-01-02', '2027-01-03'],
        adjustedWorkdays: [],
      },
    ],
  };

  it('lets an administrator load a further year, after which its dates compute', async () => {
    const admin = bearer(await t.login('admin'));
    expect(
      (await t.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/years/2027', headers: auth, payload: y2027 }))
        .statusCode,
    ).toBe(403);
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/calendar/years/2027',
      headers: admin,
      payload: y2027,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(
      (await t.app.inject({ url: '/api/v1/calendar/deadline?start=2026-12-31&workdays=1', headers: auth })).json(),
    ).toEqual({ due: '2027-01-04' });
    const years = (await t.app.inject({ url: '/api/v1/calendar/years', headers: auth })).json() as Array<{
      year: number;
    }>;
    expect(years.map((y) => y.year)).toEqual([2024, 2025, 2026, 2027]);
  });

  it('refuses an invalid notice with the path of each problem, loading nothing', async () => {
    const admin = bearer(await t.login('admin'));
    const bad = {
      ...y2027,
      year: 2028,
      holidays: [{ name: { zh: '元旦', en: 'New Year' }, days: ['2027-01-01'], adjustedWorkdays: ['2028-01-05'] }],
    };
    const p = problem(
      await t.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/years/2028', headers: admin, payload: bad }),
    );
    expect(p.code).toBe('calendar.invalid_year_file');
    expect(p.errors?.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['/holidays/0/days/0', '/holidays/0/adjustedWorkdays/0']),
    );
    expect(problem(await t.app.inject({ url: '/api/v1/calendar/years/2028', headers: auth })).status).toBe(404);
    const mismatch = problem(
      await t.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/years/2029', headers: admin, payload: y2027 }),
    );
    expect(mismatch.code).toBe('calendar.year_mismatch');
  });
});

describe('onething deadline', () => {
  it('agrees with the endpoint on every official-calendar case', async () => {
    for (const [start, n, due] of CASES) {
      const res = await t.app.inject({ url: `/api/v1/calendar/deadline?start=${start}&workdays=${n}`, headers: auth });
      const out = await cli('deadline', start, String(n));
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout.trim()).toBe(due);
      expect(out.stdout.trim()).toBe((res.json() as { due: string }).due);
    }
  }, 120_000);

  it('takes pauses and refuses a year that is not loaded', async () => {
    expect((await cli('deadline', '2026-02-02', '10', '--pause', '2026-02-05/2026-02-10')).stdout.trim()).toBe(
      '2026-02-26',
    );
    const out = await cli('deadline', '2026-12-28', '10');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('2027');
    expect((await cli('deadline', 'tomorrow', '1')).code).toBe(1);
  });
});
