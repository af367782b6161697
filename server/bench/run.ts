// `npm run bench`: the intake benchmark. A throwaway PostgreSQL 15 (fsync on) filled with 1,000,000 cases,
// the real server over HTTP with 64 clients submitting the newborn bundle, the same rows written by a bare pg
// transaction, the department queue, and the server on embedded PGlite. Writes docs/benchmarks.md.
// A benchmark, not a test: it is not part of `npm test`. Settings: see ENV below and docs/benchmarks.md.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openPglite, openPostgres, type Database } from '../src/platform/db.ts';
import { parseAuditKeys } from '../src/platform/audit-keys.ts';
import { migrate } from '../src/platform/migrate.ts';
import { createServices } from '../src/app.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/seed.ts';
import { chinaDay } from '../src/platform/clock.ts';
import { queue as queueSql } from '../src/modules/cases/cases.repository.ts';
import { QUEUE_COUNT_CAP } from '../src/modules/cases/cases.domain.ts';
import { addDays, newbornSubmission, SAMPLE_PDF } from './newborn.ts';
import { seedCases, type SeedResult } from './seed-cases.ts';
import { bareWriter, readTemplate, type Query, type SubmissionTemplate } from './bare.ts';
import {
  busyProcesses,
  cpuSeconds,
  freePort,
  machine,
  machineCpu,
  parentOf,
  runLoad,
  sleep,
  startChild,
  timeSequential,
  treeCpuSeconds,
  waitFor,
  type Child,
  type CpuSplit,
  type LoadResult,
  type Machine,
} from './lib.ts';
import { chromiumPath, topUpOpenCases, workbenchFirstPage } from './browser.ts';
import { renderFigures, writeReport, type Autovacuums, type PgliteResults, type Results } from './report.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function num(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v.replaceAll('_', ''));
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number: ${v}`);
  return n;
}

export const ENV = {
  cases: num('BENCH_CASES', 1_000_000),
  seconds: num('BENCH_SECONDS', 30),
  clients: num('BENCH_CLIENTS', 64),
  warmup: num('BENCH_WARMUP', 5),
  queueRuns: num('BENCH_QUEUE_RUNS', 500),
  pglite: process.env.BENCH_PGLITE !== '0',
  /** The workbench's first page in Chromium with 100,000 open cases of one department (BENCH_BROWSER=0 skips it). */
  browser: process.env.BENCH_BROWSER !== '0',
  browserRuns: num('BENCH_BROWSER_RUNS', 20),
  /** First loads (each in a fresh browser context) and browser restarts of a returning reviewer. */
  browserFirstLoads: num('BENCH_BROWSER_FIRST', 20),
  browserRestarts: num('BENCH_BROWSER_RESTARTS', 20),
  pgliteSeconds: num('BENCH_PGLITE_SECONDS', 20),
  pgliteClients: num('BENCH_PGLITE_CLIENTS', 8),
  pgPort: process.env.BENCH_PGPORT || '15433',
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  /** Leave the bench's database in BENCH_DATABASE_URL's cluster afterwards, to look into it (a cluster of its own still stops). */
  keepDatabase: process.env.BENCH_KEEP_DATABASE === '1',
  out: path.resolve(ROOT, process.env.BENCH_OUT || 'docs/benchmarks.md'),
  /** Extra node flags for the server processes, e.g. --cpu-prof --cpu-prof-dir=/tmp/prof. */
  serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS || '').split(' ').filter(Boolean),
};

/** The code measured: the commit, and whether the server's files differ from it. */
async function codeVersion(): Promise<string> {
  if (process.env.BENCH_CODE) return process.env.BENCH_CODE;
  try {
    const head = (await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })).stdout.trim();
    const dirty = (
      await run('git', ['status', '--porcelain', '--', 'server/src', 'server/migrations', 'server/seed', 'shared'], {
        cwd: ROOT,
      })
    ).stdout.trim();
    return dirty
      ? `${head} with uncommitted changes in ${[...new Set(dirty.split('\n').map((l) => l.slice(3).split('/').slice(0, 3).join('/')))].join(', ')}`
      : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

const log = (msg: string) => console.error(`bench ${new Date().toISOString().slice(11, 19)} ${msg}`);

// ---- cleanup, also on failure and on signals ----

const cleanups: Array<{ name: string; fn: () => Promise<void> }> = [];
function onCleanup(name: string, fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  const once = () => (done ??= fn());
  cleanups.push({ name, fn: once });
  return once;
}
async function cleanup(): Promise<void> {
  while (cleanups.length) {
    const c = cleanups.pop()!;
    try {
      await c.fn();
    } catch (err) {
      console.error(`bench: cleanup ${c.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping everything`);
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

// ---- HTTP helpers ----

async function http(
  base: string,
  method: string,
  url: string,
  options: {
    token?: string;
    json?: unknown;
    body?: string | Uint8Array<ArrayBuffer>;
    headers?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array<ArrayBuffer> | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const res = await fetch(`${base}${url}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, text };
}

/**
 * Logs a demo account in over HTTP. Staff need a one-time code; the bench reads it from the notification outbox, as
 * the SMS relay does, and answers the challenge.
 */
