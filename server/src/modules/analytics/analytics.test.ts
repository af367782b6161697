// The dashboard's window figures (GET /api/v1/stats/cases): applications per bundle, the on-time rate, overdue
// cases by region, working days per item and the slowest steps (堵点), from cases worked through on known days of
// March 2026 (no holiday in it: the 2026 notice's last 调休 is Saturday 28 February, so working days are the
// weekdays, which lets the SQL below count them without the calendar). Each figure is checked against the days
// worked out by hand and against an independent query over cases and case_events; then the same for Nanjing's
// auditor and Wuxi's administrator, who see only their part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import { createTestApp, loginHeaders, problem, submitNewborn, type TestApp } from '../../../test/helpers.ts';

const clock = fixedClock('2026-03-02');
let t: TestApp;
const H: Record<string, Record<string, string>> = {};

const WINDOW = 'from=2026-03-01&to=2026-03-31';

interface Stats {
  jurisdiction: string | null;
  overdue: number;
  perBundle: Array<{ bundleCode: string; count: number }>;
  onTime: {
    concluded: number;
    onTime: number;
    rate: number | null;
    byDepartment: Array<{ departmentCode: string; concluded: number; onTime: number; rate: number | null }>;
  };
  overdueByRegion: Array<{ regionCode: string; regionName: string | null; overdue: number }>;
  workdaysPerItem: Array<{ itemCode: string; concluded: number; avgWorkdays: number }>;
  slowestSteps: Array<{ itemCode: string; status: string; stays: number; avgWorkdays: number }>;
}

const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: H[who] });
async function act(who: string, caseId: string, body: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/actions`,
    headers: H[who],
    payload: body,
  });
  expect(res.statusCode, `${who} ${String(body.action)}: ${res.body}`).toBe(200);
}
async function stats(who: string, query = WINDOW): Promise<Stats> {
  const res = await get(who, `/api/v1/stats/cases?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Stats;
}

// Three applications; the cases of each by item code.
const apps: Array<{ id: string; cases: Record<string, string> }> = [];
const NOTICE = {
  action: 'request_correction',
  problems: [{ material: 'parents-household-register', problem: '户口簿首页影像不清晰，请重新提供' }],
  note: '请补齐',
};
const SUPPLY = {
  action: 'supply_correction',
  materials: [{ id: 'parents-household-register', kind: 'certificate', consent: true }],
};

beforeAll(async () => {
  t = await createTestApp({ clock, env: { SUBMISSIONS_PER_MINUTE: '100' } });
  Object.assign(
    H,
    await loginHeaders(t, [
      'zhangsan',
      'admin',
      'admin.wuxi',
      'auditor.nanjing',
      'reviewer.health',
      'reviewer.police',
      'hotline.nanjing',
    ]),
  );
  for (const id of await submitNewborn(t, H.zhangsan!, ['analytics-a1', 'analytics-a2', 'analytics-a3'])) {
    const rows = await t.db.query<{ id: string; item_code: string }>(
      'SELECT id, item_code FROM cases WHERE application_id = $1',
      [id],
    );
    apps.push({ id, cases: Object.fromEntries(rows.rows.map((r) => [r.item_code, r.id])) });
  }
  const [a1, a2, a3] = apps.map((a) => a.cases) as [
    Record<string, string>,
    Record<string, string>,
    Record<string, string>,
  ];
  // Two districts of Nanjing for the first two applications and their cases (the seed's bundles are filed at
  // province level, 320000, which no city's viewer would see); the third goes to Wuxi once worked.
  for (const [app, region] of [
    [apps[0]!, '320102'],
    [apps[1]!, '320104'],
  ] as const) {
    await t.db.query('UPDATE cases SET region_code = $2 WHERE application_id = $1', [app.id, region]);
    await t.db.query('UPDATE applications SET region_code = $2 WHERE id = $1', [app.id, region]);
  }

  // Monday 2 March. birth-medical-certificate promises 1 working day, household-registration 2 and waits for it.
  await act('reviewer.health', a1['birth-medical-certificate']!, { action: 'accept' }); // due 3 March
  await act('reviewer.health', a1['birth-medical-certificate']!, { action: 'start_review' });
  await act('reviewer.health', a2['birth-medical-certificate']!, { action: 'accept' }); // due 3 March
  for (const action of ['accept', 'start_review'])
    await act('reviewer.health', a3['birth-medical-certificate']!, { action });
  await act('reviewer.health', a3['birth-medical-certificate']!, { action: 'decide', decision: 'approve' });
  await act('reviewer.health', a3['birth-medical-certificate']!, { action: 'conclude' }); // 0 working days, on time
  await act('reviewer.police', a3['household-registration']!, { action: 'accept' }); // released just now; stays open, flagged overdue below
  // Tuesday 3 March.
  clock.set('2026-03-03');
  await act('reviewer.health', a1['birth-medical-certificate']!, { action: 'decide', decision: 'approve' });
  await act('reviewer.health', a1['birth-medical-certificate']!, { action: 'conclude' }); // 1 working day, on time
  await act('reviewer.police', a1['household-registration']!, { action: 'accept' }); // released; due 5 March
  await act('reviewer.police', a1['household-registration']!, { action: 'start_review' });
  // Wednesday 4 March.
  clock.set('2026-03-04');
  await act('reviewer.police', a1['household-registration']!, NOTICE); // the clock stops
  await act('reviewer.health', a2['birth-medical-certificate']!, { action: 'start_review' });
  // Friday 6 March.
  clock.set('2026-03-06');
  await act('reviewer.health', a2['birth-medical-certificate']!, { action: 'decide', decision: 'approve' });
  await act('reviewer.health', a2['birth-medical-certificate']!, { action: 'conclude' }); // 4 working days, late
  await act('reviewer.police', a2['household-registration']!, { action: 'accept' }); // released; stays open, flagged overdue below
  await act('zhangsan', a1['household-registration']!, SUPPLY); // paused 5 and 6 March: due 2 + 2 after 3 March → 9 March
  // Monday 9 March.
  clock.set('2026-03-09');
  await act('reviewer.police', a1['household-registration']!, { action: 'decide', decision: 'approve' });
  await act('reviewer.police', a1['household-registration']!, { action: 'conclude' }); // 4 − 2 = 2 working days, on time

  await t.db.query('UPDATE cases SET overdue = true WHERE id = ANY($1::uuid[])', [
    [a2['household-registration'], a3['household-registration']],
  ]);
  await t.db.query(`UPDATE cases SET region_code = '320205' WHERE application_id = $1`, [apps[2]!.id]);
  await t.db.query(`UPDATE applications SET region_code = '320205' WHERE id = $1`, [apps[2]!.id]);
}, 180_000);
afterAll(async () => t?.close());

