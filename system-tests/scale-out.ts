// Scale-out (npm run test:scale-out). Two OneThing servers share one PostgreSQL and one DATA_DIR (standing in
// for the shared file storage several instances need) behind nginx (Debian's package, installed by .ci/run);
// clients submit through nginx without pause, retrying with the same Idempotency-Key. Mid-load one instance
// is killed with SIGKILL; later it is started again and rejoins. Clock-sweep jobs are queued in waves into the
// servers' own queue while cases are put on the statutory clock, so that both instances' workers take jobs
// from the same queue at the same time and the killed one dies with jobs in hand.
//
// Before the load, twenty wrong passwords from one client (its X-Forwarded-For, as nginx passes it on) lock that
// client only: another client through the same nginx still logs in (TRUSTED_PROXIES, loopback by default).
//
// Checks: every acknowledged submission exactly once with its seven cases (nothing lost with the instance),
// no duplicates; both instances served requests; nginx moved requests off the dead instance; every job
// queued completed once, including those the killed instance had taken (pg-boss gives each job to one worker
// with SELECT … FOR UPDATE SKIP LOCKED, and gives it again only after the holder's expiry passes); the jobs'
// effects happened exactly once although sweeps ran concurrently on two instances (flags as the calendar says,
// one 'case.overdue' audit row per overdue case); the audit chain verifies.
//
// Which instance ran which job is not recorded anywhere (pg-boss keeps no worker identity); what shows that
// any instance takes jobs is that jobs active when B died completed only after a retry (B had taken them: A
// finishes its own without one) and that A then completed them. Loopback only; every loop is bounded.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DEMO_APPLICANT, Load, loginApplicant } from './lib/load.ts';
import { Nginx, Postgres, ROOT, Server, sleep } from './lib/processes.ts';
import {
  checkAuditChain,
  checkSubmissions,
  ClockProbe,
  JobProbe,
  jobReport,
  writeReport,
  type Check,
} from './lib/checks.ts';

const { values: opts } = parseArgs({
  options: {
    clients: { type: 'string', default: '8' },
    'pg-port': { type: 'string', default: '15495' },
    port: { type: 'string', default: '18200' },
    report: { type: 'string', default: path.join(ROOT, 'system-tests/test-results/scale-out.json') },
    keep: { type: 'boolean', default: false },
  },
});
const started = Date.now();
const say = (line: string) =>
  console.log(`[scale-out ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-scale-'));
fs.chmodSync(work, 0o755); // PostgreSQL runs as the postgres user and must reach its directory inside
const shared = path.join(work, 'shared-data');
fs.mkdirSync(shared);
const nginxDir = path.join(work, 'nginx');
fs.mkdirSync(nginxDir);
const runId = crypto.randomBytes(3).toString('hex');
const port = Number(opts.port);

/**
 * Twenty wrong passwords (other usernames each, so that no username lock is what stops them) from one client, then
 * its right password; the right password of another client; of a client that sends no X-Forwarded-For at all.
 * Requests alternate between the instances through nginx: the lock is in the shared database.
 */
async function proxiedLockout(front: string) {
  const attempt = async (username: string, password: string, client?: string) => {
    const res = await fetch(`${front}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(client ? { 'x-forwarded-for': client } : {}) },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(20_000),
    });
    return { status: res.status, code: ((await res.json()) as { code?: string }).code ?? null };
  };
  const guesses: number[] = [];
  for (let i = 0; i < 20; i++)
    guesses.push((await attempt(`guess-${runId}-${i}`, 'wrong-password', '198.51.100.7')).status);
  const guesser = (await attempt('wangqiang', DEMO_APPLICANT.password, '198.51.100.7')).code;
  const otherClient = (await attempt('wangqiang', DEMO_APPLICANT.password, '198.51.100.8')).status;
  const noForwardedFor = (await attempt('wangnainai', DEMO_APPLICANT.password)).status;
  return { guesses, guesser, otherClient, noForwardedFor };
}

let postgres: Postgres | undefined;
const servers: Server[] = [];
let nginx: Nginx | undefined;
let pool: pg.Pool | undefined;
let jobs: JobProbe | undefined;
let ok = false;

