// Crash durability (npm run test:crash). One OneThing server on a throwaway PostgreSQL with durable commits
// (fsync and synchronous_commit on); clients submit newborn applications without pause, each with its own
// Idempotency-Key, retrying with the same key until they get a 2xx. Meanwhile:
//
//   - the server is killed with SIGKILL at a random moment, again and again (--cycles, default 10), and started
//     again each time; before each kill, cases are put on the statutory clock and clock-sweep jobs are queued,
//     and the kill waits (bounded) until the running server holds one of them, so that kills land in the middle
//     of submissions, of uploads and of jobs; the kills counted are the exits by SIGKILL observed, and the jobs
//     in flight those that pgboss.job showed fetched by that server just before the kill and still active after;
//   - then, with the last server running, PostgreSQL itself is killed with SIGKILL (--postgres-kills, default 3)
//     and brought back by crash recovery while the server keeps serving.
//
// Afterwards: every submission that got a 2xx is in the database exactly once with its seven cases, its audit
// row and its notification; no (applicant, Idempotency-Key) has two applications and every resend returned the
// same application; every acknowledged upload is on disk byte for byte; every job queued completed, also the
// ones a kill caught in flight (pg-boss expires and retries them); every case on the clock carries the flags
// the calendar gives, each overdue recorded once; the audit log verifies under the run's AUDIT_KEY with every row
// in a checkpoint (the servers' minute job, then one more), so that a chain cut short would show too. The first
// line of the summary is
// `cycles=…, acknowledged=…, found=…, duplicates=…, lost=…`; the exit code is 1 on any failed check.
// Loopback only; every loop is bounded in attempts and time.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Load, loginApplicant } from './lib/load.ts';
import { Postgres, ROOT, Server, sleep } from './lib/processes.ts';
import { parseAuditKeys } from '../server/src/platform/audit-keys.ts';
import {
  checkAuditLog,
  checkSubmissions,
  ClockProbe,
  JobProbe,
  jobReport,
  writeReport,
  type Check,
} from './lib/checks.ts';