async function login(base: string, q: Query, username: string, password: string): Promise<string> {
  const r = await http(base, 'POST', '/api/v1/auth/login', { json: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text.slice(0, 300)}`);
  const step = JSON.parse(r.text) as { token?: string; challenge?: { id: string } };
  if (step.token) return step.token;
  if (!step.challenge) throw new Error(`login ${username}: neither a session nor a challenge: ${r.text.slice(0, 300)}`);
  const { rows } = await q(
    `SELECT payload->>'code' AS code FROM notifications WHERE kind = 'auth.otp' AND payload->>'challengeId' = $1`,
    [step.challenge.id],
  );
  if (!rows[0]?.code)
    throw new Error(`login ${username}: no one-time code in the outbox for challenge ${step.challenge.id}`);
  const v = await http(base, 'POST', '/api/v1/auth/login/verify', {
    json: { challengeId: step.challenge.id, code: String(rows[0].code) },
  });
  if (v.status !== 200) throw new Error(`login ${username} (one-time code): ${v.status} ${v.text.slice(0, 300)}`);
  return (JSON.parse(v.text) as { token: string }).token;
}

async function upload(base: string, token: string): Promise<string> {
  const r = await http(base, 'POST', '/api/v1/files', {
    token,
    body: new Uint8Array(SAMPLE_PDF),
    headers: { 'content-type': 'application/pdf', 'x-file-name': 'invoice.pdf' },
  });
  if (r.status !== 201) throw new Error(`upload: ${r.status} ${r.text.slice(0, 300)}`);
  return (JSON.parse(r.text) as { id: string }).id;
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map((x, j) => fn(x, i + j)))));
  return out;
}

interface Applicant {
  username: string;
  id: string;
  token: string;
  fileId: string;
  body: string;
}

/**
 * Applicant accounts through the identity service (real scrypt hashes), against the server's database, each logged in
 * through the same service: the password step from an address of its own, as 64 people at 64 devices would, since
 * the login guard allows one address 60 steps a minute. The sessions live in the database the server reads.
 */
async function createApplicants(
  services: ReturnType<typeof createServices>,
  count: number,
  password: string,
  prefix: string,
): Promise<Array<{ username: string; id: string; token: string }>> {
  const names = Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`);
  return inBatches(names, 4, async (username, i) => {
    const id = await services.identity.createAccount({
      kind: 'person',
      username,
      displayName: `压测申请人${i + 1}`,
      password,
      roles: ['applicant'],
    });
    const step = await services.identity.beginLogin(username, password, {
      ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      requestId: `bench-login-${i}`,
      userAgent: 'onething-bench',
    });
    if (step.next !== 'session') throw new Error(`login ${username}: a second factor was asked for`);
    return { username, id, token: step.token };
  });
}

async function readyApplicants(
  base: string,
  accounts: Array<{ username: string; id: string; token: string }>,
  today: string,
): Promise<Applicant[]> {
  // The portal submits the version of the bundle it showed (web/src/routes/citizen/apply/ReviewStep.tsx): read it
  // as the apply page does.
  const shown = await http(base, 'GET', '/api/v1/catalogue/bundles/newborn');
  if (shown.status !== 200) throw new Error(`the newborn bundle: ${shown.status} ${shown.text.slice(0, 300)}`);
  const { version } = JSON.parse(shown.text) as { version: number };
  return inBatches(accounts, 4, async (a) => {
    const fileId = await upload(base, a.token);
    return { ...a, fileId, body: JSON.stringify(newbornSubmission(fileId, addDays(today, -5), version)) };
  });
}

function submitter(base: string, applicants: Applicant[], runId: string) {
  return async (client: number, n: number) => {
    const a = applicants[client % applicants.length]!;
    const res = await fetch(`${base}/api/v1/applications`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${a.token}`,
        'content-type': 'application/json',
        'idempotency-key': `bench-${runId}-${client}-${n}`,
      },
      body: a.body,
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  };
}

/**
 * The servers run in production mode, so personal data is encrypted at rest and the figures include that cost. The
 * in-process services that create the bench's accounts use the same fresh keys (BENCH_PII_KEYS and
 * BENCH_PII_HASH_KEY give them instead, so that a server can be started on a database kept with BENCH_KEEP_DATABASE;
 * BENCH_SSO_KEY_ENCRYPTION_KEY likewise for the SSO keys production seals).
 */
const PII = {
  PII_KEYS: process.env.BENCH_PII_KEYS || `bench:${crypto.randomBytes(32).toString('base64')}`,
  PII_HASH_KEY: process.env.BENCH_PII_HASH_KEY || crypto.randomBytes(32).toString('base64'),
  // Production refuses to start without it; the in-process connections below sign with the same key.
  AUDIT_KEY: `bench:${crypto.randomBytes(32).toString('base64')}`,
};
const SSO = {
  SSO_KEY_ENCRYPTION_KEY: process.env.BENCH_SSO_KEY_ENCRYPTION_KEY || crypto.randomBytes(32).toString('base64'),
};
const benchAuditKeys = parseAuditKeys(PII.AUDIT_KEY);

async function startServer(
  label: string,
  env: Record<string, string>,
  dataDir: string,
): Promise<{ base: string; child: Child; stop: () => Promise<void> }> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const k of [
    'DATABASE_URL',
    'PORT',
    'HOST',
    'DATA_DIR',
    'SEED_DEMO',
    'SEED_DEMO_APPLICATIONS',
    'LOG_LEVEL',
    'NODE_ENV',
    'JOBS_WORKERS',
    'NODE_OPTIONS',
  ])
    delete childEnv[k];
  // Each bench applicant submits about twice a second: the per-account abuse limits are set out of its way (the
  // limiter still runs on every request).
  const limits = { SUBMISSIONS_PER_MINUTE: '1000000', UPLOADS_PER_MINUTE: '1000000' };
  Object.assign(
    childEnv,
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
      SEED_DEMO_APPLICATIONS: 'false',
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
    },
    PII,
    SSO,
    limits,
    env,
  );
  const child = startChild(process.execPath, [...ENV.serverNodeArgs, 'server/bin/server.mjs'], {
    cwd: ROOT,
    env: childEnv,
    logFile: path.join(dataDir, `${label}-server.log`),
  });
  const stop = onCleanup(`${label} server`, () => child.stop());
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/readyz`, child, 180_000);
  return { base, child, stop };
}

async function countRows(q: Query, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await q(`SELECT count(*)::bigint AS n FROM ${t}`)).rows[0].n);
  return out;
}