try {
  const nginxBin = await Nginx.available();
  if (!nginxBin) throw new Error('nginx is not installed (apt-get install nginx; .ci/run installs it)');
  postgres = await Postgres.start(Number(opts['pg-port']), path.join(work, 'pg'));
  say(`PostgreSQL on ${postgres.url}; ${nginxBin}`);
  // A adds the demo catalogue and accounts the clients use; B runs as production does (SEED_DEMO=false). The demo
  // seed is for one development server and is not meant to run in two instances at once.
  // A few demo accounts submit for the whole load: the per-account abuse limits are lifted for them.
  const env = {
    DATABASE_URL: postgres.url,
    DATA_DIR: shared,
    LOG_LEVEL: 'warn',
    SUBMISSIONS_PER_MINUTE: '1000000',
    UPLOADS_PER_MINUTE: '1000000',
  };
  const a = new Server(
    'instance A',
    port + 1,
    { ...env, SEED_DEMO: 'true', SEED_DEMO_APPLICATIONS: 'false' },
    path.join(work, 'instance-a.log'),
  );
  const b = new Server('instance B', port + 2, { ...env, SEED_DEMO: 'false' }, path.join(work, 'instance-b.log'));
  servers.push(a, b);
  // Both at once on a new database: migrations and the job queue's installation must serialise themselves.
  await Promise.all([a.start(), b.start()]);
  say(`instances ready: A ${a.url} (pid ${a.pid}), B ${b.url} (pid ${b.pid})`);

  nginx = new Nginx(nginxDir, port);
  nginx.writeConfig(path.join(ROOT, 'system-tests/nginx.conf.template'), [
    `127.0.0.1:${a.port}`,
    `127.0.0.1:${b.port}`,
  ]);
  await nginx.start();
  const front = `http://127.0.0.1:${port}`;
  say(`nginx on ${front} → A, B`);

  const lockout = await proxiedLockout(front);
  say(`lockout through nginx: ${JSON.stringify(lockout)}`);

  pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
  pool.on('error', () => {});
  jobs = await JobProbe.open(postgres.url, pool);
  const clock = await ClockProbe.open(postgres.url, pool);
  const token = await loginApplicant(front);
  const load = new Load({
    baseUrl: () => front,
    token,
    clients: Number(opts.clients),
    prefix: `scale-${runId}`,
    resendShare: 0.15,
    maxAttempts: 400,
  });
  load.start();
  const ackedIds = () => load.acknowledged.map((o) => o.ack!.id);
  // Enough jobs per wave that both instances' workers (batches of up to 20) take some at the same time.
  const wave = async () => {
    const n = await clock.wave(ackedIds(), 40);
    await jobs!.send(30);
    return n;
  };

  await sleep(4000);
  say(
    `wave 1: ${await wave()} cases put on the clock, 30 sweep jobs queued; acknowledged so far ${load.acknowledged.length}`,
  );
  await sleep(3000);
  // Kill B while it holds jobs: each instance's worker holds at most one batch of 20, so more than 20 of these
  // jobs active at once means some are in B's hands.
  const wave2 = await clock.wave(ackedIds(), 40);
  await jobs.send(60);
  const until = Date.now() + 10_000;
  let active = 0;
  while ((active = (await jobs.activeNow()).ours.length) <= 20 && Date.now() < until) await sleep(20);
  say(`wave 2: ${wave2} cases put on the clock, 60 sweep jobs queued; ${active} active`);
  const ackedAtKill = load.acknowledged.length;
  await b.kill();
  // Active now: jobs in the hands of A (which finishes them) or of the dead B (which never will: they complete
  // only after pg-boss expired them and A took them again, so they end with a retry count above zero).
  const atKill = await jobs.activeNow();
  atKill.others.forEach((id) => jobs!.othersActiveAtKill.add(id));
  say(
    `SIGKILL instance B under load (acknowledged so far ${ackedAtKill}); ${atKill.ours.length} sweep jobs active on A or B at that moment`,
  );

  await sleep(3000);
  say(`wave 3 (A alone): ${await wave()} cases put on the clock, 30 sweep jobs queued`);
  await sleep(4000);
  await b.start();
  say(`instance B started again (pid ${b.pid}); acknowledged so far ${load.acknowledged.length}`);
  await sleep(4000);
  say(`wave 4: ${await wave()} cases put on the clock, 30 sweep jobs queued`);
  await sleep(5000);
  await clock.wave(ackedIds(), 40);
  await load.stop(90_000);
  await jobs.send(2);
  say(
    `load stopped: ${load.acknowledged.length} acknowledged; waiting for the jobs B took (pg-boss maintenance on A, 120 s after it started, expires them)`,
  );
  const states = await jobs.waitCompleted(Math.max(a.startedAt + 160_000 - Date.now(), 10_000), (open) =>
    say(`  ${open} jobs not completed yet`),
  );

  for (const id of atKill.ours) if ((states.get(id)?.retries ?? 0) > 0) jobs.inFlightAtKill.add(id);
  const subs = await checkSubmissions(pool, load.outcomes, `scale-${runId}`, shared);
  const job = jobReport(jobs, states);
  const clk = await clock.check();
  const audit = await checkAuditChain(postgres.url);
  const access = fs.readFileSync(path.join(nginxDir, 'access.log'), 'utf8').split('\n').filter(Boolean);
  const servedBy = (p: number) =>
    access.filter(
      (l) =>
        new RegExp(`upstream="(?:[^"]*, )?127\\.0\\.0\\.1:${p}"`).test(l) && !/ 50[234] /.test(l.split('"')[2] ?? ''),
    ).length;
  const failedOver = access.filter((l) => /upstream="[^"]*, /.test(l)).length;
  const nginx502 = access.filter((l) => / 502 /.test(l.split('"')[2] ?? '')).length;
  const served = { A: servedBy(a.port), B: servedBy(b.port) };

  const checks: Check[] = [
    {
      name: 'no acknowledged submission lost with the killed instance',
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
      name: 'every client got its 2xx through nginx (no retries exhausted, no 4xx)',
      ok: subs.failures.length === 0 && subs.unacknowledged === 0,
      detail: [...subs.failures.slice(0, 20), `unacknowledged=${subs.unacknowledged}`].join('\n'),
    },
    {
      name: 'a resend after a 2xx returns the same application from either instance',
      ok: subs.resendMismatches === 0,
      detail: subs.problems
        .filter((p) => p.startsWith('resend'))
        .slice(0, 20)
        .join('\n'),
    },
    {
      name: 'every acknowledged upload is in the shared storage byte for byte',
      ok: subs.uploadsMissing === 0,
      detail: subs.problems
        .filter((p) => p.startsWith('upload'))
        .slice(0, 20)
        .join('\n'),
    },
    {
      name: 'twenty wrong passwords from one client through nginx lock that client only',
      ok:
        lockout.guesses.every((st) => st === 401) &&
        lockout.guesser === 'auth.locked' &&
        lockout.otherClient === 200 &&
        lockout.noForwardedFor === 200,
      detail: JSON.stringify(lockout),
    },
    { name: 'both instances served requests', ok: served.A > 0 && served.B > 0, detail: JSON.stringify(served) },
    {
      name: 'every job queued completed, also those the killed instance had taken (at least one)',
      ok: job.notCompleted === 0 && job.inFlightAtKill > 0 && job.resumed === job.inFlightAtKill,
      detail: JSON.stringify(job),
    },
    {
      name: 'job effects exactly once with two instances sweeping: calendar flags, one overdue audit row per case',
      ok: clk.wrongFlags === 0 && clk.overdueAuditDuplicates === 0 && clk.overdueAuditMissing === 0 && clk.overdue > 0,
      detail: clk.problems.slice(0, 20).join('\n'),
    },
    {
      name: 'the audit chain verifies',
      ok: audit.brokenCount === 0,
      detail: JSON.stringify(audit.broken.slice(0, 10)),
    },
    {
      name: 'instance A kept running throughout',
      ok: a.unexpectedExits === 0 && a.starts === 1,
      detail: `exits ${a.unexpectedExits}, starts ${a.starts}`,
    },
  ];
  ok = checks.every((c) => c.ok);
  const seconds = Math.round((Date.now() - started) / 1000);

  console.log('');
  console.log(
    `instances=2, killed=1, acknowledged=${subs.acknowledged}, found=${subs.found}, duplicates=${subs.duplicates}, lost=${subs.lost}`,
  );
  console.log(
    `  served_by: A=${served.A}, B=${served.B}; nginx: failed_over=${failedOver}, 502=${nginx502}; clients: requests=${load.stats.requests}, cut_off=${load.stats.cutOff}, 5xx=${load.stats.serverErrors}, ` +
      `answered_by_replay=${subs.answeredByReplay}, resends=${subs.resends} (mismatches ${subs.resendMismatches}), uploads=${subs.uploadsAcknowledged} (missing ${subs.uploadsMissing})`,
  );
  console.log(
    `  jobs: sent=${job.sent}, completed=${job.completed}, taken_by_killed_instance=${job.inFlightAtKill}, resumed_by_survivor=${job.resumed}, retried=${job.retried}, not_completed=${job.notCompleted}`,
  );
  console.log(
    `  clock: on_clock=${clk.onClock}, overdue=${clk.overdue}, near_due=${clk.nearDue}, wrong_flags=${clk.wrongFlags}, overdue_audit_duplicates=${clk.overdueAuditDuplicates}`,
  );
  console.log(`  audit chain: ${audit.rows} rows in ${audit.subjects} subjects, ${audit.brokenCount} broken`);
  for (const c of checks)
    console.log(
      `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `\n       ${c.detail.replaceAll('\n', '\n       ')}`}`,
    );
  console.log(
    `scale-out test ${ok ? 'PASSED' : 'FAILED'}: ${checks.filter((c) => c.ok).length} of ${checks.length} checks, ${seconds} s`,
  );
  writeReport(opts.report, 'system-tests/scale-out.ts', checks, {
    summary: {
      servedBy: served,
      failedOver,
      nginx502,
      ...subs,
      problems: subs.problems.slice(0, 50),
      failures: subs.failures.slice(0, 50),
      jobs: job,
      clock: { ...clk, problems: clk.problems.slice(0, 50) },
      audit: { rows: audit.rows, broken: audit.brokenCount },
      seconds,
    },
  });
} catch (err) {
  console.error(`scale-out test ERROR: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  writeReport(
    opts.report,
    'system-tests/scale-out.ts',
    [{ name: 'the scale-out test ran to the end', ok: false, detail: String(err) }],
    {},
  );
} finally {
  await jobs?.close();
  await pool?.end().catch(() => {});
  await nginx?.stop().catch(() => {});
  for (const s of servers) await s.stop().catch(() => {});
  await postgres?.stop().catch(() => {});
  if (ok && !opts.keep) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`logs and data kept in ${work}`);
}
process.exit(ok ? 0 : 1);
