// Fills a OneThing database with N department cases for the benchmark, with SQL set operations
// (INSERT … SELECT … FROM generate_series) in one transaction on one connection, then VACUUM (ANALYZE).
//
// Shape: applications of the published bundles of the seeded catalogue (newborn four times as often as each
// other bundle), each with one case per pinned item of its bundle version (so the item and department
// foreign keys hold), submitted between 2 January 2024 and today. About 14 % of the applications are recent
// (the last 30 days) and still in progress; about 73 % of their cases are open (waiting, pending, accepted,
// reviewing, awaiting correction, decided), so about 10 % of all cases are open, spread over the departments
// of their items. Older applications are completed: their cases are concluded (93 %), refused, withdrawn or
// terminated. Accepted cases have due dates (promised working days × 1.4 calendar days, within the loaded
// calendar years) and near-due/overdue flags close to what the clock sweep computes.
// Also written (each optional): applicant accounts that cannot log in (one per four applications), case
// events (the submission of each case and the closing event of each closed case), audit rows (case.created
// and application.submitted: volume for the queries, under the key id 'bench-seed' with a SHA-256 placeholder
// hash, since SQL cannot compute the HMAC; `onething audit verify` names each as unknown_key) and one
// notification per application. Not written: correction notices, tolerated gaps, uploaded files.
//
// Alone: DATABASE_URL=postgres://… npx tsx server/bench/seed-cases.ts --cases 1000000 [--prepare]
//   --prepare first applies the migrations and the demo catalogue (as a server with SEED_DEMO=true would).
//   --no-events, --no-audit, --no-notifications leave those tables alone; --analyze-only skips VACUUM.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { chinaDay } from '../src/platform/clock.ts';
import { mapFields } from '../src/modules/applications/applications.domain.ts';
import { NEWBORN_ANSWERS, newbornForm, newbornMaterials, addDays } from './newborn.ts';

/** One connection (pg.Client, a PoolClient, PGlite): the seed uses temporary tables and one transaction. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: any[] }>;
}

export interface SeedOptions {
  cases: number;
  /** "Today" in China (YYYY-MM-DD); default: now. */
  today?: string;
  events?: boolean;
  audit?: boolean;
  notifications?: boolean;
  /** 'vacuum' (default): VACUUM (ANALYZE) the tables afterwards; 'analyze': ANALYZE only. */
  after?: 'vacuum' | 'analyze';
  log?: (msg: string) => void;
}

export interface SeedResult {
  cases: number;
  applications: number;
  accounts: number;
  openCases: number;
  caseEvents: number;
  auditRows: number;
  notifications: number;
  /** Seconds of the inserting transaction (commit included). */
  insertSeconds: number;
  /** Seconds of VACUUM (ANALYZE) or ANALYZE. */
  analyzeSeconds: number;
  steps: Array<{ step: string; seconds: number; rows: number }>;
}

const FIRST_DAY = '2024-01-02';
/** Share of applications still in progress (submitted in the last 30 days). */
const ACTIVE_SHARE = 0.137;
/** How much more often a newborn application appears than one of each other bundle. */
const NEWBORN_WEIGHT = 4;
const TABLES = ['accounts', 'applications', 'cases', 'case_events', 'audit_events', 'notifications'];

interface BundleContent {
  regionCode: string;
  situations: Array<{ id: string; type: 'boolean' | 'choice'; options?: Array<{ value: string }> }>;
  items: Array<{ item: string; version?: number; after?: string[]; map: Record<string, string> }>;
  materials: Array<{ id: string; satisfiedBy?: string }>;
  promisedDays?: number;
}

/** A plausible value for a form field, by its name (the non-newborn bundles get a synthetic form). */
function sampleValue(field: string): string | number {
  const f = field.toLowerCase();
  if (f.includes('idnumber')) return '320102198001011234';
  if (f.includes('uscc')) return '91320104MA1WJLFD0Y';
  if (f.includes('phone')) return '13951000001';
  if (f.includes('address')) return '南京市秦淮区中山南路1号';
  if (f.includes('date')) return '2025-06-30';
  if (f.endsWith('m') && (f.includes('width') || f.includes('height'))) return 3;
  if (f.includes('name')) return '王强';
  return '示例';
}

