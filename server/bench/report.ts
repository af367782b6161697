// docs/benchmarks.md: a short introduction (kept as it is once the file exists) and the figures of the last
// run between two markers, replaced on each run.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserQueueResult } from './browser.ts';
import type { CpuSplit, LoadResult, Machine, Percentiles } from './lib.ts';
import type { SeedResult } from './seed-cases.ts';
import { BARE_STATEMENTS } from './bare.ts';
import { QUEUE_COUNT_CAP } from '../src/modules/cases/cases.domain.ts';

export interface PgliteResults {
  version: string;
  applicants: number;
  rowsPerSubmission: Record<string, number>;
  load: LoadResult;
  cpu: CpuSplit;
  bare?: LoadResult | undefined;
}

export interface Results {
  started: string;
  totalSeconds: number;
  machine: Machine;
  busyBefore: Array<{ pid: number; command: string; cpuPercent: number }>;
  env: {
    cases: number;
    seconds: number;
    clients: number;
    warmup: number;
    queueRuns: number;
    pglite: boolean;
    pgliteSeconds: number;
    pgliteClients: number;
    pgPort: string;
    databaseUrl?: string | undefined;
    out: string;
    serverNodeArgs: string[];
  };
  code: string;
  postgres: Record<string, unknown>;
  rowsPerSubmission: Record<string, number>;
  statements?: { total: number; inTransaction: number; byKind: Record<string, number> } | undefined;
  seed: SeedResult & { totalSeconds: number };
  sizes: Array<{ table: string; rows: number; bytes: number }>;
  databaseBytes: number;
  sweep: { flagged: number; escalated: number; seconds: number };
  singleClient: Percentiles;
  http: LoadResult;
  httpActivity: { samples: number; meanConnections: number; shares: Array<{ state: string; percent: number }> };
  httpCpu: CpuSplit;
  httpWalBytes: number;
  sweepsDuringLoad: number;
  /** Automatic vacuums and analyzes that ran during the measured HTTP load and the bare one. */
  autovacuumsDuringLoad: { http: Autovacuums; bare?: Autovacuums };
  bare: LoadResult;
  /** The same rows as one statement of data-modifying CTEs, after the bare load. */
  bareOneStatement?: LoadResult | undefined;
  bareCpu: CpuSplit;
  bareWalBytes: number;
  /** As the workbench asks: counted up to QUEUE_COUNT_CAP. */
  queueHttp: Percentiles;
  queueHttpExact: Percentiles;
  queueSql: Percentiles;
  queueSqlExact: Percentiles;
  queuePlans?: Array<{ sql: string; plan: string[] }>;
  queueOpen: number;
  casesAtEnd: number;
  browserQueue?: BrowserQueueResult | undefined;
  pglite?: PgliteResults | undefined;
  notes: string[];
}

export const START =
  '<!-- bench:figures:start (written by npm run bench; edits between the markers are overwritten) -->';
export const END = '<!-- bench:figures:end -->';

