// What a system test checks in the database afterwards: submissions (every acknowledged one exactly once with
// all its cases and side effects), jobs (every job sent completed, also those a kill cut off), the statutory
// clock (flags as the calendar says, each overdue recorded once), and the audit chain.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import PgBoss from 'pg-boss';
import { openPostgres } from '../../server/src/platform/db.ts';
import { verifyAuditChain, type AuditChainReport } from '../../server/src/ops/audit-verify.ts';
import type { AuditKeyRing } from '../../server/src/platform/audit-keys.ts';
import { writeAuditCheckpoint } from '../../server/src/platform/audit-checkpoints.ts';
import { createCalendarService, type WorkCalendar } from '../../server/src/modules/calendar/index.ts';
import { clockFlags, type CaseStatus } from '../../server/src/modules/cases/cases.domain.ts';
import { systemClock } from '../../server/src/platform/clock.ts';
import { createPiiSealer, developmentKeyRing } from '../../server/src/platform/pii.ts';
import { readUpload } from '../../server/src/platform/uploads.ts';
import { NEWBORN_CASES, type Outcome } from './load.ts';
import { sleep } from './processes.ts';

// ---------------------------------------------------------------------------------------------------------
// Submissions

export interface SubmissionReport {
  submissions: number;
  acknowledged: number;
  found: number;
  lost: number;
  duplicates: number;
  /** Acknowledged applications without all their cases, or with a side effect (audit row, notification) ≠ 1. */
  incomplete: number;
  /** Applications in the database that no client was told about (a client that gave up): 0 when none gave up. */
  unacknowledged: number;
  /** First 2xx was a replay: an earlier attempt committed, its answer was lost, the retry found it by key. */
  answeredByReplay: number;
  resends: number;
  /** Resends after a 2xx that did not return the same application, marked replayed. */
  resendMismatches: number;
  uploadsAcknowledged: number;
  uploadsMissing: number;
  failures: string[];
  problems: string[];
}

