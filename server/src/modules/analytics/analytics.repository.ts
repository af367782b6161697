import { regionWithinSql, type Executor } from '../../platform/db.ts';

const OPEN = `('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided')`;
// division_within as a range on the region column, the jurisdiction's prefix computed once (regionWithinSql).
const WITHIN = (col: string) => regionWithinSql(col, '$1');

export interface CaseFigures {
  byStatus: Array<{ status: string; count: number }>;
  byDepartment: Array<{ departmentCode: string; open: number; overdue: number; nearDue: number; total: number }>;
  open: number;
  overdue: number;
  nearDue: number;
}

export async function caseFigures(ex: Executor, jurisdiction: string): Promise<CaseFigures> {
  const [status, dept] = await Promise.all([
    ex.query<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM cases WHERE ${WITHIN('region_code')} GROUP BY status ORDER BY status`,
      [jurisdiction],
    ),
    ex.query<{ department_code: string; open: number; overdue: number; near_due: number; total: number }>(
      `SELECT department_code,
              count(*) FILTER (WHERE status IN ${OPEN})::int AS open,
              count(*) FILTER (WHERE status IN ${OPEN} AND overdue)::int AS overdue,
              count(*) FILTER (WHERE status IN ${OPEN} AND near_due AND NOT overdue)::int AS near_due,
              count(*)::int AS total
         FROM cases WHERE ${WITHIN('region_code')} GROUP BY department_code ORDER BY department_code`,
      [jurisdiction],
    ),
  ]);
  const byDepartment = dept.rows.map((r) => ({
    departmentCode: r.department_code,
    open: r.open,
    overdue: r.overdue,
    nearDue: r.near_due,
    total: r.total,
  }));
  const sum = (k: 'open' | 'overdue' | 'nearDue') => byDepartment.reduce((n, d) => n + d[k], 0);
  return { byStatus: status.rows, byDepartment, open: sum('open'), overdue: sum('overdue'), nearDue: sum('nearDue') };
}

/** Applications per submission day in [from, to], every day listed (0 where none). */
export async function submissionsPerDay(
  ex: Executor,
  jurisdiction: string,
  from: string,
  to: string,
): Promise<Array<{ day: string; count: number }>> {
  const { rows } = await ex.query<{ day: string; count: number }>(
    `SELECT d::date::text AS day, count(a.id)::int AS count
       FROM generate_series($2::date, $3::date, interval '1 day') d
       LEFT JOIN applications a ON a.submitted_on = d::date AND ${WITHIN('a.region_code')}
      GROUP BY d ORDER BY d`,
    [jurisdiction, from, to],
  );
  return rows;
}

/** Applications submitted in [from, to] by bundle, most first. */
export async function applicationsPerBundle(
  ex: Executor,
  jurisdiction: string,
  from: string,
  to: string,
): Promise<Array<{ bundleCode: string; count: number }>> {
  const { rows } = await ex.query<{ bundleCode: string; count: number }>(
    `SELECT bundle_code AS "bundleCode", count(*)::int AS count
       FROM applications WHERE submitted_on BETWEEN $2::date AND $3::date AND ${WITHIN('region_code')}
      GROUP BY bundle_code ORDER BY count DESC, bundle_code`,
    [jurisdiction, from, to],
  );
  return rows;
}

/** Open overdue cases by region (the case's GB/T 2260 code), most first; the same cases `overdue` counts. */
export async function overdueByRegion(
  ex: Executor,
  jurisdiction: string,
): Promise<Array<{ regionCode: string; overdue: number }>> {
  const { rows } = await ex.query<{ regionCode: string; overdue: number }>(
    `SELECT region_code::text AS "regionCode", count(*)::int AS overdue
       FROM cases WHERE status IN ${OPEN} AND overdue AND ${WITHIN('region_code')}
      GROUP BY region_code ORDER BY overdue DESC, region_code`,
    [jurisdiction],
  );
  return rows;
}

// A case's conclusion day is the China day of its `conclude` event (case_events.on_day, written from the injected
// clock); cases.closed_at is a timestamp of the same moment but in UTC, so the event is what a day is read from.
const CONCLUDED = `cases c JOIN case_events e ON e.case_id = c.id AND e.action = 'conclude'
       WHERE e.on_day BETWEEN $2::date AND $3::date AND c.accepted_on IS NOT NULL AND ${WITHIN('c.region_code')}`;

/**
 * Cases concluded in [from, to] by department, and how many by their due date (cases.due_date: the promised limit
 * counted from acceptance, already moved later by every 补正 pause, so a pause never makes a case late). The promised
 * limit never exceeds the statutory one, so "on time" here is the stricter of the two.
 */
export async function onTimeByDepartment(
  ex: Executor,
  jurisdiction: string,
  from: string,
  to: string,
): Promise<Array<{ departmentCode: string; concluded: number; onTime: number }>> {
  const { rows } = await ex.query<{ departmentCode: string; concluded: number; onTime: number }>(
    `SELECT c.department_code AS "departmentCode", count(*)::int AS concluded, count(*) FILTER (WHERE e.on_day <= c.due_date)::int AS "onTime"
       FROM ${CONCLUDED}
      GROUP BY c.department_code ORDER BY c.department_code`,
    [jurisdiction, from, to],
  );
  return rows;
}

/** Cases concluded in [from, to] by the bundle of their application, and how many by their due date (as above). */
export async function onTimeByBundle(
  ex: Executor,
  jurisdiction: string,
  from: string,
  to: string,
): Promise<Array<{ bundleCode: string; concluded: number; onTime: number }>> {
  const { rows } = await ex.query<{ bundleCode: string; concluded: number; onTime: number }>(
    `SELECT a.bundle_code AS "bundleCode", count(*)::int AS concluded, count(*) FILTER (WHERE x.on_time)::int AS "onTime"
       FROM (SELECT c.application_id, e.on_day <= c.due_date AS on_time FROM ${CONCLUDED}) x
       JOIN applications a ON a.id = x.application_id
      GROUP BY a.bundle_code ORDER BY a.bundle_code`,
    [jurisdiction, from, to],
  );
  return rows;
}

/** Cases concluded in [from, to] grouped by item, acceptance day, conclusion day and pauses: what working days are counted from. */
export async function concludedSpans(
  ex: Executor,
  jurisdiction: string,
  from: string,
  to: string,
): Promise<
  Array<{
    itemCode: string;
    acceptedOn: string;
    concludedOn: string;
    pauses: Array<{ from: string; to: string }>;
    count: number;
  }>
> {
  const { rows } = await ex.query<{
    itemCode: string;
    acceptedOn: string;
    concludedOn: string;
    pauses: unknown;
    count: number;
  }>(
    `SELECT c.item_code AS "itemCode", c.accepted_on::text AS "acceptedOn", e.on_day::text AS "concludedOn", c.pauses, count(*)::int AS count
       FROM ${CONCLUDED}
      GROUP BY c.item_code, c.accepted_on, e.on_day, c.pauses`,
    [jurisdiction, from, to],
  );
  // jsonb comes back parsed from pg and PGlite alike; a string would mean it was stored double-encoded.
  return rows.map((r) => ({
    ...r,
    pauses: (typeof r.pauses === 'string' ? JSON.parse(r.pauses) : r.pauses) as Array<{ from: string; to: string }>,
  }));
}

/**
 * Stays in a state that ended in [from, to], grouped by item, state, day entered and day left. A stay runs from
 * the event that moved the case into a state to the next event that moved it out; events that leave the state as
 * it was (a supplied 容缺 material, a recomputed due date, a gap gone overdue) neither start nor end one. A stay
 * still going on is not counted: its length is not known yet.
 */
export async function stateStays(
  ex: Executor,
  jurisdiction: string,
  from: string,
  to: string,
): Promise<Array<{ itemCode: string; status: string; enteredOn: string; leftOn: string; count: number }>> {
  const { rows } = await ex.query<{
    itemCode: string;
    status: string;
    enteredOn: string;
    leftOn: string;
    count: number;
  }>(
    `WITH moves AS (
       SELECT c.item_code, e.to_status, e.on_day, lead(e.on_day) OVER (PARTITION BY e.case_id ORDER BY e.id) AS left_on
         FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE e.from_status IS DISTINCT FROM e.to_status AND e.on_day <= $3::date AND ${WITHIN('c.region_code')}
     )
     SELECT item_code AS "itemCode", to_status AS status, on_day::text AS "enteredOn", left_on::text AS "leftOn", count(*)::int AS count
       FROM moves WHERE left_on BETWEEN $2::date AND $3::date
      GROUP BY item_code, to_status, on_day, left_on`,
    [jurisdiction, from, to],
  );
  return rows;
}