const INTRO = `## Intake: \`npm run bench\`

\`npm run bench\` (at the root; \`server/bench/run.ts\`) is the intake benchmark. It is a benchmark, not a test: it is
not part of \`npm test\`, it takes several minutes, and its figures depend on the machine and on what else runs on it.
The figures below are those of the run at the date in their heading; each run replaces them.

What one run does:

1. Starts a throwaway PostgreSQL 15 with \`PGPORT=15433 PG_FAST=0 bash scripts/ci-pg.sh start\` (fsync,
   synchronous_commit and full_page_writes on: a durable configuration, unlike the test cluster, which turns
   them off), unless \`BENCH_DATABASE_URL\` names one; creates a fresh database in it.
2. Starts the real server (\`node server/bin/server.mjs\`, \`NODE_ENV=production\` with fresh \`PII_KEYS\`,
   \`PII_HASH_KEY\` and \`SSO_KEY_ENCRYPTION_KEY\`, so ID and phone numbers are encrypted at rest, the per-account limits (\`SUBMISSIONS_PER_MINUTE\`,
   \`UPLOADS_PER_MINUTE\`) raised out of the bench applicants' way, \`LOG_LEVEL=warn\`, \`SEED_DEMO=true\` for the
   catalogue and the demo accounts), creates 64 applicant accounts with the server's own identity service and logs
   each in through it (the password step, each from an address of its own: the login guard allows one address 60
   steps a minute) for a bearer token, and uploads one PDF for each over HTTP. The reviewer of step 7 logs in over
   HTTP with the one-time code the bench reads from the outbox, as the SMS relay would.
3. Submits the newborn bundle once and counts the rows per table it wrote (1 application, 7 cases, 7 case
   events, 8 audit rows, 1 notification), and, on its own cluster, counts the SQL statements it sent.
4. Fills the database with 1,000,000 cases (\`server/bench/seed-cases.ts\`, see there for their shape), then
   VACUUM (ANALYZE) and CHECKPOINT; runs the clock sweep once over them.
5. Submits the complete newborn bundle (answers, the shared form, materials with an upload and a tolerated gap,
   and the bundle's version as the portal sends the one it showed) from 64 concurrent HTTP clients, each request
   with its own Idempotency-Key, for 30 s after a 5 s warm-up.
   Every latency is kept; any response other than 201 is an error.
6. Writes the same rows (read back from the real submission) with a bare \`pg\` Pool, 64 concurrent clients, one
   transaction of plain INSERTs per submission, for the same 30 s. The ratio of the two rates is our overhead.
   Then the same rows again, each submission's INSERTs as one statement of data-modifying CTEs, which is how the
   server writes them (docs/adr/0009): shown beside the ratio, not in it.
7. Times the department queue (open cases of \`nj-health\`, due soonest first): 500 \`GET /api/v1/cases\` as
   \`reviewer.health\` over HTTP as the workbench asks (the page, and the count up to 10,000), 500 with \`count=exact\`,
   then 500 runs of each through pg alone (\`queue()\` of \`cases.repository.ts\`, one connection).
   Then tops \`nj-health\` up to 100,000 open cases (one application each, \`server/bench/browser.ts\`), VACUUM
   (ANALYZE), and opens the workbench (\`/staff\`, signed in as \`reviewer.health\`) in Debian's Chromium through
   playwright-core: first as a returning reviewer (a browser profile kept on disk opens it three times; then 5
   times the browser is started again on that profile and opens it once), then in a fresh browser signed in as a
   login leaves it, 5 times with an empty cache (a fresh browser context each) and 20 reloads. Each load is stamped
   by the page itself (an init script) with its own clock, from the navigation's start to the first animation
   frame with the 20 rows and the "N open cases" line laid out (and, alternating, as many first loads and half as
   many reloads by the previous method, Playwright's check in every frame). The portal is built first
   when \`web/dist\` is missing.
8. Starts the server on a fresh embedded PGlite directory, 8 applicants, 8 concurrent clients for 20 s, and then
   writes the same rows in-process on that PGlite as its bare baseline.
9. Stops every process and the throwaway cluster (also on failure or Ctrl-C) and writes this file.

Settings (environment): \`BENCH_CASES\` (1000000), \`BENCH_SECONDS\` (30), \`BENCH_CLIENTS\` (64), \`BENCH_WARMUP\` (5),
\`BENCH_QUEUE_RUNS\` (500), \`BENCH_BROWSER=0\` to skip the browser, \`BENCH_BROWSER_RUNS\` (20), \`BENCH_PGLITE=0\` to skip PGlite, \`BENCH_PGLITE_SECONDS\` (20), \`BENCH_PGLITE_CLIENTS\` (8),
\`BENCH_PGPORT\` (15433), \`BENCH_DATABASE_URL\` (use this PostgreSQL instead of a throwaway one), \`BENCH_KEEP_DATABASE=1\`
(leave the run's database in that PostgreSQL; with \`BENCH_PII_KEYS\`, \`BENCH_PII_HASH_KEY\` and
\`BENCH_SSO_KEY_ENCRYPTION_KEY\` as the server's \`PII_KEYS\`, \`PII_HASH_KEY\` and \`SSO_KEY_ENCRYPTION_KEY\`, a
server can be started on it afterwards), \`BENCH_OUT\`
(docs/benchmarks.md), \`BENCH_SERVER_NODE_ARGS\` (flags for the server processes, e.g.
\`--cpu-prof --cpu-prof-dir=/tmp/prof\` for a CPU profile to open in Chrome DevTools). The seed generator also runs alone:
\`DATABASE_URL=postgres://… npx tsx server/bench/seed-cases.ts --cases 1000000 [--prepare]\`.

The aims (from the issue): at least 0.5 of the bare rate (a bare PostgreSQL 15 commits about 4,400 such
transactions per second on the 2-core machines here, so about 2,000 submissions per second) and never below 500;
p99 under 100 ms; queue p95 under 20 ms; on embedded PGlite 100 submissions per second or more.
`;