export async function checkSubmissions(
  pool: pg.Pool,
  outcomes: Outcome[],
  prefix: string,
  dataDir: string,
): Promise<SubmissionReport> {
  const acked = outcomes.filter((o) => o.ack);
  const { rows } = await pool.query<{
    id: string;
    number: string;
    key: string;
    applicant: string;
    cases: number;
    audits: number;
    notes: number;
  }>(
    `SELECT a.id::text, a.number, a.idempotency_key AS key, a.applicant_id::text AS applicant,
            (SELECT count(*) FROM cases c WHERE c.application_id = a.id)::int AS cases,
            (SELECT count(*) FROM audit_events e WHERE e.subject_type = 'application' AND e.subject_id = a.id::text AND e.action = 'application.submitted')::int AS audits,
            (SELECT count(*) FROM notifications n WHERE n.application_id = a.id AND n.kind = 'application.submitted')::int AS notes
       FROM applications a WHERE a.idempotency_key LIKE $1`,
    [`${prefix}-%`],
  );
  const problems: string[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const perKey = new Map<string, number>();
  const perNumber = new Map<string, number>();
  for (const r of rows) {
    perKey.set(`${r.applicant}/${r.key}`, (perKey.get(`${r.applicant}/${r.key}`) ?? 0) + 1);
    perNumber.set(r.number, (perNumber.get(r.number) ?? 0) + 1);
  }
  let duplicates = 0;
  for (const [k, n] of perKey)
    if (n > 1) (duplicates += n - 1), problems.push(`duplicate: ${n} applications for (applicant, key) ${k}`);
  for (const [k, n] of perNumber)
    if (n > 1) (duplicates += n - 1), problems.push(`duplicate: number ${k} on ${n} applications`);

  let found = 0;
  let incomplete = 0;
  let resendMismatches = 0;
  for (const o of acked) {
    const r = byId.get(o.ack!.id);
    if (!r || r.number !== o.ack!.number || r.key !== o.key) {
      problems.push(`lost: ${o.key} was acknowledged as ${o.ack!.number} (${o.ack!.id}) and is not in the database`);
      continue;
    }
    found++;
    if (r.cases !== NEWBORN_CASES || r.audits !== 1 || r.notes !== 1) {
      incomplete++;
      problems.push(
        `incomplete: ${r.number} has ${r.cases} cases, ${r.audits} submission audit rows, ${r.notes} notifications`,
      );
    }
    for (const s of o.resends) {
      if (s.id !== o.ack!.id || s.number !== o.ack!.number || !s.replayed) {
        resendMismatches++;
        duplicates += s.id !== o.ack!.id ? 1 : 0;
        problems.push(
          `resend of ${o.key} returned ${s.number} (${s.id}, replayed=${s.replayed}) instead of ${o.ack!.number}`,
        );
      }
    }
  }
  const ackedIds = new Set(acked.map((o) => o.ack!.id));
  const unacknowledged = rows.filter((r) => !ackedIds.has(r.id)).length;

  // Every acknowledged upload: its row, and its bytes on disk (sealed under the servers' development keys) opening
  // to what its SHA-256 says.
  const uploads = outcomes.filter((o) => o.upload).map((o) => o.upload!);
  const files = await pool.query<{ id: string; sha256: string; storage_key: string; stored_sha256: string | null }>(
    `SELECT id::text, sha256, storage_key, stored_sha256 FROM files WHERE id = ANY($1::uuid[])`,
    [uploads.map((u) => u.id)],
  );
  const fileRows = new Map(files.rows.map((f) => [f.id, f]));
  const pii = createPiiSealer(developmentKeyRing());
  let uploadsMissing = 0;
  for (const u of uploads) {
    const f = fileRows.get(u.id);
    const p = f ? path.join(dataDir, f.storage_key) : undefined;
    const ok =
      f &&
      f.sha256 === u.sha256 &&
      p &&
      fs.existsSync(p) &&
      crypto
        .createHash('sha256')
        .update(await readUpload(dataDir, pii, { id: f.id, storageKey: f.storage_key, storedSha256: f.stored_sha256 }))
        .digest('hex') === u.sha256;
    if (!ok) {
      uploadsMissing++;
      problems.push(`upload ${u.id} acknowledged but ${f ? 'its bytes are missing or differ' : 'its row is missing'}`);
    }
  }

  return {
    submissions: outcomes.length,
    acknowledged: acked.length,
    found,
    lost: acked.length - found,
    duplicates,
    incomplete,
    unacknowledged,
    answeredByReplay: acked.filter((o) => o.ack!.status === 200).length,
    resends: acked.reduce((n, o) => n + o.resends.length, 0),
    resendMismatches,
    uploadsAcknowledged: uploads.length,
    uploadsMissing,
    failures: outcomes.filter((o) => o.failure).map((o) => `${o.key}: ${o.failure}`),
    problems,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Jobs

export const SWEEP_QUEUE = 'cases.clock-sweep.v1';

/**
 * Jobs the harness puts into the server's own clock-sweep queue with pg-boss (the servers' workers run them),
 * and what became of them. A job that a kill catches in state 'active' stays so until pg-boss maintenance
 * (every 120 s on some running instance) finds it older than its expiry and puts it back for retry; these jobs
 * carry a 60 s expiry and a 1 s retry delay so that this happens within the run. (The platform's queues use
 * pg-boss's default expiry of 15 minutes: same mechanism, later.) The expiry is also how long a worker may take
 * over its batch before pg-boss fails it, so it is kept well above a slow machine's sweep time: a completed job
 * with a retry then means that its first holder died.
 */
export class JobProbe {
  readonly sent: string[] = [];
  /** Harness jobs the server held just before a kill and still 'active' once it had died: in flight at the kill. */
  readonly inFlightAtKill = new Set<string>();
  /** How many of them each kill caught, in order. */
  readonly inFlightPerKill: number[] = [];
  /** Other jobs (the servers' own cron jobs) found 'active' after a kill: they resume after their 15-minute expiry. */
  readonly othersActiveAtKill = new Set<string>();
  private constructor(
    private readonly boss: PgBoss,
    private readonly pool: pg.Pool,
  ) {}

  static async open(url: string, pool: pg.Pool): Promise<JobProbe> {
    // A client only: no maintenance, no cron, no schema changes; the servers do all of that.
    const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false, migrate: false, max: 2 });
    boss.on('error', () => {});
    await boss.start();
    return new JobProbe(boss, pool);
  }

  async send(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const id = await this.boss.send(
        SWEEP_QUEUE,
        {},
        { expireInSeconds: 60, retryLimit: 50, retryDelay: 1, retryBackoff: false },
      );
      if (id) this.sent.push(id);
    }
  }

  /** The database's clock now: what `startedOn` below compares with pg-boss's started_on. */
  async now(): Promise<string> {
    const { rows } = await this.pool.query<{ now: string }>('SELECT now()::text AS now');
    return rows[0]!.now;
  }

  /**
   * Waits (bounded) until a worker that fetched jobs since `since` (the running server's start, by the database's
   * clock) holds one of the harness's jobs, so that the kill after it lands on a job; gives those jobs, or none at
   * the timeout. Jobs an earlier kill cut off stay 'active' until they expire and are not the running server's.
   */
  async waitHeld(timeoutMs: number, since: string): Promise<string[]> {
    const until = Date.now() + timeoutMs;
    const mine = new Set(this.sent);
    for (;;) {
      const { rows } = await this.pool.query<{ id: string }>(
        `SELECT id::text FROM pgboss.job WHERE state = 'active' AND started_on >= $1::timestamptz`,
        [since],
      );
      const held = rows.map((r) => r.id).filter((id) => mine.has(id));
      if (held.length > 0 || Date.now() > until) return held;
      await sleep(20);
    }
  }

  /**
   * Records the jobs a kill caught: held by the killed server just before it (`before`) and still active once the
   * process had exited, so not completed by it in between.
   */
  recordKill(before: string[], after: string[]): number {
    const still = new Set(after);
    const caught = before.filter((id) => still.has(id));
    caught.forEach((id) => this.inFlightAtKill.add(id));
    this.inFlightPerKill.push(caught.length);
    return caught.length;
  }

  /** What is active now: called after a kill, what was in flight in the dead process (or in a survivor). */
  async activeNow(): Promise<{ ours: string[]; others: string[] }> {
    const { rows } = await this.pool.query<{ id: string }>(`SELECT id::text FROM pgboss.job WHERE state = 'active'`);
    const mine = new Set(this.sent);
    return {
      ours: rows.filter((r) => mine.has(r.id)).map((r) => r.id),
      others: rows.filter((r) => !mine.has(r.id)).map((r) => r.id),
    };
  }

  async states(): Promise<Map<string, { state: string; retries: number }>> {
    const { rows } = await this.pool.query<{ id: string; state: string; retry_count: number }>(
      `SELECT id::text, state::text, retry_count FROM pgboss.job WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id::text, state::text, retry_count FROM pgboss.archive WHERE id = ANY($1::uuid[])`,
      [this.sent],
    );
    return new Map(rows.map((r) => [r.id, { state: r.state, retries: r.retry_count }]));
  }

  /** Waits (bounded) until every job sent has completed; returns the states as they are then. */
  async waitCompleted(
    timeoutMs: number,
    onWait?: (open: number) => void,
  ): Promise<Map<string, { state: string; retries: number }>> {
    const until = Date.now() + timeoutMs;
    let lastNote = 0;
    for (;;) {
      const states = await this.states();
      const open = this.sent.filter((id) => states.get(id)?.state !== 'completed').length;
      if (open === 0 || Date.now() > until) return states;
      if (onWait && Date.now() - lastNote > 15_000) {
        onWait(open);
        lastNote = Date.now();
      }
      await sleep(1000);
    }
  }

  async close() {
    await this.boss.stop({ graceful: false, wait: true, timeout: 2000 }).catch(() => {});
  }
}