const PUBLIC_TABLES_SQL = `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`;

/** Submits once and returns the rows per table it wrote. */
async function probeSubmission(
  q: Query,
  base: string,
  a: Applicant,
  runId: string,
): Promise<{ applicationId: string; rows: Record<string, number>; cases: number }> {
  const tables = (await q(PUBLIC_TABLES_SQL)).rows.map((r) => String(r.t));
  const before = await countRows(q, tables);
  const r = await http(base, 'POST', '/api/v1/applications', {
    token: a.token,
    body: a.body,
    headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${runId}-probe` },
  });
  if (r.status !== 201) throw new Error(`probe submission: ${r.status} ${r.text.slice(0, 500)}`);
  const view = JSON.parse(r.text) as { id: string; cases: unknown[] };
  const after = await countRows(q, tables);
  const rows: Record<string, number> = {};
  for (const t of tables) if (after[t] !== before[t]) rows[t] = after[t]! - before[t]!;
  return { applicationId: view.id, rows, cases: view.cases.length };
}

/** Statements the server sends to PostgreSQL for one submission (log_statement = all, own cluster only). */
async function countStatements(
  admin: pg.Client,
  logFile: string,
  submit: () => Promise<void>,
): Promise<{ total: number; inTransaction: number; byKind: Record<string, number> } | undefined> {
  if (!fs.existsSync(logFile)) return undefined;
  await admin.query(`ALTER SYSTEM SET log_statement = 'all'`);
  await admin.query('SELECT pg_reload_conf()');
  await sleep(500);
  const startSize = fs.statSync(logFile).size;
  try {
    await submit();
    await sleep(300);
  } finally {
    await admin.query('ALTER SYSTEM RESET log_statement');
    await admin.query('SELECT pg_reload_conf()');
  }
  const lines = fs.readFileSync(logFile).subarray(startSize).toString('utf8').split('\n');
  const stmts: Array<{ pid: string; sql: string }> = [];
  for (const line of lines) {
    const m = /\[(\d+)\][^\n]*?LOG:\s+(?:statement|execute [^:]*):\s+(.*)$/.exec(line);
    if (!m) continue;
    const sql = m[2]!;
    // Only the submission's own statements: the job queue (pg-boss) polls through the same pool meanwhile.
    if (
      !/^(BEGIN|COMMIT|ROLLBACK)$|\b(applications|cases|case_events|audit_events|notifications|accounts|sessions|bundle_versions|service_item_versions|files|calendar_years|correction_notices|application_number_seq|pg_advisory_xact_lock)\b|"(applications|cases|case_events|audit_events|notifications|accounts|sessions|bundle_versions|service_item_versions|files|calendar_years|correction_notices)"/.test(
        sql,
      )
    )
      continue;
    if (/pgboss/i.test(sql)) continue;
    stmts.push({ pid: m[1]!, sql });
  }
  const nextval = stmts.find((s) => s.sql.includes("nextval('application_number_seq')"));
  let inTransaction = 0;
  if (nextval) {
    const own = stmts.filter((s) => s.pid === nextval.pid);
    const begin = own.findLastIndex((s, i) => i <= own.indexOf(nextval) && s.sql === 'BEGIN');
    const commit = own.findIndex((s, i) => i > own.indexOf(nextval) && s.sql === 'COMMIT');
    if (begin >= 0 && commit > begin) inTransaction = commit - begin + 1;
  }
  const byKind: Record<string, number> = {};
  for (const s of stmts) {
    const k = /pg_advisory_xact_lock/.test(s.sql)
      ? 'advisory lock'
      : /^SELECT seq, hash FROM audit_events/.test(s.sql)
        ? 'audit chain head read'
        : /^insert into "audit_events"/i.test(s.sql)
          ? 'audit insert'
          : /^WITH w0 AS \((INSERT|DELETE|UPDATE)\b/i.test(s.sql)
            ? 'write of several tables in one statement'
            : /^(insert|update|delete)/i.test(s.sql)
              ? 'other write'
              : /^(BEGIN|COMMIT|ROLLBACK)$/.test(s.sql)
                ? 'BEGIN/COMMIT'
                : 'other read';
    byKind[k] = (byKind[k] ?? 0) + 1;
  }
  for (const st of stmts) log(`  statement: ${st.sql.replace(/\s+/g, ' ').slice(0, 200)}`);
  return { total: stmts.length, inTransaction, byKind };
}

/** What the server's connections were doing during the load: shares of samples of pg_stat_activity. */
function activitySampler(url: string, everyMs: number) {
  const client = new pg.Client({ connectionString: url, application_name: 'onething-bench-sampler' });
  const tally = new Map<string, number>();
  let samples = 0;
  let connections = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ state: string | null; w: string | null }>(
        `SELECT state, wait_event_type || ':' || wait_event AS w FROM pg_stat_activity
          WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
            AND coalesce(application_name, '') NOT LIKE 'onething-bench%'`,
      );
      samples++;
      connections += rows.length;
      for (const r of rows) {
        const key =
          r.state === 'active' ? (r.w ? `active, waiting on ${r.w}` : 'active (running)') : (r.state ?? 'unknown');
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
      await sleep(everyMs);
    }
    await client.end();
  })();
  return async () => {
    running = false;
    await loop;
    const total = [...tally.values()].reduce((a, b) => a + b, 0) || 1;
    return {
      samples,
      meanConnections: samples ? connections / samples : 0,
      shares: [...tally.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([state, n]) => ({ state, percent: (100 * n) / total })),
    };
  };
}

function cpuMeter(serverPid: number | undefined, postmasterPid: number | undefined) {
  const read = () => ({
    server: serverPid ? cpuSeconds(serverPid) : 0,
    pg: postmasterPid ? treeCpuSeconds(postmasterPid) : 0,
    self: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    machine: machineCpu(),
    t: performance.now(),
  });
  const start = read();
  return (ops: number): CpuSplit => {
    const end = read();
    const per = (a: number, b: number) => ((b - a) * 1000) / Math.max(1, ops);
    const busy = end.machine.busy - start.machine.busy;
    const all = busy + (end.machine.idle - start.machine.idle) + (end.machine.steal - start.machine.steal);
    const ours = end.server - start.server + (end.pg - start.pg) + (end.self - start.self);
    return {
      serverMs: per(start.server, end.server),
      postgresMs: postmasterPid ? per(start.pg, end.pg) : NaN,
      loadGeneratorMs: per(start.self, end.self),
      otherMs: ((busy - ours) * 1000) / Math.max(1, ops),
      machineBusyPercent: all > 0 ? (100 * busy) / all : NaN,
      stealPercent: all > 0 ? (100 * (end.machine.steal - start.machine.steal)) / all : NaN,
    };
  };
}

async function walBytes(q: Query): Promise<bigint> {
  return BigInt((await q(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint::text AS b`)).rows[0].b);
}

