import type { Executor } from '../../platform/db.ts';

const OPEN = `('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided')`;
// The jurisdiction's significant prefix computed once; a region code begins with its own prefix (see the queue in
// cases.repository.ts for why this says the same as division_within row by row).
const WITHIN = (col: string) => `starts_with(${col}::text, division_prefix($1))`;

export interface CaseFigures {
  byStatus: Array<{ status: string; count: number }>;
  byDepartment: Array<{ departmentCode: string; open: number; overdue: number; nearDue: number; total: number }>;
  open: number;
  overdue: number;
  nearDue: number;
}

export async function caseFigures(ex: Executor, jurisdiction: string): Promise<CaseFigures> {
  const [status, dept] = await Promise.all([
    ex.query<{ status: string; count: number }>(`SELECT status, count(*)::int AS count FROM cases WHERE ${WITHIN('region_code')} GROUP BY status ORDER BY status`, [jurisdiction]),
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
  const byDepartment = dept.rows.map((r) => ({ departmentCode: r.department_code, open: r.open, overdue: r.overdue, nearDue: r.near_due, total: r.total }));
  const sum = (k: 'open' | 'overdue' | 'nearDue') => byDepartment.reduce((n, d) => n + d[k], 0);
  return { byStatus: status.rows, byDepartment, open: sum('open'), overdue: sum('overdue'), nearDue: sum('nearDue') };
}

/** Applications per submission day in [from, to], every day listed (0 where none). */
export async function submissionsPerDay(ex: Executor, jurisdiction: string, from: string, to: string): Promise<Array<{ day: string; count: number }>> {
  const { rows } = await ex.query<{ day: string; count: number }>(
    `SELECT d::date::text AS day, count(a.id)::int AS count
       FROM generate_series($2::date, $3::date, interval '1 day') d
       LEFT JOIN applications a ON a.submitted_on = d::date AND ${WITHIN('a.region_code')}
      GROUP BY d ORDER BY d`,
    [jurisdiction, from, to],
  );
  return rows;
}