const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '–');
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '–');
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const pct = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} %` : '–');
const lat = (p: Percentiles) => `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)} ms`;
const met = (ok: boolean) => (ok ? 'met' : '**not met**');

export interface Autovacuums {
  vacuums: number;
  analyzes: number;
  casesVacuums: number;
}

const vacuumed = (a: Autovacuums) => `${a.vacuums} vacuums (${a.casesVacuums} of \`cases\`) and ${a.analyzes} analyzes`;

export function renderFigures(r: Results): string {
  const m = r.machine;
  const pgv = r.postgres;
  const when = `${r.started.slice(0, 16).replace('T', ' ')} UTC`;
  const ratio = r.http.perSecond / r.bare.perSecond;
  const L: string[] = [];
  L.push(
    START,
    '',
    `### Figures: run of ${when}`,
    '',
    `Code: ${r.code}.${r.env.serverNodeArgs.length ? ` Server started with \`node ${r.env.serverNodeArgs.join(' ')}\`.` : ''}`,
    '',
  );
  L.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB memory, ${m.os} (${m.kernel}), Node ${m.node}. The load generator, ` +
      `the server and PostgreSQL share these ${m.cores} cores (CPU time per submission below says how). Load average when the run started: ${m.loadAverage}` +
      (r.busyBefore.length
        ? `; other processes then using the CPU: ${r.busyBefore.map((p) => `\`${p.command}\` ${p.cpuPercent} %`).join(', ')}.`
        : '.'),
    '',
  );
  const otherShare = (x: CpuSplit) =>
    (100 * x.otherMs) /
    (x.otherMs + x.serverMs + (Number.isFinite(x.postgresMs) ? x.postgresMs : 0) + x.loadGeneratorMs);
  const contended = Math.max(otherShare(r.httpCpu), otherShare(r.bareCpu));
  if (contended > 20) {
    L.push(
      `**Contended run:** other processes took ${pct(otherShare(r.httpCpu))} of the busy CPU during the HTTP load and ${pct(otherShare(r.bareCpu))} during the bare one; ` +
        'the rates and latencies below are those of this machine shared with them, not of the software alone. The CPU times per submission further down are less affected.',
      '',
    );
  }
  L.push(
    `PostgreSQL ${String(pgv.server_version)} (${pgv.ownCluster ? 'throwaway cluster of `scripts/ci-pg.sh` with `PG_FAST=0`' : 'given by BENCH_DATABASE_URL'}): ` +
      `fsync ${String(pgv.fsync)}, synchronous_commit ${String(pgv.synchronous_commit)}, full_page_writes ${String(pgv.full_page_writes)}, ` +
      `shared_buffers ${String(pgv.shared_buffers)}, max_wal_size ${String(pgv.max_wal_size)}, max_connections ${String(pgv.max_connections)}; other settings default. ` +
      `The server is one Node process with the pg pool of \`platform/db.ts\` (20 connections) and its job workers on.` +
      (r.pglite ? ` PGlite ${r.pglite.version}.` : ''),
    '',
  );
  const s = r.seed;
  L.push(
    `Data: ${int(s.cases)} cases (${int(s.openCases)} open) in ${int(s.applications)} applications of ${int(s.accounts)} seeded applicants, ` +
      `${int(s.caseEvents)} case events, ${int(s.auditRows)} audit rows, ${int(s.notifications)} notifications; ${mib(r.databaseBytes)} database before the load ` +
      `(${r.sizes.map((x) => `${x.table} ${mib(x.bytes)}`).join(', ')}). ${int(r.casesAtEnd)} cases at the end of the run.`,
    '',
  );

  L.push('| measure | result | aim | |', '|---|---:|---|---|');
  const row = (a: string, b: string, c = '', d = '') => L.push(`| ${a} | ${b} | ${c} | ${d} |`);
  row(`Seeding ${int(s.cases)} cases (INSERT … SELECT, one transaction)`, `${s.insertSeconds.toFixed(1)} s`, '', '');
  row('… then VACUUM (ANALYZE) of the six tables', `${s.analyzeSeconds.toFixed(1)} s`);
  row(
    `**Submissions per second**, HTTP, PostgreSQL, ${r.http.clients} clients, ${r.env.seconds} s`,
    `**${int(r.http.perSecond)}**`,
    '≈ 2,000; never below 500',
    met(r.http.perSecond >= 500),
  );
  row('Submission latency p50 / p95 / p99', lat(r.http.latency), 'p99 < 100 ms', met(r.http.latency.p99 < 100));
  row('Submission latency max', `${ms(r.http.latency.max)} ms`);
  row(
    'Errors (any response but 201)',
    `${int(r.http.errors)} of ${int(r.http.completed + r.http.errors)}`,
    '0',
    met(r.http.errors === 0),
  );
  row(`Bare pg transactions per second, same rows, ${r.bare.clients} clients`, int(r.bare.perSecond), '≈ 4,400');
  row('Bare pg latency p50 / p95 / p99', lat(r.bare.latency));
  row(
    'Bare pg errors',
    `${int(r.bare.errors)} of ${int(r.bare.completed + r.bare.errors)}`,
    '0',
    met(r.bare.errors === 0),
  );
  row('**Ratio ours / bare**', `**${ratio.toFixed(2)}**`, '≥ 0.5', met(ratio >= 0.5));
  if (r.bareOneStatement) {
    row(
      `Bare pg, the same rows as one statement (data-modifying CTEs, as the server writes them), ${r.bareOneStatement.clients} clients: per second, p50 / p99, errors; ours / this`,
      `${int(r.bareOneStatement.perSecond)}; ${ms(r.bareOneStatement.latency.p50)} / ${ms(r.bareOneStatement.latency.p99)} ms; ${int(r.bareOneStatement.errors)}; ${(r.http.perSecond / r.bareOneStatement.perSecond).toFixed(2)}`,
    );
  }
  row(
    `Queue over HTTP as the workbench asks (\`GET /api/v1/cases\`, reviewer.health, ${int(r.queueOpen)} open cases, counted up to ${int(QUEUE_COUNT_CAP)}), p50 / p95 / p99`,
    lat(r.queueHttp),
    'p95 < 20 ms',
    met(r.queueHttp.p95 < 20),
  );
  row(
    'Queue SQL alone through pg (the page and the count up to the cap), p50 / p95 / p99',
    lat(r.queueSql),
    'p95 < 20 ms',
    met(r.queueSql.p95 < 20),
  );
  row(
    '… with the exact count (`count=exact`): over HTTP, SQL alone, p50 / p95 / p99',
    `${lat(r.queueHttpExact)}; ${lat(r.queueSqlExact)}`,
  );
  if (r.browserQueue) {
    const b = r.browserQueue;
    row(
      `Workbench first page in Chromium (20 rows and "N open cases" shown, ${int(b.open)} open cases of nj-health; ms from the navigation's start by the page's clock), **first loads** (empty cache, a fresh browser context each) p50 / p95 / max of ${b.cold.n}`,
      `${b.cold.p50.toFixed(0)} / ${b.cold.p95.toFixed(0)} / ${b.cold.max.toFixed(0)} ms`,
      '< 1 s',
      met(b.cold.p95 < 1000),
    );
    row(
      `… reloads (scripts cached) p50 / p95 / max of ${b.warm.n}`,
      `${b.warm.p50.toFixed(0)} / ${b.warm.p95.toFixed(0)} / ${b.warm.max.toFixed(0)} ms`,
      '< 1 s',
      met(b.warm.p95 < 1000),
    );
    if (b.returning)
      row(
        `… a returning reviewer: the browser started again on a profile that has opened the workbench before (its caches on disk), p50 / p95 / max of ${b.returning.n} restarts`,
        `${b.returning.p50.toFixed(0)} / ${b.returning.p95.toFixed(0)} / ${b.returning.max.toFixed(0)} ms`,
        '< 1 s',
        met(b.returning.p95 < 1000),
      );
    row(
      `… by the method of runs before 2026-12-07 02:00 (Playwright's check in every frame, its script evaluated in the page as it loads), alternating with the above: first loads p50 / p95 of ${b.checked.cold.n}, reloads p50 / p95 of ${b.checked.warm.n}`,
      `${b.checked.cold.p50.toFixed(0)} / ${b.checked.cold.p95.toFixed(0)}, ${b.checked.warm.p50.toFixed(0)} / ${b.checked.warm.p95.toFixed(0)} ms`,
    );
  }
  if (r.pglite) {
    const p = r.pglite;
    row(
      `**PGlite submissions per second**, HTTP, ${p.load.clients} clients, ${r.env.pgliteSeconds} s`,
      `**${int(p.load.perSecond)}**`,
      '≥ 100',
      met(p.load.perSecond >= 100),
    );
    row('PGlite submission latency p50 / p95 / p99', lat(p.load.latency));
    row(
      'PGlite errors',
      `${int(p.load.errors)} of ${int(p.load.completed + p.load.errors)}`,
      '0',
      met(p.load.errors === 0),
    );
    if (p.bare) {
      row('PGlite bare transactions per second, same rows, in-process', int(p.bare.perSecond));
      row('PGlite ratio ours / bare', (p.load.perSecond / p.bare.perSecond).toFixed(2));
    }
  }
  L.push('');

  L.push('#### Where a submission spends its time', '');
  L.push(
    `- One request at a time (one client, after seeding): p50 ${ms(r.singleClient.p50)} ms, p95 ${ms(r.singleClient.p95)} ms over ${r.singleClient.n} submissions.`,
  );
  L.push(
    `- Rows one submission writes: ${Object.entries(r.rowsPerSubmission)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}.`,
  );
  if (r.statements) {
    L.push(
      `- SQL statements one submission sends (counted with log_statement = all): ${r.statements.total}, ` +
        (r.statements.inTransaction
          ? `of which ${r.statements.inTransaction} inside its transaction (BEGIN to COMMIT, holding one pooled connection)`
          : 'none in an explicit transaction (its writes are one statement)') +
        `; by kind: ${Object.entries(r.statements.byKind)
          .sort((a, b) => b[1] - a[1])
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}. The bare baseline sends ${BARE_STATEMENTS}.`,
    );
  }
  const c = r.httpCpu;
  L.push(
    `- CPU time per submission under load: server (Node) ${ms(c.serverMs)} ms, PostgreSQL ${ms(c.postgresMs)} ms, load generator ${ms(c.loadGeneratorMs)} ms, other processes ${ms(c.otherMs)} ms; ` +
      `both cores ${pct(c.machineBusyPercent)} busy (steal ${pct(c.stealPercent)}). Bare baseline, per transaction: PostgreSQL ${ms(r.bareCpu.postgresMs)} ms, load generator ${ms(r.bareCpu.loadGeneratorMs)} ms, other processes ${ms(r.bareCpu.otherMs)} ms; cores ${pct(r.bareCpu.machineBusyPercent)} busy.`,
  );
  L.push(
    `- The server's PostgreSQL connections during the load (${int(r.httpActivity.samples)} samples of pg_stat_activity, ${r.httpActivity.meanConnections.toFixed(1)} connections on average): ` +
      r.httpActivity.shares.map((x) => `${x.state} ${x.percent.toFixed(0)} %`).join(', ') +
      '.',
  );
  L.push(
    `- Derived from the CPU times above (an estimate, not a measurement): on ${m.cores} otherwise idle cores the server could not exceed ` +
      `${int(1000 / c.serverMs)} submissions/s (one Node thread at ${ms(c.serverMs)} ms each) nor ${int((m.cores * 1000) / (c.serverMs + c.postgresMs + c.loadGeneratorMs))} submissions/s ` +
      `(server, PostgreSQL and load generator together); the bare baseline not ${int((m.cores * 1000) / (r.bareCpu.postgresMs + r.bareCpu.loadGeneratorMs))} transactions/s. ` +
      `Other processes took ${pct(otherShare(c))} of the busy CPU during the HTTP load and ${pct(otherShare(r.bareCpu))} during the bare one.`,
  );
  L.push(
    `- WAL per submission: ${(r.httpWalBytes / 1024).toFixed(1)} KiB; per bare transaction: ${(r.bareWalBytes / 1024).toFixed(1)} KiB ` +
      `(each load starts after a CHECKPOINT; a page's first change after one writes a full-page image).`,
  );
  L.push(
    `- Clock sweep over the seeded cases (once, before the load): ${r.sweep.seconds.toFixed(1)} s, ${int(r.sweep.flagged)} flags changed. Sweeps that started during the measured load: ${r.sweepsDuringLoad}.`,
  );
  L.push(
    `- Automatic vacuums that ran during the measured HTTP load: ${vacuumed(r.autovacuumsDuringLoad.http)}${r.autovacuumsDuringLoad.bare ? `; during the bare load: ${vacuumed(r.autovacuumsDuringLoad.bare)}` : ''} (\`cases\` is vacuumed after 1 % new rows, migration 0011).`,
  );
  if (r.pglite)
    L.push(
      `- PGlite, CPU time per submission: server (Node and PGlite in one process) ${ms(r.pglite.cpu.serverMs)} ms, load generator ${ms(r.pglite.cpu.loadGeneratorMs)} ms, other processes ${ms(r.pglite.cpu.otherMs)} ms; cores ${pct(r.pglite.cpu.machineBusyPercent)} busy. The PGlite database holds only the demo data and the benchmark's own submissions.`,
    );
  for (const n of r.notes) L.push(`- ${n}`);
  if (r.http.firstErrors.length)
    L.push(
      `- First errors: ${r.http.firstErrors.map((e) => `\`${e.replaceAll('|', '\\|').replaceAll('\n', ' ')}\``).join('; ')}`,
    );
  L.push('');
  if (r.queuePlans?.length) {
    L.push(
      "The queue's queries (the page, the count up to the cap, the exact count) and their plans (EXPLAIN ANALYZE, BUFFERS) after the load:",
      '',
    );
    for (const p of r.queuePlans) L.push('```sql', p.sql, '```', '', '```', ...p.plan, '```', '');
  }
  L.push(
    `Whole run: ${(r.totalSeconds / 60).toFixed(1)} minutes. Settings: ${r.env.clients} clients, ${r.env.seconds} s after ${r.env.warmup} s warm-up, ${r.env.queueRuns} queue runs${r.env.pglite ? `, PGlite ${r.env.pgliteClients} clients for ${r.env.pgliteSeconds} s` : ''}.`,
    '',
    END,
  );
  return L.join('\n');
}

/**
 * Replaces the figures between the markers; without them, adds the intake section (introduction and figures)
 * at the end of the file, leaving the rest of it (other benchmarks' sections) as it is.
 */
export function writeReport(file: string, figures: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = existing.indexOf(START.slice(0, START.indexOf(' (')));
  const end = existing.indexOf(END);
  const text =
    start >= 0 && end > start
      ? existing.slice(0, start) + figures + existing.slice(end + END.length)
      : `${existing.trimEnd()}\n\n${INTRO}\n${figures}\n`;
  fs.writeFileSync(file, text);
}