async function main(): Promise<void> {
  const started = new Date();
  const t0 = performance.now();
  const runId = crypto.randomBytes(4).toString('hex');
  const today = chinaDay(new Date());
  const m: Machine = machine();
  const busyBefore = await busyProcesses(new Set([process.pid]));
  log(
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; load average ${m.loadAverage}`,
  );
  if (busyBefore.length)
    log(`other processes using the CPU now: ${busyBefore.map((p) => `${p.command} ${p.cpuPercent}%`).join('; ')}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-bench-'));
  onCleanup('temporary directory', async () => fs.rmSync(tmp, { recursive: true, force: true }));
  const results: Partial<Results> & { notes: string[] } = { notes: [] };
  results.started = started.toISOString();
  // The servers serve the built portal only when web/dist exists as they start: build it first when it is missing.
  if (ENV.browser && !chromiumPath()) {
    results.notes.push(
      'The workbench in the browser was not measured: no Chromium (apt-get install chromium, or set CHROMIUM_PATH).',
    );
  } else if (ENV.browser && !fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) {
    log('building the portal (web/dist is missing) for the workbench measurement');
    await run('npm', ['run', 'build', '-w', '@onething/web'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  }
  results.machine = m;
  results.busyBefore = busyBefore;
  results.env = { ...ENV, out: path.relative(ROOT, ENV.out) };
  results.code = await codeVersion();

  // ---- PostgreSQL ----
  let adminUrl: string;
  let ownCluster = false;
  let stopCluster: () => Promise<void> = async () => {};
  const pgRoot = process.env.PGROOT || path.join(process.env.TMPDIR || '/tmp', `onething-pg-${ENV.pgPort}`);
  if (ENV.databaseUrl) {
    adminUrl = ENV.databaseUrl;
    log('PostgreSQL: BENCH_DATABASE_URL');
  } else {
    const env = { ...process.env, PGPORT: ENV.pgPort, PG_FAST: '0' };
    stopCluster = onCleanup('PostgreSQL', async () => {
      await run('bash', ['scripts/ci-pg.sh', 'stop'], { cwd: ROOT, env });
    });
    log(`PostgreSQL: starting a throwaway cluster on port ${ENV.pgPort} (fsync on)`);
    adminUrl = (await run('bash', ['scripts/ci-pg.sh', 'start'], { cwd: ROOT, env })).stdout.trim();
    ownCluster = true;
  }
  const dbName = `onething_bench_${runId}`;
  const admin = new pg.Client({ connectionString: adminUrl, application_name: 'onething-bench-admin' });
  await admin.connect();
  onCleanup('admin connection', () => admin.end());
  await admin.query(`CREATE DATABASE ${dbName}`);
  onCleanup('bench database', async () => {
    if (ENV.keepDatabase) return log(`kept the database ${dbName} (BENCH_KEEP_DATABASE=1)`);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  });
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  const settings = (
    await admin.query(
      `SELECT version() AS version, current_setting('server_version') AS server_version, current_setting('fsync') AS fsync,
            current_setting('synchronous_commit') AS synchronous_commit, current_setting('full_page_writes') AS full_page_writes,
            current_setting('shared_buffers') AS shared_buffers, current_setting('max_connections') AS max_connections,
            current_setting('max_wal_size') AS max_wal_size, current_setting('wal_level') AS wal_level, pg_backend_pid() AS pid`,
    )
  ).rows[0] as Record<string, string>;
  const postmasterPid = parentOf(Number(settings.pid));
  results.postgres = { ...settings, ownCluster, postmasterPid: postmasterPid ?? null };
  log(
    `PostgreSQL ${settings.server_version}: fsync ${settings.fsync}, synchronous_commit ${settings.synchronous_commit}, shared_buffers ${settings.shared_buffers}`,
  );

  const pgServer = await startServer('pg', { DATABASE_URL: url }, tmp);
  log(`server on PostgreSQL at ${pgServer.base}`);
  const client = new pg.Client({ connectionString: url, application_name: 'onething-bench-main' });
  await client.connect();
  onCleanup('bench connection', () => client.end());
  const q: Query = (text, params) => client.query(text, params as unknown[]);

  const password = crypto.randomBytes(12).toString('base64url');
  const inproc = await openPostgres(url, { max: 4, auditKeys: benchAuditKeys });
  onCleanup('in-process pool', () => inproc.close());
  const services = createServices({
    config: loadConfig({ DATABASE_URL: url, DATA_DIR: tmp, LOG_LEVEL: 'silent', ...PII }),
    db: inproc,
  });
  log(`creating ${ENV.clients} applicant accounts`);
  const accounts = await createApplicants(services, ENV.clients, password, `bench-${runId}-`);
  const applicants = await readyApplicants(pgServer.base, accounts, today);

  // What one submission writes, and the statements it sends.
  const probe = await probeSubmission(q, pgServer.base, applicants[0]!, runId);
  log(
    `one submission wrote ${Object.entries(probe.rows)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
  );
  const template: SubmissionTemplate = await readTemplate(q, probe.applicationId, probe.rows);
  const replicated = {
    applications: 1,
    cases: template.cases.length,
    case_events: template.cases.length,
    audit_events: template.cases.length + 1,
    notifications: 1,
  };
  const missing = Object.entries(probe.rows).filter(([t, n]) => (replicated as Record<string, number>)[t] !== n);
  if (missing.length)
    results.notes.push(
      `The bare baseline writes ${JSON.stringify(replicated)}; the server's submission wrote ${JSON.stringify(probe.rows)}.`,
    );
  results.rowsPerSubmission = probe.rows;
  const submitOne = submitter(pgServer.base, applicants, runId);
  results.statements = ownCluster
    ? await countStatements(admin, path.join(pgRoot, 'server.log'), () => submitOne(0, -1))
    : undefined;
  if (results.statements)
    log(
      `one submission sent ${results.statements.total} statements, ${results.statements.inTransaction} in its transaction`,
    );

  // ---- 1,000,000 cases ----
  log(`seeding ${ENV.cases.toLocaleString('en')} cases`);
  const seedClient = new pg.Client({ connectionString: url, application_name: 'onething-bench-seed' });
  await seedClient.connect();
  const ts = performance.now();
  let seed: SeedResult;
  try {
    seed = await seedCases(seedClient, { cases: ENV.cases, today, log: (msg) => log(`seed: ${msg}`) });
  } finally {
    await seedClient.end();
  }
  results.seed = { ...seed, totalSeconds: (performance.now() - ts) / 1000 };
  await admin.query('CHECKPOINT').catch(() => {});
  const sizes = (
    await q(
      `SELECT relname AS t, pg_total_relation_size(oid)::bigint AS bytes, reltuples::bigint AS rows FROM pg_class
      WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname = ANY($1::text[])`,
      [['applications', 'cases', 'case_events', 'audit_events', 'notifications', 'accounts']],
    )
  ).rows;
  results.sizes = sizes.map((r) => ({ table: String(r.t), rows: Number(r.rows), bytes: Number(r.bytes) }));
  results.databaseBytes = Number((await q('SELECT pg_database_size(current_database())::bigint AS b')).rows[0].b);

  log('clock sweep over the seeded cases (once, in this process)');
  const tw = performance.now();
  const sweep = await services.cases.sweep();
  results.sweep = { ...sweep, seconds: (performance.now() - tw) / 1000 };
  log(`clock sweep: ${results.sweep.seconds.toFixed(1)} s, ${sweep.flagged} flagged`);

  // ---- one client, no contention ----
  for (let i = 0; i < 10; i++) await submitOne(1 % applicants.length, -100 - i);
  let single = 0;
  results.singleClient = await timeSequential(50, () => submitOne(1 % applicants.length, -1000 - single++));
  log(`one client: p50 ${results.singleClient.p50.toFixed(1)} ms`);

  // ---- HTTP, 64 clients ----
  await admin.query('CHECKPOINT').catch(() => {});
  log(`HTTP: warm-up ${ENV.warmup} s with ${ENV.clients} clients`);
  const warm = await runLoad(ENV.clients, ENV.warmup, (c, n) => submitOne(c, 1_000_000 + n));
  if (warm.errors) log(`warm-up errors: ${warm.errors}: ${warm.firstErrors.join(' | ')}`);
  log(`HTTP: ${ENV.seconds} s with ${ENV.clients} clients`);
  const sweepsBefore = await sweepJobs(q);
  const vacuumsBefore = await autovacuums(q);
  const wal0 = await walBytes(q);
  const meter = cpuMeter(pgServer.child.proc.pid, postmasterPid);
  const sampler = activitySampler(url, 100);
  const httpLoad = await runLoad(ENV.clients, ENV.seconds, (c, n) => submitOne(c, n));
  results.httpActivity = await sampler();
  results.httpCpu = meter(httpLoad.completed);
  results.httpWalBytes = Number((await walBytes(q)) - wal0) / Math.max(1, httpLoad.completed);
  results.sweepsDuringLoad = (await sweepJobs(q)) - sweepsBefore;
  results.autovacuumsDuringLoad = { http: autovacuumsSince(vacuumsBefore, await autovacuums(q)) };
  results.http = httpLoad;
  log(
    `HTTP: ${httpLoad.perSecond.toFixed(0)} submissions/s, p50 ${httpLoad.latency.p50.toFixed(1)} p95 ${httpLoad.latency.p95.toFixed(1)} p99 ${httpLoad.latency.p99.toFixed(1)} ms, ${httpLoad.errors} errors`,
  );
  if (httpLoad.errors) log(`first errors: ${httpLoad.firstErrors.join(' | ')}`);

  // ---- bare pg, 64 clients ----
  const pool = new pg.Pool({ connectionString: url, max: ENV.clients, application_name: 'onething-bench-bare' });
  pool.on('error', () => {});
  onCleanup('bare pool', () => pool.end());
  const write = bareWriter(template, today);
  const bareOp = async (c: number, n: number) => {
    const conn = await pool.connect();
    try {
      await conn.query('BEGIN');
      await write.inTransaction(
        (text, params) => conn.query(text, params as unknown[]),
        applicants[c % applicants.length]!.id,
        c,
        n,
      );
      await conn.query('COMMIT');
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      conn.release();
    }
  };
  // Both loads start after a checkpoint, so that both pay the full-page images of first touches alike.
  await admin.query('CHECKPOINT').catch(() => {});
  log(`bare pg: warm-up ${Math.min(ENV.warmup, 3)} s`);
  await runLoad(ENV.clients, Math.min(ENV.warmup, 3), (c, n) => bareOp(c, 1_000_000 + n));
  log(`bare pg: ${ENV.seconds} s with ${ENV.clients} clients`);
  const wal1 = await walBytes(q);
  const bareVacuumsBefore = await autovacuums(q);
  const bareMeter = cpuMeter(undefined, postmasterPid);
  const bare = await runLoad(ENV.clients, ENV.seconds, bareOp);
  results.autovacuumsDuringLoad.bare = autovacuumsSince(bareVacuumsBefore, await autovacuums(q));
  results.bareCpu = bareMeter(bare.completed);
  results.bareWalBytes = Number((await walBytes(q)) - wal1) / Math.max(1, bare.completed);
  results.bare = bare;
  log(
    `bare pg: ${bare.perSecond.toFixed(0)} transactions/s, p50 ${bare.latency.p50.toFixed(1)} p99 ${bare.latency.p99.toFixed(1)} ms, ${bare.errors} errors`,
  );
  if (bare.errors) log(`first errors: ${bare.firstErrors.join(' | ')}`);
  // ---- the department queue ----
  const reviewer = await login(pgServer.base, q, 'reviewer.health', DEMO_PASSWORD);
  const queueOnce = (query: string) => async () => {
    const r = await fetch(`${pgServer.base}/api/v1/cases${query}`, {
      headers: { authorization: `Bearer ${reviewer}` },
    });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`queue: ${r.status} ${text.slice(0, 300)}`);
  };
  // As the workbench asks (counted up to QUEUE_COUNT_CAP), then with count=exact.
  for (let i = 0; i < 20; i++) await queueOnce('')();
  results.queueHttp = await timeSequential(ENV.queueRuns, queueOnce(''));
  for (let i = 0; i < 20; i++) await queueOnce('?count=exact')();
  results.queueHttpExact = await timeSequential(ENV.queueRuns, queueOnce('?count=exact'));
  const qdb = await openPostgres(url, { max: 1 });
  onCleanup('queue pool', () => qdb.close());
  // The statements one call of queue() sends, in the order it sends them: the page, then the count.
  const statementsOf = async (f: Parameters<typeof queueSql>[1]) => {
    const sent: Array<{ text: string; params: unknown[] }> = [];
    await queueSql(
      {
        ...qdb,
        query: <R>(text: string, params: unknown[] = []) => (sent.push({ text, params }), qdb.query<R>(text, params)),
      } as Database,
      f,
    );
    return sent;
  };
  const filter = { departmentCode: 'nj-health', limit: 50, offset: 0, countUpTo: QUEUE_COUNT_CAP };
  for (let i = 0; i < 20; i++) await queueSql(qdb, filter);
  results.queueSql = await timeSequential(ENV.queueRuns, async () => {
    await queueSql(qdb, filter);
  });
  for (let i = 0; i < 20; i++) await queueSql(qdb, { ...filter, countUpTo: undefined });
  results.queueSqlExact = await timeSequential(ENV.queueRuns, async () => {
    await queueSql(qdb, { ...filter, countUpTo: undefined });
  });
  const [page, countCapped] = await statementsOf(filter);
  const [, countExact] = await statementsOf({ ...filter, countUpTo: undefined });
  await qdb.close();
  results.queuePlans = [];
  for (const c of [page, countCapped, countExact]) {
    if (!c) continue;
    const plan = await q(`EXPLAIN (ANALYZE, BUFFERS) ${c.text}`, c.params);
    results.queuePlans.push({
      sql: c.text.replace(/\s+/g, ' ').trim(),
      plan: plan.rows.map((r) => String(r['QUERY PLAN'])),
    });
  }
  results.queueOpen = Number(
    (
      await q(
        `SELECT count(*)::int AS n FROM cases WHERE department_code = 'nj-health' AND status IN ('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided')`,
      )
    ).rows[0].n,
  );
  log(
    `queue: HTTP p95 ${results.queueHttp.p95.toFixed(1)} ms (count=exact ${results.queueHttpExact.p95.toFixed(1)}), SQL p95 ${results.queueSql.p95.toFixed(1)} ms (exact ${results.queueSqlExact.p95.toFixed(1)}) (${results.queueOpen} open cases of nj-health)`,
  );

  // ---- bare pg again, the same rows as one statement ----
  // As the server now writes them (docs/adr/0009): what the bare baseline would be if it were written that way
  // too. Not the ratio's baseline (the issue's is a plain transaction), but said. After the queue's timing, so
  // that the queue it times holds what the runs before this one left (its rows add open cases).
  await admin.query('CHECKPOINT').catch(() => {});
  const oneOp = (c: number, n: number) =>
    write.oneStatement(
      (text, params) => pool.query(text, params as unknown[]),
      applicants[c % applicants.length]!.id,
      c,
      n,
    );
  log(`bare pg, one statement: warm-up ${Math.min(ENV.warmup, 3)} s`);
  await runLoad(ENV.clients, Math.min(ENV.warmup, 3), (c, n) => oneOp(c, 2_000_000 + n));
  log(`bare pg, one statement: ${ENV.seconds} s with ${ENV.clients} clients`);
  results.bareOneStatement = await runLoad(ENV.clients, ENV.seconds, (c, n) => oneOp(c, 3_000_000 + n));
  log(
    `bare pg, one statement: ${results.bareOneStatement.perSecond.toFixed(0)} transactions/s, ${results.bareOneStatement.errors} errors`,
  );
  if (results.bareOneStatement.errors) log(`first errors: ${results.bareOneStatement.firstErrors.join(' | ')}`);
  await pool.end();
  results.casesAtEnd = Number((await q('SELECT count(*)::bigint AS n FROM cases')).rows[0].n);

  // ---- the workbench's first page in the browser, with 100,000 open cases of the department ----
  if (ENV.browser && chromiumPath()) {
    const open = await topUpOpenCases(q, 100_000, addDays(today, -20));
    log(
      `browser: ${open} open cases of nj-health; opening the workbench in Chromium: ${ENV.browserRestarts} browser restarts, ${ENV.browserFirstLoads} first loads, ${ENV.browserRuns} reloads`,
    );
    results.browserQueue = await workbenchFirstPage(
      pgServer.base,
      reviewer,
      ENV.browserRuns,
      open,
      ENV.browserRestarts,
      ENV.browserFirstLoads,
    );
    log(
      `browser: first page shown in p50 ${results.browserQueue.cold.p50.toFixed(0)} / p95 ${results.browserQueue.cold.p95.toFixed(0)} ms on first loads, p50 ${results.browserQueue.warm.p50.toFixed(0)} / p95 ${results.browserQueue.warm.p95.toFixed(0)} ms warm, p50 ${results.browserQueue.returning.p50.toFixed(0)} / p95 ${results.browserQueue.returning.p95.toFixed(0)} ms after a browser restart ("${results.browserQueue.shownTotal}")`,
    );
  }

  await pgServer.stop();
  await cleanupNow([
    'queue pool',
    'bare pool',
    'bench connection',
    'in-process pool',
    'bench database',
    'admin connection',
  ]);
  await stopCluster();

  // ---- embedded PGlite ----
  if (ENV.pglite) results.pglite = await pgliteRun(tmp, runId, today);

  results.totalSeconds = (performance.now() - t0) / 1000;
  const figures = renderFigures(results as Results);
  writeReport(ENV.out, figures);
  console.log(figures);
  log(`wrote ${path.relative(ROOT, ENV.out)}`);
}

function removeCleanup(name: string) {
  const i = cleanups.findIndex((c) => c.name === name);
  if (i >= 0) cleanups.splice(i, 1);
}

async function cleanupNow(names: string[]) {
  for (const name of names) {
    const c = cleanups.find((x) => x.name === name);
    if (c) await c.fn().catch(() => {});
    removeCleanup(name);
  }
}

/** Automatic vacuums and analyzes so far, of every table and of cases (pg_stat_user_tables). */
async function autovacuums(q: Query): Promise<Autovacuums> {
  const row = (
    await q(
      `SELECT coalesce(sum(autovacuum_count), 0)::int AS vacuums, coalesce(sum(autoanalyze_count), 0)::int AS analyzes,
            coalesce(sum(autovacuum_count) FILTER (WHERE relname = 'cases'), 0)::int AS cases_vacuums
       FROM pg_stat_user_tables`,
    )
  ).rows[0];
  return { vacuums: Number(row.vacuums), analyzes: Number(row.analyzes), casesVacuums: Number(row.cases_vacuums) };
}
const autovacuumsSince = (a: Autovacuums, b: Autovacuums): Autovacuums => ({
  vacuums: b.vacuums - a.vacuums,
  analyzes: b.analyzes - a.analyzes,
  casesVacuums: b.casesVacuums - a.casesVacuums,
});

async function sweepJobs(q: Query): Promise<number> {
  try {
    return Number(
      (
        await q(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'cases.clock-sweep.v1' AND started_on IS NOT NULL`,
        )
      ).rows[0].n,
    );
  } catch {
    return 0;
  }
}

async function pgliteRun(tmp: string, runId: string, today: string): Promise<PgliteResults> {
  const dataDir = fs.mkdtempSync(path.join(tmp, 'pglite-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...PII });
  const pgliteDir = path.join(config.dataDir, 'pglite');
  const password = crypto.randomBytes(12).toString('base64url');
  log('PGlite: preparing a fresh data directory');
  let db = await openPglite({ dataDir: pgliteDir, auditKeys: benchAuditKeys });
  let accounts: Array<{ username: string; id: string; token: string }>;
  try {
    const services = createServices({ config, db });
    await migrate(db, services.pii);
    await seedDemo(services);
    accounts = await createApplicants(services, ENV.pgliteClients, password, `bench-${runId}-lite-`);
  } finally {
    await db.close();
  }
  const server = await startServer('pglite', {}, dataDir);
  log(`server on PGlite at ${server.base}`);
  const applicants = await readyApplicants(server.base, accounts, today);
  const submitOne = submitter(server.base, applicants, `${runId}-lite`);
  const probe = await http(server.base, 'POST', '/api/v1/applications', {
    token: applicants[0]!.token,
    body: applicants[0]!.body,
    headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${runId}-lite-probe` },
  });
  if (probe.status !== 201) throw new Error(`PGlite probe submission: ${probe.status} ${probe.text.slice(0, 300)}`);
  const probeId = (JSON.parse(probe.text) as { id: string }).id;
  log(`PGlite: warm-up ${Math.min(ENV.warmup, 3)} s, then ${ENV.pgliteSeconds} s with ${ENV.pgliteClients} clients`);
  await runLoad(ENV.pgliteClients, Math.min(ENV.warmup, 3), (c, n) => submitOne(c, 1_000_000 + n));
  const meter = cpuMeter(server.child.proc.pid, undefined);
  const load = await runLoad(ENV.pgliteClients, ENV.pgliteSeconds, submitOne);
  const cpu = meter(load.completed);
  log(
    `PGlite: ${load.perSecond.toFixed(0)} submissions/s, p50 ${load.latency.p50.toFixed(1)} p95 ${load.latency.p95.toFixed(1)} p99 ${load.latency.p99.toFixed(1)} ms, ${load.errors} errors`,
  );
  if (load.errors) log(`first errors: ${load.firstErrors.join(' | ')}`);
  await server.stop();

  // The bare baseline in this process, on the same directory, now that the server has let go of it.
  db = await openPglite({ dataDir: pgliteDir, auditKeys: benchAuditKeys });
  let bare: LoadResult | undefined;
  let rowsPerSubmission: Record<string, number> = {};
  try {
    const q: Query = (text, params) => db.query(text, params);
    const counts = await q(
      `SELECT (SELECT count(*) FROM cases WHERE application_id = $1)::int AS cases, (SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.application_id = $1)::int AS events`,
      [probeId],
    );
    rowsPerSubmission = {
      applications: 1,
      cases: Number(counts.rows[0].cases),
      case_events: Number(counts.rows[0].events),
    };
    const template = await readTemplate(q, probeId, rowsPerSubmission);
    const write = bareWriter(template, today);
    const op = (c: number, n: number) =>
      db.transaction((tx) =>
        write.inTransaction((text, params) => tx.query(text, params), applicants[c % applicants.length]!.id, c, n),
      );
    await runLoad(ENV.pgliteClients, 2, (c, n) => op(c, 1_000_000 + n));
    bare = await runLoad(ENV.pgliteClients, ENV.pgliteSeconds, op);
    log(`PGlite bare: ${bare.perSecond.toFixed(0)} transactions/s`);
  } finally {
    await db.close();
  }
  const version = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  return { version, applicants: applicants.length, rowsPerSubmission, load, cpu, bare };
}

main()
  .catch(async (err: unknown) => {
    if (interrupted) return;
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    if (!interrupted) await cleanup();
  });