function syntheticForm(maps: Array<Record<string, string>>): Record<string, unknown> {
  const form: Record<string, unknown> = {};
  for (const map of maps) {
    for (const from of Object.keys(map)) {
      const keys = from.split('.');
      let node = form;
      keys.forEach((k, i) => {
        if (i === keys.length - 1) node[k] ??= sampleValue(k);
        else node = (node[k] ??= {}) as Record<string, unknown>;
      });
    }
  }
  return form;
}

interface Plan {
  bundles: Array<Record<string, unknown>>;
  items: Array<Record<string, unknown>>;
  /** Pattern length (applications per block) and cases per block. */
  P: number;
  S: number;
}

async function buildPlan(db: Queryable, today: string): Promise<Plan> {
  const { rows: bundles } = await db.query(
    `SELECT DISTINCT ON (bundle_code) bundle_code AS code, version, content
       FROM bundle_versions WHERE status = 'published' ORDER BY bundle_code, version DESC`,
  );
  if (bundles.length === 0)
    throw new Error('no published bundle: start the server once with SEED_DEMO=true, or run the seed with --prepare');
  const { rows: itemRows } = await db.query(
    `SELECT item_code, version, department_code, content FROM service_item_versions WHERE status = 'published'`,
  );
  const items = new Map(
    itemRows.map((r) => [
      `${r.item_code}@${r.version}`,
      r as { item_code: string; version: number; department_code: string; content: Record<string, any> },
    ]),
  );

  // The pattern: newborn NEWBORN_WEIGHT times, every other bundle once.
  const sorted = [...bundles].sort((a, b) =>
    a.code === 'newborn' ? -1 : b.code === 'newborn' ? 1 : String(a.code).localeCompare(String(b.code)),
  );
  const pattern = sorted.flatMap((b) => (b.code === 'newborn' ? Array<typeof b>(NEWBORN_WEIGHT).fill(b) : [b]));
  const planBundles: Plan['bundles'] = [];
  const planItems: Plan['items'] = [];
  let prefix = 0;
  pattern.forEach((b, k) => {
    const content = b.content as BundleContent;
    const newborn = b.code === 'newborn';
    const form = newborn ? newbornForm(addDays(today, -10)) : syntheticForm(content.items.map((i) => i.map));
    const answers: Record<string, unknown> = newborn
      ? NEWBORN_ANSWERS
      : Object.fromEntries(
          content.situations.map((s) => [s.id, s.type === 'boolean' ? true : (s.options?.[0]?.value ?? '')]),
        );
    const fileId = '00000000-0000-4000-8000-000000000001';
    const materials = newborn
      ? newbornMaterials(fileId)
      : content.materials.map((m) =>
          m.satisfiedBy?.startsWith('certificate:')
            ? { id: m.id, kind: 'certificate', consent: true }
            : { id: m.id, kind: 'upload', fileIds: [fileId] },
        );
    const declaredGaps = newborn ? { 'maternity-expense-reimbursement': ['discharge-summary'] } : {};
    const codes = new Set(content.items.map((i) => i.item));
    let promised = 0;
    content.items.forEach((bi, ord) => {
      const iv = items.get(`${bi.item}@${bi.version}`);
      if (!iv) throw new Error(`bundle ${b.code}@${b.version} pins ${bi.item}@${bi.version}, which is not published`);
      const c = iv.content;
      const outputs = ((c.outputs ?? []) as Array<{ certificateType: string; name: unknown }>).map((o) => ({
        certificateType: o.certificateType,
        name: o.name,
        issued: false,
      }));
      promised = Math.max(promised, Number(c.promisedDays));
      planItems.push({
        k,
        ord,
        prefix,
        item_code: iv.item_code,
        item_version: iv.version,
        department_code: iv.department_code,
        region_code: String(c.regionCode ?? content.regionCode),
        promised_days: Number(c.promisedDays),
        statutory_days: c.statutoryDays == null ? null : Number(c.statutoryDays),
        depends_on: (bi.after ?? []).filter((d) => codes.has(d)),
        data: mapFields(form, bi.map),
        outputs_planned: outputs,
        outputs_issued: outputs.map((o) => ({ ...o, issued: true })),
      });
    });
    planBundles.push({
      k,
      code: b.code,
      version: b.version,
      region_code: content.regionCode,
      answers,
      form,
      materials,
      declared_gaps: declaredGaps,
      prefix,
      size: content.items.length,
      promised_days: content.promisedDays ?? promised * 3,
    });
    prefix += content.items.length;
  });
  return { bundles: planBundles, items: planItems, P: pattern.length, S: prefix };
}