// ---- the same figures by independent SQL: division_within() instead of the prefix the repository uses, weekdays
// counted with generate_series instead of the calendar, the next move found by a lateral subquery, not lead().
const weekdays = (after: string, upTo: string) =>
  `(SELECT count(*) FROM generate_series((${after})::date + 1, (${upTo})::date, interval '1 day') d WHERE extract(isodow FROM d) < 6)`;

async function sqlFigures(j: string, from = '2026-03-01', to = '2026-03-31') {
  const q = <R extends Record<string, unknown>>(text: string) => t.db.query<R>(text, [j, from, to]).then((r) => r.rows);
  const concluded = `cases c JOIN case_events e ON e.case_id = c.id AND e.to_status = 'concluded' AND e.from_status = 'decided'
                     WHERE e.on_day BETWEEN $2::date AND $3::date AND division_within(c.region_code, $1)`;
  const perBundle = await q(
    `SELECT bundle_code AS "bundleCode", count(*)::int AS count FROM applications WHERE submitted_on BETWEEN $2::date AND $3::date AND division_within(region_code, $1) GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
  const byDept = await q<{ departmentCode: string; concluded: number; onTime: number; rate: number | null }>(
    `SELECT c.department_code AS "departmentCode", count(*)::int AS concluded, sum(CASE WHEN e.on_day <= c.due_date THEN 1 ELSE 0 END)::int AS "onTime",
            round(sum(CASE WHEN e.on_day <= c.due_date THEN 1 ELSE 0 END)::numeric / count(*), 4)::float8 AS rate
       FROM ${concluded} GROUP BY 1 ORDER BY 1`,
  );
  const total = await q<{ concluded: number; onTime: number; rate: number | null }>(
    `SELECT count(*)::int AS concluded, coalesce(sum(CASE WHEN e.on_day <= c.due_date THEN 1 ELSE 0 END), 0)::int AS "onTime",
            round(sum(CASE WHEN e.on_day <= c.due_date THEN 1 ELSE 0 END)::numeric / nullif(count(*), 0), 4)::float8 AS rate FROM ${concluded}`,
  );
  const overdueByRegion = await q(
    `SELECT trim(region_code) AS "regionCode", count(*)::int AS overdue FROM cases
      WHERE overdue AND status NOT IN ('waiting', 'concluded', 'refused', 'withdrawn', 'terminated') AND division_within(region_code, $1) AND $2::date <= $3::date
      GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
  const paused = `coalesce((SELECT sum(${weekdays(`p->>'from'`, `p->>'to'`)}) FROM jsonb_array_elements(c.pauses) p), 0)`;
  const workdaysPerItem = await q(
    `SELECT c.item_code AS "itemCode", count(*)::int AS concluded, round(avg(${weekdays('c.accepted_on', 'e.on_day')} - ${paused}), 2)::float8 AS "avgWorkdays"
       FROM ${concluded} GROUP BY 1 ORDER BY 3 DESC, 1`,
  );
  const slowestSteps = await q(
    `SELECT c.item_code AS "itemCode", e.to_status AS status, count(*)::int AS stays, round(avg(${weekdays('e.on_day', 'nx.on_day')}), 2)::float8 AS "avgWorkdays"
       FROM case_events e JOIN cases c ON c.id = e.case_id
       CROSS JOIN LATERAL (SELECT n.on_day FROM case_events n WHERE n.case_id = e.case_id AND n.id > e.id AND n.from_status IS DISTINCT FROM n.to_status ORDER BY n.id LIMIT 1) nx
      WHERE (e.from_status IS NULL OR e.from_status <> e.to_status) AND nx.on_day BETWEEN $2::date AND $3::date AND division_within(c.region_code, $1)
      GROUP BY 1, 2 ORDER BY 4 DESC, 3 DESC, 1, 2`,
  );
  return { perBundle, onTime: { ...total[0]!, byDepartment: byDept }, overdueByRegion, workdaysPerItem, slowestSteps };
}

/** The API's figures without the region names, which come from the GB/T 2260 table rather than the database. */
function comparable(s: Stats) {
  return {
    perBundle: s.perBundle,
    onTime: s.onTime,
    overdueByRegion: s.overdueByRegion.map(({ regionName: _, ...r }) => r),
    workdaysPerItem: s.workdaysPerItem,
    slowestSteps: s.slowestSteps,
  };
}
const step = (s: Stats, itemCode: string, status: string) =>
  s.slowestSteps.find((x) => x.itemCode === itemCode && x.status === status);

describe('the dashboard figures over a window', () => {
  it('are the days worked out by hand, and what SQL over the tables gives, for the whole province', async () => {
    const s = await stats('admin', `${WINDOW}&top=50`);
    expect(s.jurisdiction).toBe('320000');
    expect(s.perBundle).toEqual([{ bundleCode: 'newborn', count: 3 }]);
    // Concluded: three birth certificates (1 day, on time; 4 days, late; 0 days, on time) and one household
    // registration (2 working days once the 补正 pause is taken off, on time).
    expect(s.onTime).toEqual({
      concluded: 4,
      onTime: 3,
      rate: 0.75,
      byDepartment: [
        { departmentCode: 'nj-health', concluded: 3, onTime: 2, rate: 0.6667 },
        { departmentCode: 'nj-public-security', concluded: 1, onTime: 1, rate: 1 },
      ],
    });
    expect(s.overdueByRegion).toEqual([
      { regionCode: '320104', regionName: '秦淮区', overdue: 1 },
      { regionCode: '320205', regionName: '锡山区', overdue: 1 },
    ]);
    expect(s.overdue).toBe(2);
    expect(s.workdaysPerItem).toEqual([
      { itemCode: 'household-registration', concluded: 1, avgWorkdays: 2 },
      { itemCode: 'birth-medical-certificate', concluded: 3, avgWorkdays: 1.67 },
    ]);
    // 堵点: household registration waited 1, 4 and 0 days for the birth certificate, 2 for the applicant's 补正,
    // and was reviewed 1 day before the notice and 1 after the supplement.
    expect(step(s, 'household-registration', 'waiting')).toEqual({
      itemCode: 'household-registration',
      status: 'waiting',
      stays: 3,
      avgWorkdays: 1.67,
    });
    expect(step(s, 'household-registration', 'awaiting_correction')).toEqual({
      itemCode: 'household-registration',
      status: 'awaiting_correction',
      stays: 1,
      avgWorkdays: 2,
    });
    expect(step(s, 'household-registration', 'reviewing')).toEqual({
      itemCode: 'household-registration',
      status: 'reviewing',
      stays: 2,
      avgWorkdays: 1,
    });
    expect(step(s, 'birth-medical-certificate', 'reviewing')).toEqual({
      itemCode: 'birth-medical-certificate',
      status: 'reviewing',
      stays: 3,
      avgWorkdays: 1,
    });
    expect(step(s, 'birth-medical-certificate', 'accepted')).toEqual({
      itemCode: 'birth-medical-certificate',
      status: 'accepted',
      stays: 3,
      avgWorkdays: 0.67,
    });
    expect(step(s, 'birth-medical-certificate', 'pending')).toEqual({
      itemCode: 'birth-medical-certificate',
      status: 'pending',
      stays: 3,
      avgWorkdays: 0,
    });
    // Household registrations still accepted (the two flagged overdue) have not left the state: not counted.
    expect(step(s, 'household-registration', 'accepted')).toEqual({
      itemCode: 'household-registration',
      status: 'accepted',
      stays: 1,
      avgWorkdays: 0,
    });
    expect(s.slowestSteps.map((x) => x.avgWorkdays)).toEqual(
      [...s.slowestSteps.map((x) => x.avgWorkdays)].sort((a, b) => b - a),
    );

    expect(comparable(s)).toEqual(await sqlFigures('320000'));
  });

  it("count only the viewer's jurisdiction: Nanjing's auditor without Wuxi's case, Wuxi's administrator only it", async () => {
    const nanjing = await stats('auditor.nanjing', `${WINDOW}&top=50`);
    expect(nanjing.jurisdiction).toBe('320100');
    expect(nanjing.perBundle).toEqual([{ bundleCode: 'newborn', count: 2 }]);
    expect(nanjing.onTime).toMatchObject({ concluded: 3, onTime: 2, rate: 0.6667 });
    expect(nanjing.overdueByRegion).toEqual([{ regionCode: '320104', regionName: '秦淮区', overdue: 1 }]);
    expect(nanjing.workdaysPerItem).toEqual([
      { itemCode: 'birth-medical-certificate', concluded: 2, avgWorkdays: 2.5 },
      { itemCode: 'household-registration', concluded: 1, avgWorkdays: 2 },
    ]);
    expect(step(nanjing, 'birth-medical-certificate', 'accepted')).toMatchObject({ stays: 2, avgWorkdays: 1 });
    expect(comparable(nanjing)).toEqual(await sqlFigures('320100'));

    const wuxi = await stats('admin.wuxi', `${WINDOW}&top=50`);
    expect(wuxi.jurisdiction).toBe('320200');
    expect(wuxi.perBundle).toEqual([{ bundleCode: 'newborn', count: 1 }]);
    expect(wuxi.onTime).toEqual({
      concluded: 1,
      onTime: 1,
      rate: 1,
      byDepartment: [{ departmentCode: 'nj-health', concluded: 1, onTime: 1, rate: 1 }],
    });
    expect(wuxi.overdueByRegion).toEqual([{ regionCode: '320205', regionName: '锡山区', overdue: 1 }]);
    expect(wuxi.workdaysPerItem).toEqual([{ itemCode: 'birth-medical-certificate', concluded: 1, avgWorkdays: 0 }]);
    expect(comparable(wuxi)).toEqual(await sqlFigures('320200'));
  });

  it('keep to the window: a window before the work has no conclusions, stays or submissions, and a rate of null', async () => {
    const s = await stats('admin', 'from=2026-02-01&to=2026-03-01');
    expect(s).toMatchObject({
      perBundle: [],
      onTime: { concluded: 0, onTime: 0, rate: null, byDepartment: [] },
      workdaysPerItem: [],
      slowestSteps: [],
    });
    expect(s.overdueByRegion).toHaveLength(2); // overdue is a figure of now, not of the window
    expect(comparable(s)).toEqual(await sqlFigures('320000', '2026-02-01', '2026-03-01'));
    // Ending on 3 March: the first day's conclusion and the stays that ended by then.
    const early = await stats('admin', 'from=2026-03-02&to=2026-03-03&top=50');
    expect(early.onTime).toMatchObject({ concluded: 2, onTime: 2 });
    expect(comparable(early)).toEqual(await sqlFigures('320000', '2026-03-02', '2026-03-03'));
  });

  it('list the slowest steps first, as many as asked', async () => {
    const all = await stats('admin', `${WINDOW}&top=50`);
    const two = await stats('admin', `${WINDOW}&top=2`);
    expect(two.slowestSteps).toEqual(all.slowestSteps.slice(0, 2));
    expect((await stats('admin', WINDOW)).slowestSteps).toHaveLength(Math.min(10, all.slowestSteps.length));
  });

  it('are for holders of stats.read only, and a bad parameter is a 400 naming its field', async () => {
    for (const who of ['zhangsan', 'reviewer.health', 'hotline.nanjing'])
      expect((await get(who, `/api/v1/stats/cases?${WINDOW}`)).statusCode).toBe(403);
    const perms = await t.db.query<{ role: string }>(
      `SELECT role FROM role_permissions WHERE permission = 'stats.read' ORDER BY role`,
    );
    expect(perms.rows.map((r) => r.role)).toEqual(['admin', 'auditor']);
    for (const [query, pointer] of [
      ['top=0', '/top'],
      ['top=51', '/top'],
      ['top=many', '/top'],
      ['from=2026-3-1', '/from'],
      ['to=tomorrow', '/to'],
      ['from=2026-03-31&to=2026-03-01', '/to'],
      ['from=2025-01-01&to=2026-03-31', '/from'],
    ] as const) {
      const p = problem(await get('admin', `/api/v1/stats/cases?${query}`));
      expect(p.status, query).toBe(400);
      expect(
        p.errors?.map((e) => e.pointer),
        query,
      ).toEqual([pointer]);
    }
  });
});