export interface JobReport {
  sent: number;
  completed: number;
  /** Sent jobs not completed by the end: lost or stuck. */
  notCompleted: number;
  inFlightAtKill: number;
  /** Jobs caught by each kill, in order. */
  inFlightPerKill: number[];
  /** Of those, completed afterwards by a server started later or by a surviving instance. */
  resumed: number;
  /** Completed jobs that were retried (after an expiry or a failure). */
  retried: number;
  othersActiveAtKill: number;
}

export function jobReport(probe: JobProbe, states: Map<string, { state: string; retries: number }>): JobReport {
  const completed = probe.sent.filter((id) => states.get(id)?.state === 'completed');
  return {
    sent: probe.sent.length,
    completed: completed.length,
    notCompleted: probe.sent.length - completed.length,
    inFlightAtKill: probe.inFlightAtKill.size,
    inFlightPerKill: [...probe.inFlightPerKill],
    resumed: [...probe.inFlightAtKill].filter((id) => states.get(id)?.state === 'completed').length,
    retried: completed.filter((id) => (states.get(id)?.retries ?? 0) > 0).length,
    othersActiveAtKill: probe.othersActiveAtKill.size,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The statutory clock

/**
 * Deadline timers in OneThing are not timers in memory: a case keeps its due date, and the clock sweep sets
 * near-due and overdue from the due date, today and the working-day calendar. To give the sweeps work while
 * servers are killed, the harness puts cases "on the clock" in waves, as if a department had accepted them
 * days ago (status accepted, a due date in the past, within two working days, or far ahead), directly in SQL
 * because only time, which a test cannot wait for, would otherwise bring them there. Afterwards every such
 * case must carry the flags the calendar gives, and each overdue case must have exactly one 'case.overdue'
 * audit row however many sweeps ran, were killed half-way or ran at the same time on two instances.
 */
export class ClockProbe {
  readonly onClock: string[] = [];
  private readonly used = new Set<string>();
  private constructor(
    private readonly pool: pg.Pool,
    private readonly cal: WorkCalendar,
    private readonly today: string,
  ) {}

  static async open(url: string, pool: pg.Pool): Promise<ClockProbe> {
    const db = await openPostgres(url, { max: 1 });
    try {
      return new ClockProbe(pool, await createCalendarService(db).calendar(), systemClock.today());
    } finally {
      await db.close();
    }
  }

  /** Puts the first pending case of up to n acknowledged applications on the clock. */
  async wave(applicationIds: string[], n: number): Promise<number> {
    const fresh = applicationIds.filter((id) => !this.used.has(id)).slice(0, n);
    fresh.forEach((id) => this.used.add(id));
    if (fresh.length === 0) return 0;
    // Overdue long ago, overdue since yesterday, near due (one working day left), and not due for weeks.
    const dues = [
      daysBefore(this.today, 45),
      daysBefore(this.today, 1),
      this.cal.addWorkdays(this.today, 1),
      this.cal.addWorkdays(this.today, 20),
    ];
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE cases c SET status = 'accepted', accepted_on = $2::date, due_date = ($3::date[])[1 + (abs(hashtext(c.id::text)) % 4)],
              statutory_due_date = ($3::date[])[1 + (abs(hashtext(c.id::text)) % 4)], updated_at = now()
        WHERE c.id IN (SELECT DISTINCT ON (application_id) id FROM cases WHERE application_id = ANY($1::uuid[]) AND status = 'pending' ORDER BY application_id, item_code)
        RETURNING c.id::text`,
      [fresh, daysBefore(this.today, 60), dues],
    );
    this.onClock.push(...rows.map((r) => r.id));
    return rows.length;
  }

  async check(): Promise<{
    onClock: number;
    overdue: number;
    nearDue: number;
    wrongFlags: number;
    overdueAuditDuplicates: number;
    overdueAuditMissing: number;
    problems: string[];
  }> {
    const { rows } = await this.pool.query<{
      id: string;
      status: string;
      due_date: string | null;
      paused_since: string | null;
      near_due: boolean;
      overdue: boolean;
      audits: number;
    }>(
      `SELECT c.id::text, c.status, to_char(c.due_date, 'YYYY-MM-DD') AS due_date, to_char(c.paused_since, 'YYYY-MM-DD') AS paused_since, c.near_due, c.overdue,
              (SELECT count(*) FROM audit_events e WHERE e.subject_type = 'case' AND e.subject_id = c.id::text AND e.action = 'case.overdue')::int AS audits
         FROM cases c WHERE c.id = ANY($1::uuid[])`,
      [this.onClock],
    );
    const problems: string[] = [];
    let wrongFlags = 0;
    let dup = 0;
    let missing = 0;
    for (const r of rows) {
      const want = clockFlags(
        { status: r.status as CaseStatus, dueDate: r.due_date, pausedSince: r.paused_since },
        this.today,
        this.cal,
      );
      if (want.overdue !== r.overdue || want.nearDue !== r.near_due) {
        wrongFlags++;
        problems.push(
          `case ${r.id} due ${r.due_date}: near_due=${r.near_due} overdue=${r.overdue}, the calendar says ${want.nearDue}/${want.overdue}`,
        );
      }
      if (r.overdue && r.audits > 1) {
        dup += r.audits - 1;
        problems.push(`case ${r.id}: ${r.audits} 'case.overdue' audit rows for one overdue`);
      }
      if (r.overdue && r.audits === 0) {
        missing++;
        problems.push(`case ${r.id} is overdue without its 'case.overdue' audit row`);
      }
    }
    return {
      onClock: rows.length,
      overdue: rows.filter((r) => r.overdue).length,
      nearDue: rows.filter((r) => r.near_due).length,
      wrongFlags,
      overdueAuditDuplicates: dup,
      overdueAuditMissing: missing,
      problems,
    };
  }
}

function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

export async function checkAuditChain(url: string, auditKeys?: AuditKeyRing): Promise<AuditChainReport> {
  const db = await openPostgres(url, { max: 1, ...(auditKeys ? { auditKeys } : {}) });
  try {
    return await verifyAuditChain(db);
  } finally {
    await db.close();
  }
}

export interface AuditLogCheck {
  report: AuditChainReport;
  /** Checkpoints the servers' job wrote during the run (the seal and the harness's own not counted). */
  byServers: number;
  /** Rows that the servers' checkpoints had recorded before the harness wrote its own. */
  recordedByServers: number;
}

/**
 * The audit log once the load is over: how far the servers' checkpoint job got, then one checkpoint more so that
 * every row is in one, then the verification, which then sees any row removed from a chain's end or any chain
 * removed as well as any row changed.
 */
export async function checkAuditLog(url: string, auditKeys: AuditKeyRing): Promise<AuditLogCheck> {
  const db = await openPostgres(url, { max: 1, auditKeys });
  try {
    const before = await verifyAuditChain(db);
    await writeAuditCheckpoint(db);
    return {
      report: await verifyAuditChain(db),
      byServers: Math.max(before.checkpoints.count - 1, 0),
      recordedByServers: before.rows - before.uncovered,
    };
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The result, as a line for people and as a Vitest-shaped JSON report for scripts/count-results.mjs

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export function writeReport(file: string, suite: string, checks: Check[], extra: Record<string, unknown>) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const passed = checks.filter((c) => c.ok).length;
  const report = {
    numTotalTests: checks.length,
    numPassedTests: passed,
    numFailedTests: checks.length - passed,
    numPendingTests: 0,
    numTodoTests: 0,
    success: passed === checks.length,
    testResults: [
      {
        name: suite,
        status: passed === checks.length ? 'passed' : 'failed',
        assertionResults: checks.map((c) => ({
          title: c.name,
          fullName: `${suite} ${c.name}`,
          status: c.ok ? 'passed' : 'failed',
          failureMessages: c.ok ? [] : [c.detail],
        })),
      },
    ],
    ...extra,
  };
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