/**
 * `count` open cases of the Nanjing health commission (nj-health), one newborn application each (a case is unique
 * per application and item), received on `firstDay`: a quarter in each open status, a tenth overdue, a tenth near
 * due, due dates spread over 60 days from `firstDay` + 15. For the department queue at scale (queue.test.ts and the
 * bench's workbench in the browser). Call it once per database: the cases go to the applications numbered YJSQ….
 */
export async function insertOpenQueueCases(db: Queryable, count: number, firstDay: string): Promise<void> {
  await db.query(
    `WITH b AS (SELECT bundle_code, max(version) AS v FROM bundle_versions WHERE bundle_code = 'newborn' GROUP BY bundle_code),
          who AS (SELECT id FROM accounts WHERE username = 'zhangsan')
     INSERT INTO applications (id, number, applicant_id, submitted_by, bundle_code, bundle_version, region_code, channel, status, answers, form, materials, request_sha256, submitted_on)
     SELECT gen_random_uuid(), 'YJSQ' || lpad(g::text, 10, '0'), who.id, who.id, b.bundle_code, b.v, '320100', 'web', 'in_progress', '{}', '{}', '[]', 'seed', $2::date
       FROM generate_series(1, $1::int) g, b, who`,
    [count, firstDay],
  );
  await db.query(
    `WITH i AS (SELECT item_code, max(version) AS v FROM service_item_versions WHERE item_code = 'birth-medical-certificate' GROUP BY item_code)
     INSERT INTO cases (id, application_id, item_code, item_version, department_code, region_code, status, data, promised_days, received_on, accepted_on, due_date, near_due, overdue, created_at)
     SELECT gen_random_uuid(), a.id, i.item_code, i.v, 'nj-health', '320102', s.status, '{}', 5, $1::date,
            CASE WHEN s.status = 'pending' THEN NULL ELSE $1::date + 1 END,
            CASE WHEN s.status = 'pending' THEN NULL ELSE $1::date + 15 + (s.n % 60)::int END, s.n % 10 = 1, s.n % 10 = 0,
            now() - (s.n || ' seconds')::interval
       FROM (SELECT id, number, row_number() OVER () AS n FROM applications WHERE number LIKE 'YJSQ%') a
       CROSS JOIN LATERAL (SELECT a.n, CASE WHEN a.n % 4 = 0 THEN 'pending' WHEN a.n % 4 = 1 THEN 'accepted' WHEN a.n % 4 = 2 THEN 'reviewing' ELSE 'decided' END AS status) s, i`,
    [firstDay],
  );
}