const { values: opts } = parseArgs({
  options: {
    cycles: { type: 'string', default: '10' },
    'postgres-kills': { type: 'string', default: '3' },
    clients: { type: 'string', default: '8' },
    'pg-port': { type: 'string', default: '15493' },
    port: { type: 'string', default: '18101' },
    report: { type: 'string', default: path.join(ROOT, 'system-tests/test-results/crash.json') },
    keep: { type: 'boolean', default: false },
  },
});
const cycles = Number(opts.cycles);
const pgKills = Number(opts['postgres-kills']);
const started = Date.now();
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
const say = (line: string) => console.log(`[crash ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-crash-'));
fs.chmodSync(work, 0o755); // PostgreSQL runs as the postgres user and must reach its directory inside
const dataDir = path.join(work, 'data');
fs.mkdirSync(dataDir);
const runId = crypto.randomBytes(3).toString('hex');
// The server signs the audit log with this; the final check verifies with it.
const auditKey = `crash:${crypto.randomBytes(32).toString('base64')}`;

let postgres: Postgres | undefined;
let server: Server | undefined;
let pool: pg.Pool | undefined;
let jobs: JobProbe | undefined;
let ok = false;

try {
  postgres = await Postgres.start(Number(opts['pg-port']), path.join(work, 'pg'));
  say(`PostgreSQL on ${postgres.url} (fsync and synchronous_commit on)`);
  server = new Server(
    'server',
    Number(opts.port),
    {
      DATABASE_URL: postgres.url,
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      SEED_DEMO_APPLICATIONS: 'false',
      LOG_LEVEL: 'warn',
      SUBMISSIONS_PER_MINUTE: '1000000',
      UPLOADS_PER_MINUTE: '1000000',
      AUDIT_KEY: auditKey,
    },
    path.join(work, 'server.log'),
  );
  await server.start();
  say(`server ready on ${server.url} (node server/bin/server.mjs, pid ${server.pid})`);

  pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
  pool.on('error', () => {}); // idle connections die with PostgreSQL; the pool replaces them
  jobs = await JobProbe.open(postgres.url, pool);
  // When the running server started, by the database's clock: the jobs it fetched since are the ones it holds.
  let serverSince = await jobs.now();
  const clock = await ClockProbe.open(postgres.url, pool);
  const token = await loginApplicant(server.url);
  const srv = server;
  const load = new Load({
    baseUrl: () => srv.url,
    token,
    clients: Number(opts.clients),
    prefix: `crash-${runId}`,
    resendShare: 0.15,
    maxAttempts: 400,
  });
  load.start();
  const ackedIds = () => load.acknowledged.map((o) => o.ack!.id);

  // Kills must land under load: after each start, wait for the clients to get answers again (a slow machine
  // may need seconds for that), then pick the moment at random.
  const underLoad = async () => {
    const before = load.acknowledged.length;
    const until = Date.now() + 15_000;
    while (load.acknowledged.length < before + 3 && Date.now() < until) await sleep(100);
  };

  for (let cycle = 1; cycle <= cycles; cycle++) {
    await underLoad();
    await sleep(rand(300, 2000));
    const onClock = await clock.wave(ackedIds(), 15);
    await jobs.send(6);
    const before = await jobs.waitHeld(5000, serverSince);
    const killsBefore = server.sigkills;
    await server.kill();
    const active = await jobs.activeNow();
    const caught = jobs.recordKill(before, active.ours);
    active.others.forEach((id) => jobs!.othersActiveAtKill.add(id));
    const downFor = rand(0, 800);
    say(
      `cycle ${cycle}: ${server.sigkills > killsBefore ? 'exited by SIGKILL' : 'NOT ended by SIGKILL'}; acknowledged so far ${load.acknowledged.length}; jobs in flight ${caught} (+${active.others.length} cron); ${onClock} cases put on the clock; down ≥ ${Math.round(downFor)} ms`,
    );
    await sleep(downFor);
    await server.start();
    serverSince = await jobs.now();
  }

  // The last server stays up from here; pg-boss maintenance on it (every 120 s) expires the jobs cut off above.
  for (let k = 1; k <= pgKills; k++) {
    await underLoad();
    await sleep(rand(3000, 6000));
    await clock.wave(ackedIds(), 15);
    await jobs.send(6);
    await sleep(rand(0, 1000));
    const before = load.acknowledged.length;
    await postgres.crash();
    const downFor = rand(300, 1500);
    await sleep(downFor);
    await postgres.resume();
    say(
      `PostgreSQL SIGKILL ${k}: acknowledged so far ${before}; back after crash recovery (down ≥ ${Math.round(downFor)} ms); server ${server.running ? 'still running' : 'EXITED'}`,
    );
    if (!server.running) await server.start();
  }

  await sleep(3000);
  await clock.wave(ackedIds(), 15);
  await load.stop(90_000);
  // The last sweep runs after the last wave; every job sent must complete, the cut-off ones after maintenance.
  await jobs.send(2);
  const waitUntil = server.startedAt + 160_000;
  say(
    `load stopped: ${load.acknowledged.length} acknowledged; waiting for the jobs (pg-boss maintenance runs 120 s after the server started)`,
  );
  const states = await jobs.waitCompleted(Math.max(waitUntil - Date.now(), 10_000), (open) =>
    say(`  ${open} jobs not completed yet`),
  );

  const subs = await checkSubmissions(pool, load.outcomes, `crash-${runId}`, dataDir);
  const job = jobReport(jobs, states);
  const clk = await clock.check();
  const auditLog = await checkAuditLog(postgres.url, parseAuditKeys(auditKey));
  const audit = auditLog.report;
  const killsWithJobs = job.inFlightPerKill.filter((n) => n > 0).length;

  const checks: Check[] = [
    {
      name: 'at least 10 kills of the server, each an exit by SIGKILL',
      ok: server.sigkills >= 10 && server.sigkills === cycles,
      detail: `exits by SIGKILL observed=${server.sigkills}, cycles=${cycles}, starts=${server.starts}`,
    },
    {
      name: 'no acknowledged submission lost',
      ok: subs.lost === 0,
      detail: subs.problems
        .filter((p) => p.startsWith('lost'))
        .slice(0, 20)
        .join('\n'),
    },
    {
      name: 'no duplicate application for any (applicant, Idempotency-Key) or number',
      ok: subs.duplicates === 0,
      detail: subs.problems
        .filter((p) => p.startsWith('duplicate'))
        .slice(0, 20)
        .join('\n'),
    },
    {
      name: 'every application has its 7 cases, one audit row and one notification',
      ok: subs.incomplete === 0,
      detail: subs.problems
        .filter((p) => p.startsWith('incomplete'))
        .slice(0, 20)
        .join('\n'),
    },
    {
      name: 'every client got its 2xx (no retries exhausted, no 4xx, nothing committed unacknowledged)',
      ok: subs.failures.length === 0 && subs.unacknowledged === 0,
      detail: [...subs.failures.slice(0, 20), `unacknowledged=${subs.unacknowledged}`].join('\n'),
    },
    {
      name: 'a resend after a 2xx returns the same application, marked replayed',
      ok: subs.resendMismatches === 0,
      detail: subs.problems
        .filter((p) => p.startsWith('resend'))
        .slice(0, 20)
        .join('\n'),
    },
    {
      name: 'every acknowledged upload is on disk byte for byte',
      ok: subs.uploadsMissing === 0,
      detail: subs.problems
        .filter((p) => p.startsWith('upload'))
        .slice(0, 20)
        .join('\n'),
    },
    {
      name: 'every job queued completed, also those in flight at a kill',
      ok: job.notCompleted === 0 && job.resumed === job.inFlightAtKill,
      detail: JSON.stringify(job),
    },
    {
      // Found active in pgboss.job just before the kill and still so after it; a run whose kills hit no job
      // would say nothing about jobs cut off.
      name: 'jobs were in flight at the kills: at least one at half of them or more',
      ok: job.inFlightAtKill > 0 && killsWithJobs >= Math.ceil(cycles / 2),
      detail: `jobs in flight per kill: ${JSON.stringify(job.inFlightPerKill)}`,
    },
    {
      name: 'cases on the clock carry the calendar’s flags; each overdue audited once',
      ok: clk.wrongFlags === 0 && clk.overdueAuditDuplicates === 0 && clk.overdueAuditMissing === 0 && clk.overdue > 0,
      detail: clk.problems.slice(0, 20).join('\n'),
    },
    {
      name: 'the audit log verifies, every row in a checkpoint, the servers’ checkpoint job having run',
      ok: audit.brokenCount === 0 && audit.uncovered === 0 && auditLog.byServers > 0,
      detail: JSON.stringify({
        broken: audit.broken.slice(0, 10),
        brokenCheckpoints: audit.brokenCheckpoints.slice(0, 10),
        uncovered: audit.uncovered,
        checkpointsByServers: auditLog.byServers,
      }),
    },
    {
      name: 'the server kept running while PostgreSQL was killed and recovered',
      ok: server.unexpectedExits === 0,
      detail: `unexpected exits: ${server.unexpectedExits}`,
    },
  ];
  ok = checks.every((c) => c.ok);
  const seconds = Math.round((Date.now() - started) / 1000);

  console.log('');
  console.log(
    `cycles=${cycles}, acknowledged=${subs.acknowledged}, found=${subs.found}, duplicates=${subs.duplicates}, lost=${subs.lost}`,
  );
  console.log(
    `  sigkills_observed=${server.sigkills}, kills_with_jobs_in_flight=${killsWithJobs}, jobs_in_flight_per_kill=${JSON.stringify(job.inFlightPerKill)}`,
  );
  console.log(
    `  postgres_kills=${postgres.kills}, submissions=${subs.submissions}, answered_by_replay=${subs.answeredByReplay}, resends=${subs.resends} (mismatches ${subs.resendMismatches}), ` +
      `incomplete=${subs.incomplete}, uploads=${subs.uploadsAcknowledged} (missing ${subs.uploadsMissing})`,
  );
  console.log(
    `  requests=${load.stats.requests}, refused=${load.stats.refused}, cut_off=${load.stats.cutOff}, 5xx=${load.stats.serverErrors}, by_status=${JSON.stringify(load.stats.byStatus)}`,
  );
  console.log(
    `  jobs: sent=${job.sent}, completed=${job.completed}, in_flight_at_kill=${job.inFlightAtKill}, resumed=${job.resumed}, retried=${job.retried}, not_completed=${job.notCompleted}; ` +
      `cron jobs left active by kills=${job.othersActiveAtKill} (expire after pg-boss's default 15 min)`,
  );
  console.log(
    `  clock: on_clock=${clk.onClock}, overdue=${clk.overdue}, near_due=${clk.nearDue}, wrong_flags=${clk.wrongFlags}, overdue_audit_duplicates=${clk.overdueAuditDuplicates}`,
  );
  console.log(
    `  audit log: ${audit.rows} rows in ${audit.subjects} subjects, ${audit.brokenCount} broken, ${audit.checkpoints.count} checkpoints (${auditLog.byServers} by the servers' job, recording ${auditLog.recordedByServers} rows), ${audit.uncovered} rows in none`,
  );
  for (const c of checks)
    console.log(
      `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `\n       ${c.detail.replaceAll('\n', '\n       ')}`}`,
    );
  console.log(
    `crash test ${ok ? 'PASSED' : 'FAILED'}: ${checks.filter((c) => c.ok).length} of ${checks.length} checks, ${seconds} s`,
  );
  writeReport(opts.report, 'system-tests/crash.ts', checks, {
    summary: {
      cycles,
      sigkills: server.sigkills,
      postgresKills: postgres.kills,
      ...subs,
      problems: subs.problems.slice(0, 50),
      failures: subs.failures.slice(0, 50),
      jobs: job,
      clock: { ...clk, problems: clk.problems.slice(0, 50) },
      audit: {
        rows: audit.rows,
        broken: audit.brokenCount,
        uncovered: audit.uncovered,
        checkpoints: audit.checkpoints.count,
        checkpointsByServers: auditLog.byServers,
      },
      seconds,
    },
  });
} catch (err) {
  console.error(`crash test ERROR: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  writeReport(
    opts.report,
    'system-tests/crash.ts',
    [{ name: 'the crash test ran to the end', ok: false, detail: String(err) }],
    {},
  );
} finally {
  await jobs?.close();
  await pool?.end().catch(() => {});
  await server?.stop().catch(() => {});
  await postgres?.stop().catch(() => {});
  if (ok && !opts.keep) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`logs and data kept in ${work}`);
}
process.exit(ok ? 0 : 1);