/** The columns of a table in the current schema (empty when there is no such table). */
export async function columnsOf(db: Queryable, table: string): Promise<Set<string>> {
  const { rows } = await db.query(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  return new Set(rows.map((r) => String(r.column_name)));
}

export async function seedCases(db: Queryable, options: SeedOptions): Promise<SeedResult> {
  const N = Math.floor(options.cases);
  if (!(N > 0)) throw new Error('cases must be a positive number');
  const log = options.log ?? (() => {});
  const today = options.today ?? chinaDay(new Date());
  const withEvents = options.events ?? true;
  const withAudit = options.audit ?? true;
  const withNotifications = options.notifications ?? true;
  const steps: SeedResult['steps'] = [];
  const step = async (name: string, text: string, params: unknown[] = []): Promise<number> => {
    const t = performance.now();
    const r = (await db.query(text, params)) as { rows: unknown[]; rowCount?: number | null; affectedRows?: number };
    const rows = Number(r.rowCount ?? r.affectedRows ?? 0);
    const seconds = (performance.now() - t) / 1000;
    steps.push({ step: name, seconds, rows });
    log(`${name}: ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s`);
    return rows;
  };

  const plan = await buildPlan(db, today);
  const { P, S } = plan;
  // Applications whose first case falls below N; the last one may be cut short.
  const fullBlocks = Math.floor(N / S);
  const rest = N - fullBlocks * S;
  const A = fullBlocks * P + plan.bundles.filter((b) => Number(b.prefix) < rest).length;
  const M = Math.max(1, Math.ceil(A / 4));
  const { rows: cal } = await db.query(`SELECT make_date(max(year), 12, 31)::text AS last FROM calendar_years`);
  const calendarEnd = cal[0]?.last as string | null;
  if (!calendarEnd) throw new Error('no calendar year is loaded');
  const span = Math.max(1, Math.round((Date.parse(addDays(today, -30)) - Date.parse(FIRST_DAY)) / 86_400_000));
  const tag = `seed-${Date.now().toString(36)}-`;
  log(
    `plan: ${N.toLocaleString('en')} cases in ${A.toLocaleString('en')} applications of ${new Set(plan.bundles.map((b) => b.code)).size} bundles, ${M.toLocaleString('en')} applicant accounts; today ${today}`,
  );

  const t0 = performance.now();
  await db.query('BEGIN');
  try {
    await db.query(`SET LOCAL work_mem = '64MB'`);
    const { rows: seqRows } = await db.query(`SELECT last_value::bigint AS v, is_called FROM application_number_seq`);
    const base = seqRows[0].is_called ? Number(seqRows[0].v) : Number(seqRows[0].v) - 1;

    await db.query(
      `CREATE TEMP TABLE seed_bundle ON COMMIT DROP AS
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(k int, code text, version int, region_code text, answers jsonb, form jsonb,
              materials jsonb, declared_gaps jsonb, prefix int, size int, promised_days int)`,
      [JSON.stringify(plan.bundles)],
    );
    await db.query(
      `CREATE TEMP TABLE seed_item ON COMMIT DROP AS
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(k int, ord int, prefix int, item_code text, item_version int, department_code text,
              region_code text, promised_days int, statutory_days int, depends_on text[], data jsonb, outputs_planned jsonb, outputs_issued jsonb)`,
      [JSON.stringify(plan.items)],
    );

    await step(
      'temp accounts',
      `CREATE TEMP TABLE seed_account ON COMMIT DROP AS SELECT g AS n, gen_random_uuid() AS id FROM generate_series(1, $1::int) g`,
      [M],
    );
    // The schema of accounts moves with the identity work: roles in a column or in account_roles.
    const accountColumns = await columnsOf(db, 'accounts');
    const hasRolesColumn = accountColumns.has('roles');
    await step(
      'accounts',
      `INSERT INTO accounts (id, kind, username, display_name, password_hash, ${hasRolesColumn ? 'roles, ' : ''}region_code, created_at)
       SELECT id, 'person', $1 || lpad(n::text, 7, '0'), '申请人' || n, '!seeded: no password, cannot log in', ${hasRolesColumn ? "ARRAY['applicant'], " : ''}'320100',
              $2::date::timestamptz
         FROM seed_account`,
      [tag, FIRST_DAY],
    );
    if ((await columnsOf(db, 'account_roles')).size) {
      await step(
        'account roles',
        `INSERT INTO account_roles (account_id, role) SELECT id, 'applicant' FROM seed_account`,
      );
    }

    await step(
      'temp applications',
      `CREATE TEMP TABLE seed_app ON COMMIT DROP AS
       SELECT s.i, gen_random_uuid() AS id, s.i % $1::int AS k, s.i / $1::int AS blk, s.active, d.day AS submitted_on,
              ((d.day + time '08:30') + s.r2 * interval '9 hours') AT TIME ZONE 'Asia/Shanghai' AS submitted_at,
              acc.id AS applicant_id,
              'YJS' || to_char(d.day, 'YYYYMMDD') || lpad(($2::bigint + s.i + 1)::text, greatest(8, length(($2::bigint + s.i + 1)::text)), '0') AS number,
              CASE WHEN s.i % 20 < 16 THEN 'web' WHEN s.i % 20 < 19 THEN 'window' ELSE 'api' END AS channel
         FROM (SELECT g AS i, random() < $3::float8 AS active, random() AS r1, random() AS r2, 1 + floor(random() * $4::int)::int AS acc
                 FROM generate_series(0, $5::int - 1) g OFFSET 0) s
        CROSS JOIN LATERAL (SELECT CASE WHEN s.active THEN $6::date - floor(s.r1 * 30)::int ELSE $7::date + floor(s.r1 * $8::int)::int END AS day) d
         JOIN seed_account acc ON acc.n = s.acc`,
      [P, base, ACTIVE_SHARE, M, A, today, FIRST_DAY, span],
    );

    const submittedBy = (await columnsOf(db, 'applications')).has('submitted_by');
    await step(
      'applications',
      `INSERT INTO applications (id, number, applicant_id, ${submittedBy ? 'submitted_by, ' : ''}bundle_code, bundle_version, region_code, channel, status, answers, form, materials,
                                 declared_gaps, idempotency_key, request_sha256, submitted_on, promised_date, submitted_at, completed_at, updated_at)
       SELECT a.id, a.number, a.applicant_id, ${submittedBy ? 'a.applicant_id, ' : ''}b.code, b.version, b.region_code, a.channel, CASE WHEN a.active THEN 'in_progress' ELSE 'completed' END,
              b.answers, b.form, b.materials, b.declared_gaps, CASE WHEN a.channel = 'web' THEN 'seed-' || md5(a.id::text) END,
              encode(sha256(convert_to(a.id::text, 'UTF8')), 'hex'), a.submitted_on, a.submitted_on + ceil(b.promised_days * 1.4)::int, a.submitted_at,
              CASE WHEN NOT a.active THEN a.submitted_at + (ceil(b.promised_days * 1.4) || ' days')::interval END,
              CASE WHEN NOT a.active THEN a.submitted_at + (ceil(b.promised_days * 1.4) || ' days')::interval ELSE a.submitted_at END
         FROM seed_app a JOIN seed_bundle b ON b.k = a.k`,
    );

    // OFFSET 0 keeps each subquery with random() from being flattened into its caller, which could evaluate
    // random() once per reference instead of once per row.
    await step(
      'temp cases',
      `CREATE TEMP TABLE seed_case ON COMMIT DROP AS
       SELECT y.*,
              CASE WHEN y.accepted_on IS NOT NULL THEN least(y.accepted_on + ceil(y.promised_days * 1.4)::int, $3::date) END AS due_date,
              CASE WHEN y.accepted_on IS NOT NULL AND y.statutory_days IS NOT NULL THEN least(y.accepted_on + ceil(y.statutory_days * 1.4)::int, $3::date) END AS statutory_due_date
         FROM (SELECT x.*,
                      CASE WHEN x.status = 'waiting' THEN NULL ELSE x.submitted_on END AS received_on,
                      CASE WHEN x.status IN ('accepted', 'reviewing', 'awaiting_correction', 'decided', 'concluded')
                           THEN least(x.submitted_on + (x.r2 < 0.5)::int, $2::date) END AS accepted_on,
                      CASE WHEN x.status NOT IN ('waiting', 'pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided')
                           THEN least(x.submitted_at + ((ceil(x.promised_days * 1.4) + 1) || ' days')::interval, now()) END AS closed_at,
                      CASE WHEN x.status IN ('decided', 'concluded') THEN CASE WHEN x.r2 < 0.03 THEN 'deny' ELSE 'approve' END END AS decision
                 FROM (SELECT w.*,
                              CASE WHEN NOT w.active THEN CASE WHEN w.r < 0.93 THEN 'concluded' WHEN w.r < 0.95 THEN 'refused' WHEN w.r < 0.98 THEN 'withdrawn' ELSE 'terminated' END
                                   WHEN w.r < 0.27 THEN 'concluded'
                                   WHEN cardinality(w.depends_on) > 0 AND w.r < 0.5 THEN 'waiting'
                                   WHEN w.r < 0.62 THEN 'pending'
                                   WHEN w.r < 0.75 THEN 'accepted'
                                   WHEN w.r < 0.88 THEN 'reviewing'
                                   WHEN w.r < 0.93 THEN 'awaiting_correction'
                                   ELSE 'decided' END AS status
                         FROM (SELECT gen_random_uuid() AS id, a.id AS application_id, a.applicant_id, a.number, a.active, a.submitted_on, a.submitted_at,
                                      it.item_code, it.item_version, it.department_code, it.region_code, it.promised_days, it.statutory_days, it.depends_on,
                                      it.data, it.outputs_planned, it.outputs_issued, random() AS r, random() AS r2
                                 FROM seed_app a
                                 JOIN seed_item it ON it.k = a.k
                                WHERE a.blk::bigint * $1::int + it.prefix + it.ord < $4::bigint
                               OFFSET 0) w) x) y`,
      [S, today, calendarEnd, N],
    );

    await step(
      'cases',
      `INSERT INTO cases (id, application_id, item_code, item_version, department_code, region_code, status, depends_on, data, inputs, outputs,
                          promised_days, statutory_days, received_on, accepted_on, due_date, statutory_due_date, pauses, paused_since, correction_return,
                          decision, decision_reason, near_due, overdue, closed_at, created_at, updated_at)
       SELECT id, application_id, item_code, item_version, department_code, region_code, status, depends_on, data, '[]'::jsonb,
              CASE WHEN status = 'concluded' AND decision = 'approve' THEN outputs_issued ELSE outputs_planned END,
              promised_days, statutory_days, received_on, accepted_on, due_date, statutory_due_date, '[]'::jsonb,
              CASE WHEN status = 'awaiting_correction' THEN least(accepted_on + 1, $1::date) END,
              CASE WHEN status = 'awaiting_correction' THEN 'reviewing' END,
              decision, CASE WHEN decision = 'deny' THEN '材料不符合法定形式 / the materials are not in the statutory form' END,
              status IN ('accepted', 'reviewing', 'decided') AND due_date >= $1::date AND due_date <= $1::date + 2,
              status IN ('accepted', 'reviewing', 'decided') AND due_date < $1::date,
              closed_at, submitted_at, coalesce(closed_at, submitted_at)
         FROM seed_case`,
      [today],
    );

    let caseEvents = 0;
    if (withEvents) {
      caseEvents += await step(
        'case events (submit)',
        `INSERT INTO case_events (case_id, at, on_day, actor_id, action, from_status, to_status, reason, data)
         SELECT id, submitted_at, submitted_on, applicant_id, 'submit', NULL, CASE WHEN cardinality(depends_on) > 0 THEN 'waiting' ELSE 'pending' END, NULL, '{}'::jsonb
           FROM seed_case`,
      );
      caseEvents += await step(
        'case events (closing)',
        `INSERT INTO case_events (case_id, at, on_day, actor_id, action, from_status, to_status, reason, data)
         SELECT id, closed_at, (closed_at AT TIME ZONE 'Asia/Shanghai')::date, NULL,
                CASE status WHEN 'concluded' THEN 'conclude' WHEN 'refused' THEN 'refuse' WHEN 'withdrawn' THEN 'withdraw' ELSE 'terminate' END,
                CASE status WHEN 'concluded' THEN 'decided' ELSE 'pending' END, status,
                CASE status WHEN 'refused' THEN '不符合受理条件 / acceptance conditions not met' WHEN 'terminated' THEN '前置事项未获准予 / prerequisite not granted' END,
                '{}'::jsonb
           FROM seed_case WHERE closed_at IS NOT NULL`,
      );
    }

    let auditRows = 0;
    if (withAudit) {
      auditRows += await step(
        'audit rows (case.created)',
        `INSERT INTO audit_events (at, actor_id, action, subject_type, subject_id, data, request_id, seq, prev_hash, hash, key_id)
         SELECT submitted_at, applicant_id, 'case.created', 'case', id::text,
                jsonb_build_object('application', number, 'item', item_code, 'department', department_code,
                                   'status', CASE WHEN cardinality(depends_on) > 0 THEN 'waiting' ELSE 'pending' END),
                NULL, 1, NULL, encode(sha256(convert_to(id::text, 'UTF8')), 'hex'), 'bench-seed'
           FROM seed_case`,
      );
      auditRows += await step(
        'audit rows (application.submitted)',
        `INSERT INTO audit_events (at, actor_id, action, subject_type, subject_id, data, request_id, seq, prev_hash, hash, key_id)
         SELECT a.submitted_at, a.applicant_id, 'application.submitted', 'application', a.id::text,
                jsonb_build_object('number', a.number, 'bundle', b.code || '@' || b.version, 'channel', a.channel), NULL, 1, NULL,
                encode(sha256(convert_to(a.id::text, 'UTF8')), 'hex'), 'bench-seed'
           FROM seed_app a JOIN seed_bundle b ON b.k = a.k`,
      );
    }

    let notifications = 0;
    if (withNotifications) {
      notifications = await step(
        'notifications',
        `INSERT INTO notifications (id, recipient_id, application_id, case_id, kind, payload, created_at, read_at, delivered_at)
         SELECT gen_random_uuid(), a.applicant_id, a.id, NULL, 'application.submitted',
                jsonb_build_object('applicationNumber', a.number, 'bundle', b.code, 'items', b.size, 'promisedDate', a.submitted_on + ceil(b.promised_days * 1.4)::int),
                a.submitted_at, CASE WHEN NOT a.active THEN a.submitted_at + interval '2 hours' END, a.submitted_at + interval '1 minute'
           FROM seed_app a JOIN seed_bundle b ON b.k = a.k`,
      );
    }

    await db.query(`SELECT setval('application_number_seq', $1::bigint, true)`, [base + A]);
    const { rows: openRows } = await db.query(
      `SELECT count(*)::int AS n FROM seed_case WHERE status IN ('waiting', 'pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided')`,
    );
    const t = performance.now();
    await db.query('COMMIT');
    steps.push({ step: 'commit', seconds: (performance.now() - t) / 1000, rows: 0 });
    const insertSeconds = (performance.now() - t0) / 1000;
    log(`committed in ${insertSeconds.toFixed(1)} s`);

    const t1 = performance.now();
    const after = options.after ?? 'vacuum';
    for (const table of TABLES) await db.query(after === 'vacuum' ? `VACUUM (ANALYZE) ${table}` : `ANALYZE ${table}`);
    const analyzeSeconds = (performance.now() - t1) / 1000;
    log(`${after === 'vacuum' ? 'VACUUM (ANALYZE)' : 'ANALYZE'} in ${analyzeSeconds.toFixed(1)} s`);

    return {
      cases: N,
      applications: A,
      accounts: M,
      openCases: Number(openRows[0].n),
      caseEvents,
      auditRows,
      notifications,
      insertSeconds,
      analyzeSeconds,
      steps,
    };
  } catch (err) {
    await db.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '1000000' },
      prepare: { type: 'boolean', default: false },
      'no-events': { type: 'boolean', default: false },
      'no-audit': { type: 'boolean', default: false },
      'no-notifications': { type: 'boolean', default: false },
      'analyze-only': { type: 'boolean', default: false },
    },
  });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to the PostgreSQL database to fill');
  if (values.prepare) {
    const { loadConfig } = await import('../src/config.ts');
    const { openPostgres } = await import('../src/platform/db.ts');
    const { migrate } = await import('../src/platform/migrate.ts');
    const { createServices } = await import('../src/app.ts');
    const { seedDemo } = await import('../src/seed.ts');
    const db = await openPostgres(url, { max: 2 });
    try {
      const services = createServices({ config: loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }), db });
      await migrate(db, services.pii);
      await seedDemo(services, (m) => console.error(`prepare: ${m}`));
    } finally {
      await db.close();
    }
  }
  const client = new pg.Client({ connectionString: url, application_name: 'onething-seed' });
  await client.connect();
  try {
    const t = performance.now();
    const r = await seedCases(client, {
      cases: Number(values.cases.replaceAll('_', '')),
      events: !values['no-events'],
      audit: !values['no-audit'],
      notifications: !values['no-notifications'],
      after: values['analyze-only'] ? 'analyze' : 'vacuum',
      log: (m) => console.error(`seed: ${m}`),
    });
    const { steps: _steps, ...summary } = r;
    console.log(
      JSON.stringify({ ...summary, totalSeconds: Number(((performance.now() - t) / 1000).toFixed(1)) }, null, 2),
    );
  } finally {
    await client.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
