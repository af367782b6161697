// `onething`: the operators' command-line tool. Commands that need the database open it directly when they
// may (PostgreSQL, or a PGlite directory no server holds); when a server owns the PGlite directory they talk
// to that server's API instead, or refuse: two processes must never write one PGlite directory.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './config.ts';
import type { Database } from './platform/db.ts';
import { acquireLock, readLock } from './platform/datadir-lock.ts';
import { AppError } from './platform/errors.ts';
import type { Services } from './app.ts';
// The pure commands (validate, deadline on the shipped calendar) load only these; the database, the server's
// modules and their dependencies are imported when a command needs them, which keeps those commands quick. The
// modules' index.ts would bring their services, routes and jobs, and with them the database drivers, Fastify and
// pg-boss: 0.7 s of CPU for `onething deadline` instead of 0.2 (measured), hence the three exceptions below.
// biome-ignore lint/style/noRestrictedImports: pure rules only; see above
import { validateDivision, validateIdNumber, validateUscc } from './modules/identifiers/identifiers.domain.ts';
// biome-ignore lint/style/noRestrictedImports: pure rules only; see above
import { WorkCalendar, type Pause } from './modules/calendar/calendar.domain.ts';
// biome-ignore lint/style/noRestrictedImports: the shipped year files only; see above
import { loadShippedYears } from './modules/calendar/calendar.data.ts';

const HELP = `onething — OneThing (一件事) operator tool

Usage: onething <command> [options]

Commands:
  migrate                                 apply the database migrations
  seed                                    migrate, then add the demo data where missing
  catalogue export [--out FILE]           write the published catalogue as JSON (stdout by default)
  catalogue import FILE                   import a catalogue file (all of it or nothing)
  calendar years                          list the loaded working-day calendar years
  calendar load FILE                      load a year's holiday notice (JSON, see server/data/calendar/)
  register import population|enterprises FILE --source TEXT --as-of YYYY-MM-DD
                                          import an extract of the population register
                                          (一人一档: 公民身份号码, 姓名, 手机号码, 户籍地区划代码) or of the
                                          enterprise register (一企一档: 统一社会信用代码, 企业名称, 法定代表人,
                                          法定代表人身份证号码) as CSV, all rows or none; identity proofing
                                          checks against them (docs/adr/0022)
  register imports                        list the imports: register, date, source, counts
  audit verify [--subject TYPE[:ID]]      verify the audit log (all, one subject type, or one subject): each
                                          row's HMAC under AUDIT_KEY, the chains, and the checkpoints of
                                          their heads; exit 1 when a row was changed, removed or inserted
  audit checkpoint                        record the heads of the chains that moved since the last
                                          checkpoint now (a job does so every minute)
  pii seal | pii rotate                   encrypt what is still plaintext (uploaded files from before
                                          migration 0015 included) and re-encrypt every ID and phone number
                                          and file under the first key of PII_KEYS, recompute the keyed
                                          hashes (PII_HASH_KEY); batched, idempotent, resumable; not while a
                                          server owns a PGlite DATA_DIR
  sso seal-keys                           seal the SSO keys stored in clear under SSO_KEY_ENCRYPTION_KEY,
                                          replacing them with new sealed keys (a clear key may be in
                                          backups); with the servers stopped
  backup [--out FILE]                     write the database and the uploaded files into one archive
                                          (PostgreSQL: pg_dump, also while servers run; PGlite: only while
                                          no server owns DATA_DIR)
  restore FILE [--force]                  restore an archive into an empty database and DATA_DIR, then
                                          migrate and verify rows, files and the audit chain; --force moves
                                          what is there aside (never deletes it)
  deadline YYYY-MM-DD N [--pause F/T]...  the N-th working day after the start day (day 0);
                                          each --pause FROM/TO (补正) moves it by the paused working days
  validate id-number VALUE                resident ID number (GB 11643)
  validate uscc VALUE                     unified social credit code (GB 32100)
  validate division CODE                  administrative division code (GB/T 2260)

Options:
  --server URL        talk to a running server (default: the server that owns the PGlite data directory)
  --user NAME         administrator to log in as on the server (or ONETHING_USER)
  --password PASS     their password (or ONETHING_PASSWORD)
  --source TEXT       where a register extract came from (register import)
  --as-of DATE        the day a register extract describes (register import)
  --json              print JSON
  -h, --help          this help

The database is DATABASE_URL (PostgreSQL) or the PGlite directory in DATA_DIR (default ./data).
Exit codes: 0 success (valid), 1 invalid or refused, 2 usage or runtime error.`;

class UsageError extends Error {}

function out(line: string) {
  process.stdout.write(`${line}\n`);
}
function err(line: string) {
  process.stderr.write(`${line}\n`);
}

interface Remote {
  url: string;
  /** A JSON body, or a file's bytes with their content type. */
  request<T>(method: string, path: string, body?: unknown | { raw: Buffer; type: string }): Promise<T>;
}

function isRaw(body: unknown): body is { raw: Buffer; type: string } {
  return typeof body === 'object' && body !== null && 'raw' in body && Buffer.isBuffer((body as { raw: unknown }).raw);
}

async function connectRemote(config: Config, url: string, user?: string, password?: string): Promise<Remote> {
  const username = user ?? config.ONETHING_USER;
  const pass = password ?? config.ONETHING_PASSWORD;
  if (!username || !pass) {
    throw new UsageError(
      `a OneThing server (${url}) owns the data directory; give --user and --password (or ONETHING_USER/ONETHING_PASSWORD) of an administrator to use its API, or stop it`,
    );
  }
  const call = async <T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(new URL(path, url), {
      method,
      headers: {
        accept: 'application/json',
        'accept-language': 'zh-CN,en;q=0.5',
        ...(body !== undefined ? { 'content-type': isRaw(body) ? body.type : 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: isRaw(body) ? new Uint8Array(body.raw) : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const data = text ? (JSON.parse(text) as unknown) : null;
    if (!res.ok) {
      const p = data as { title?: string; detail?: string; errors?: Array<{ pointer: string; detail: string }> } | null;
      const lines = [
        `${res.status} ${p?.title ?? res.statusText}`,
        ...(p?.errors ?? []).slice(0, 20).map((e) => `  ${e.pointer}: ${e.detail}`),
      ];
      throw new RemoteError(lines.join('\n'));
    }
    return data as T;
  };
  const login = await call<{ token?: string; challenge?: { id: string; destination: string } }>(
    null,
    'POST',
    '/api/v1/auth/login',
    { username, password: pass },
  );
  let token = login.token;
  if (!token && login.challenge) {
    // Administrators log in with a one-time code as well (LOGIN_OTP); it is asked for on the terminal.
    const code = await askOneTimeCode(login.challenge.destination);
    token = (
      await call<{ token: string }>(null, 'POST', '/api/v1/auth/login/verify', {
        challengeId: login.challenge.id,
        code,
      })
    ).token;
  }
  return { url, request: (method, path, body) => call(token!, method, path, body) };
}

async function askOneTimeCode(destination: string): Promise<string> {
  if (!process.stdin.isTTY)
    throw new UsageError(
      `the server sent a one-time code to ${destination}; run the command in a terminal to enter it`,
    );
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (
      await rl.question(`one-time code sent to ${destination} (development: GET /api/v1/dev/otp?username=…): `)
    ).trim();
  } finally {
    rl.close();
  }
}

class RemoteError extends Error {}

type Target =
  | { kind: 'local'; db: Database; services: Services; close(): Promise<void> }
  | { kind: 'remote'; remote: Remote };

/** Opens the database for this command, or the owning server's API when a server holds the PGlite directory. */
async function target(
  config: Config,
  opts: { server?: string; user?: string; password?: string },
  allowRemote: boolean,
): Promise<Target> {
  const server = opts.server ?? config.ONETHING_SERVER;
  if (server) return { kind: 'remote', remote: await connectRemote(config, server, opts.user, opts.password) };
  let release = () => {};
  if (!config.DATABASE_URL) {
    const owner = readLock(config.dataDir);
    if (owner) {
      if (!allowRemote || !owner.url)
        throw new UsageError(
          `the data directory ${config.dataDir} is in use by a OneThing server (process ${owner.pid}); stop it first`,
        );
      return { kind: 'remote', remote: await connectRemote(config, owner.url, opts.user, opts.password) };
    }
    const lock = acquireLock(config.dataDir);
    release = () => lock.release();
  }
  try {
    const [{ openDatabase }, { migrate }, { createServices }] = await Promise.all([
      import('./platform/db.ts'),
      import('./platform/migrate.ts'),
      import('./app.ts'),
    ]);
    const db = await openDatabase(config);
    const services = createServices({ config, db });
    await migrate(db, services.pii);
    return {
      kind: 'local',
      db,
      services,
      async close() {
        await db.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

function printValidation(
  result: { valid: boolean; reason?: { code: string; zh: string; en: string } } & Record<string, unknown>,
  json: boolean,
): number {
  if (json) {
    out(JSON.stringify(result, null, 2));
  } else if (result.valid) {
    const { valid: _v, ...details } = result;
    out(
      `valid  ${Object.entries(details)
        .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join('  ')}`,
    );
  } else {
    out(`invalid  ${result.reason?.zh ?? ''} / ${result.reason?.en ?? ''} (${result.reason?.code ?? ''})`);
  }
  return result.valid ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      server: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      pause: { type: 'string', multiple: true },
      subject: { type: 'string' },
      force: { type: 'boolean' },
      source: { type: 'string' },
      'as-of': { type: 'string' },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    out(HELP);
    return command || values.help ? 0 : 2;
  }
  const json = values.json ?? false;
  const remoteOpts = {
    ...(values.server ? { server: values.server } : {}),
    ...(values.user ? { user: values.user } : {}),
    ...(values.password ? { password: values.password } : {}),
  };

  if (command === 'validate') {
    const value = rest[0];
    if (!sub || value === undefined || rest.length > 1)
      throw new UsageError('usage: onething validate id-number|uscc|division VALUE');
    if (sub === 'id-number') return printValidation(validateIdNumber(value), json);
    if (sub === 'uscc') return printValidation(validateUscc(value), json);
    if (sub === 'division') return printValidation(validateDivision(value) as never, json);
    throw new UsageError(`unknown kind "${sub}": id-number, uscc or division`);
  }

  const config = loadConfig();

  if (command === 'deadline') {
    const start = sub;
    const n = rest[0];
    if (!start || n === undefined || rest.length > 1 || !/^\d+$/.test(n))
      throw new UsageError('usage: onething deadline YYYY-MM-DD N [--pause FROM/TO]...');
    const pauses: Pause[] = (values.pause ?? []).map((p) => {
      const m = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(p);
      if (!m) throw new UsageError(`--pause ${p}: expected FROM/TO, both YYYY-MM-DD`);
      return { from: m[1]!, to: m[2]! };
    });
    let due: string;
    const owner = config.DATABASE_URL ? null : readLock(config.dataDir);
    const remoteWanted = values.server ?? config.ONETHING_SERVER ?? owner?.url;
    const haveCreds = (values.user ?? config.ONETHING_USER) && (values.password ?? config.ONETHING_PASSWORD);
    if (remoteWanted && haveCreds) {
      const t = await target(
        config,
        remoteWanted === owner?.url ? remoteOpts : { ...remoteOpts, server: remoteWanted },
        true,
      );
      if (t.kind !== 'remote') throw new Error('unreachable');
      const q = new URLSearchParams({
        start,
        workdays: n,
        ...(pauses.length ? { pauses: pauses.map((p) => `${p.from}/${p.to}`).join(',') } : {}),
      });
      due = (await t.remote.request<{ due: string }>('GET', `/api/v1/calendar/deadline?${q}`)).due;
    } else if (config.DATABASE_URL || (!owner && fs.existsSync(config.dataDir))) {
      const t = await target(config, {}, false);
      if (t.kind !== 'local') throw new Error('unreachable');
      try {
        due = (await t.services.calendar.deadline(start, Number(n), pauses)).due;
      } finally {
        await t.close();
      }
    } else {
      // No database to read (or a server owns it and no credentials were given): the calendar shipped with
      // OneThing, which is what every fresh installation loads.
      if (owner)
        err(
          `note: a server owns ${config.dataDir}; using the shipped calendar (give --user/--password to ask the server)`,
        );
      due = new WorkCalendar(loadShippedYears()).addWorkdays(start, Number(n), pauses);
    }
    out(json ? JSON.stringify({ start, workdays: Number(n), pauses, due }) : due);
    return 0;
  }

  if (command === 'migrate' || command === 'seed') {
    const t = await target(config, {}, false);
    if (t.kind !== 'local') throw new Error('unreachable');
    try {
      if (command === 'seed') await (await import('./seed.ts')).seedDemo(t.services, (m) => out(`seed ${m}`));
      out(`${command}: done (${t.db.kind})`);
    } finally {
      await t.close();
    }
    return 0;
  }

  if (command === 'catalogue' && (sub === 'export' || sub === 'import')) {
    const t = await target(config, remoteOpts, true);
    try {
      if (sub === 'export') {
        const file =
          t.kind === 'local'
            ? await t.services.catalogue.exportCatalogue()
            : await t.remote.request<unknown>('GET', '/api/v1/admin/catalogue/export');
        const text = `${JSON.stringify(file, null, 2)}\n`;
        if (values.out) {
          fs.writeFileSync(values.out, text);
          err(`catalogue written to ${values.out}`);
        } else process.stdout.write(text);
      } else {
        const path = rest[0];
        if (!path) throw new UsageError('usage: onething catalogue import FILE');
        const body = JSON.parse(fs.readFileSync(path, 'utf8')) as unknown;
        const summary =
          t.kind === 'local'
            ? await t.services.catalogue.importCatalogue({ principal: null, requestId: 'cli' }, body)
            : await t.remote.request<unknown>('POST', '/api/v1/admin/catalogue/import', body);
        out(JSON.stringify(summary));
      }
    } finally {
      if (t.kind === 'local') await t.close();
    }
    return 0;
  }

  if (command === 'calendar' && (sub === 'years' || sub === 'load')) {
    const t = await target(config, remoteOpts, true);
    try {
      if (sub === 'years') {
        const years =
          t.kind === 'local'
            ? await t.services.calendar.listYears()
            : await t.remote.request<Array<{ year: number; source: { title: string } }>>(
                'GET',
                '/api/v1/calendar/years',
              );
        for (const y of years) out(`${y.year}  ${y.source.title}`);
      } else {
        const path = rest[0];
        if (!path) throw new UsageError('usage: onething calendar load FILE');
        const body = JSON.parse(fs.readFileSync(path, 'utf8')) as { year?: unknown };
        if (typeof body.year !== 'number') throw new UsageError(`${path}: the file has no numeric "year"`);
        const r =
          t.kind === 'local'
            ? await t.services.calendar.loadYear(body.year, body, { accountId: null, requestId: 'cli' })
            : await t.remote.request<unknown>('PUT', `/api/v1/admin/calendar/years/${body.year}`, body);
        out(JSON.stringify(r));
      }
    } finally {
      if (t.kind === 'local') await t.close();
    }
    return 0;
  }

  if (command === 'register' && (sub === 'import' || sub === 'imports')) {
    const [kind, file] = rest;
    const register = kind === 'population' ? 'population' : kind === 'enterprises' ? 'enterprise' : null;
    if (sub === 'import' && (!register || !file || rest.length > 2 || !values.source || !values['as-of']))
      throw new UsageError(
        'usage: onething register import population|enterprises FILE --source TEXT --as-of YYYY-MM-DD',
      );
    if (sub === 'imports' && rest.length) throw new UsageError('usage: onething register imports [--json]');
    const t = await target(config, remoteOpts, true);
    try {
      if (sub === 'imports') {
        const list =
          t.kind === 'local'
            ? await t.services.identity.listRegisterImports()
            : await t.remote.request<Array<Record<string, unknown>>>('GET', '/api/v1/admin/registers/imports');
        if (json) out(JSON.stringify(list, null, 2));
        else
          for (const i of list)
            out(
              `${String(i.importedAt)}  ${String(i.register)}  as of ${String(i.asOf)}  ${String(i.rows)} rows (${String(i.created)} new, ${String(i.updated)} updated, ${String(i.skipped)} older)  ${String(i.source)}`,
            );
        return 0;
      }
      const body = fs.readFileSync(file!);
      const meta = { source: values.source!.trim(), asOf: values['as-of']! };
      if (!/^\d{4}-\d{2}-\d{2}$/.test(meta.asOf) || Number.isNaN(Date.parse(meta.asOf)) || meta.source.length > 200)
        throw new UsageError('--as-of is a date (YYYY-MM-DD); --source at most 200 characters');
      const r =
        t.kind === 'local'
          ? await t.services.identity.importRegisterFile({ accountId: null, requestId: 'cli' }, register!, body, meta)
          : await t.remote.request<unknown>('POST', `/api/v1/admin/registers/${kind}?${new URLSearchParams(meta)}`, {
              raw: body,
              type: 'text/csv',
            });
      out(JSON.stringify(r));
    } finally {
      if (t.kind === 'local') await t.close();
    }
    return 0;
  }

  if (command === 'audit' && (sub === 'verify' || sub === 'checkpoint')) {
    if (rest.length || (sub === 'checkpoint' && values.subject !== undefined))
      throw new UsageError('usage: onething audit verify [--subject TYPE[:ID]] [--json] | audit checkpoint [--json]');
    // TYPE:ID splits at the first colon: subject types are plain words, subject ids may contain colons.
    const subject = values.subject;
    if (subject !== undefined && !/^[^:]+(:.+)?$/.test(subject))
      throw new UsageError(`--subject ${subject}: expected TYPE or TYPE:ID`);
    const colon = subject?.indexOf(':') ?? -1;
    const filter =
      subject === undefined
        ? {}
        : colon < 0
          ? { subjectType: subject }
          : { subjectType: subject.slice(0, colon), subjectId: subject.slice(colon + 1) };
    // Verifying must not create an empty database where none was and then call it intact.
    if (!config.DATABASE_URL && !fs.existsSync(path.join(config.dataDir, 'pglite'))) {
      throw new UsageError(
        `no database in ${config.dataDir}: set DATA_DIR to the server's data directory, or DATABASE_URL`,
      );
    }
    const t = await target(config, {}, false);
    if (t.kind !== 'local') throw new Error('unreachable');
    try {
      if (sub === 'checkpoint') {
        const { writeAuditCheckpoint } = await import('./platform/audit-checkpoints.ts');
        const c = await writeAuditCheckpoint(t.db);
        if (json) out(JSON.stringify(c, null, 2));
        else if (c)
          out(
            `audit checkpoint ${c.no}: ${c.heads} chains recorded, rows up to id ${c.watermark}, key ${c.keyId}, mac ${c.mac}`,
          );
        else out('audit checkpoint: no chain moved since the last checkpoint; none written');
        return 0;
      }
      const { verifyAuditChain } = await import('./ops/audit-verify.ts');
      const report = await verifyAuditChain(t.db, filter);
      const legacy = report.legacy ? ` (${report.legacy} rows from before the chain existed cannot be verified)` : '';
      if (json) {
        out(JSON.stringify(report, null, 2));
      } else {
        if (report.brokenCount === 0) {
          out(`audit chain OK: ${report.rows} rows in ${report.subjects} subjects${legacy}`);
        } else {
          out(
            `audit chain BROKEN: ${report.brokenCount} findings in ${report.rows} rows of ${report.subjects} subjects${legacy}`,
          );
          for (const b of report.broken)
            out(`  id ${b.id ?? '-'}  ${b.subjectType}:${b.subjectId}  seq ${b.seq}  ${b.reason}`);
          for (const c of report.brokenCheckpoints)
            out(
              `  checkpoint ${c.no}${c.subjectType === undefined ? '' : `  ${c.subjectType}:${c.subjectId}`}  ${c.reason}`,
            );
          const listed = report.broken.length + report.brokenCheckpoints.length;
          if (report.brokenCount > listed) out(`  … ${report.brokenCount - listed} more not listed`);
        }
        const latest = report.checkpoints.latest;
        // The newest checkpoint can be removed like the newest row: its MAC, noted elsewhere, is what shows that.
        out(
          latest
            ? `  checkpoints: ${report.checkpoints.count}, the latest ${latest.no} at ${latest.takenAt} (mac ${latest.mac}); ${report.uncovered} rows written since`
            : '  checkpoints: none',
        );
        if (report.unkeyed)
          out(`  ${report.unkeyed} rows from before the keyed log, vouched for by the seal (checkpoint 1)`);
      }
      return report.brokenCount === 0 ? 0 : 1;
    } finally {
      await t.close();
    }
  }

  if (command === 'pii' && (sub === 'rotate' || sub === 'seal')) {
    if (rest.length) throw new UsageError(`usage: onething pii ${sub} [--json]`);
    if (!config.DATABASE_URL && !fs.existsSync(path.join(config.dataDir, 'pglite'))) {
      throw new UsageError(
        `no database in ${config.dataDir}: set DATA_DIR to the server's data directory, or DATABASE_URL`,
      );
    }
    // PostgreSQL: directly, also while servers run (each batch locks its rows; servers decrypt with any listed key).
    // PGlite: only while no server owns the directory (target refuses otherwise).
    const t = await target(config, {}, false);
    if (t.kind !== 'local') throw new Error('unreachable');
    try {
      const { sealPersonalData } = await import('./ops/pii-seal.ts');
      const { pii } = t.services;
      const report = await sealPersonalData(t.db, pii, {
        dataDir: config.dataDir,
        log: json ? undefined : (line) => out(`  ${line}`),
      });
      if (json) out(JSON.stringify({ activeKey: pii.activeKeyId, ...report }, null, 2));
      else {
        out(`personal data now under key ${pii.activeKeyId}`);
        if (report.auditRowsWithPlaintext)
          err(
            `warning: ${report.auditRowsWithPlaintext} audit rows from before migration 0006 hold plaintext numbers (append-only; see docs/adr/0005)`,
          );
      }
      return 0;
    } finally {
      await t.close();
    }
  }

  if (command === 'sso' && sub === 'seal-keys') {
    if (rest.length) throw new UsageError('usage: onething sso seal-keys [--json]');
    if (!config.SSO_KEY_ENCRYPTION_KEY)
      throw new UsageError('set SSO_KEY_ENCRYPTION_KEY (the setting the servers will start with) to seal the SSO keys');
    if (!config.DATABASE_URL && !fs.existsSync(path.join(config.dataDir, 'pglite'))) {
      throw new UsageError(
        `no database in ${config.dataDir}: set DATA_DIR to the server's data directory, or DATABASE_URL`,
      );
    }
    // Servers keep their keys in memory: with PGlite target() refuses while one owns the directory; with
    // PostgreSQL the operator stops them first (README).
    const t = await target(config, {}, false);
    if (t.kind !== 'local') throw new Error('unreachable');
    try {
      const { SealKeysError, sealSsoKeys } = await import('./ops/sso-keys.ts');
      try {
        const report = await sealSsoKeys(t.db, { encryptionKey: config.SSO_KEY_ENCRYPTION_KEY });
        if (json) out(JSON.stringify(report, null, 2));
        else if (!report.retired.length) out('SSO keys: all sealed already; nothing changed');
        else {
          out(
            `SSO keys: ${report.retired.length} stored in clear, now sealed and retired: ${report.retired.join(', ')}`,
          );
          if (report.added.length) out(`new sealed keys: ${report.added.join(', ')}`);
          err(
            'ID tokens signed before no longer verify, and sign-ins at the provider have ended; start the servers with this SSO_KEY_ENCRYPTION_KEY',
          );
        }
        return 0;
      } catch (e) {
        if (e instanceof SealKeysError) {
          err(e.message);
          return 1;
        }
        throw e;
      }
    } finally {
      await t.close();
    }
  }

  if (command === 'backup' || command === 'restore') {
    const { BackupError, createBackup, restoreBackup } = await import('./ops/backup.ts');
    const progress = (line: string) => err(line);
    try {
      if (command === 'backup') {
        if (sub !== undefined) throw new UsageError('usage: onething backup [--out FILE]');
        const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
        const r = await createBackup(config, { out: values.out ?? `onething-backup-${stamp}.tar`, log: progress });
        const m = r.manifest;
        const level = m.migrations.at(-1);
        if (json)
          out(JSON.stringify({ file: r.file, bytes: r.bytes, manifest: { ...m, files: m.files.length } }, null, 2));
        else {
          out(`backup written: ${r.file} (${r.bytes} bytes)`);
          out(
            `  database: ${m.database.kind} (${m.database.tool}), migration level ${level ? `${level.id}_${level.name}` : 'none'}`,
          );
          out(
            `  rows: ${Object.values(m.counts).reduce((a, b) => a + b, 0)} in ${Object.keys(m.counts).length} tables (applications ${m.counts['public.applications'] ?? 0}, cases ${m.counts['public.cases'] ?? 0}, audit_events ${m.counts['public.audit_events'] ?? 0})`,
          );
          out(`  uploaded files: ${m.files.length} (${m.files.reduce((a, f) => a + f.size, 0)} bytes)`);
        }
        for (const f of m.missingFiles) err(`warning: upload missing on disk, not in the backup: ${f}`);
        for (const f of m.alteredFiles)
          err(`warning: upload differs from its recorded SHA-256, backed up as found: ${f}`);
        return 0;
      }
      const file = sub;
      if (!file || rest.length) throw new UsageError('usage: onething restore FILE [--force]');
      const r = await restoreBackup(config, file, { force: values.force ?? false, log: progress });
      if (json) out(JSON.stringify(r, null, 2));
      else {
        out(
          `restored ${path.resolve(file)} (backup of ${r.backupCreatedAt}) into ${r.kind === 'postgres' ? 'PostgreSQL' : `PGlite in ${config.dataDir}`}`,
        );
        for (const m of r.movedAside) out(`  moved aside: ${m}`);
        out(
          r.countMismatches.length === 0
            ? `  rows: ${r.rows} in ${r.tables} tables, each table as in the backup`
            : `  rows DIFFER from the backup in ${r.countMismatches.length} tables:`,
        );
        for (const c of r.countMismatches) out(`    ${c.table}: backup ${c.backup}, restored ${c.restored}`);
        out(
          `  uploaded files: ${r.files.restored} restored (${r.files.bytes} bytes), ${r.files.verified} verified against their SHA-256`,
        );
        for (const p of r.files.problems) out(`    ${p}`);
        out(
          `  migrations applied after restore: ${r.migrationsApplied.length ? r.migrationsApplied.join(', ') : 'none'}`,
        );
        out(
          r.audit.brokenCount === 0
            ? `  audit chain OK: ${r.audit.rows} rows in ${r.audit.subjects} subjects, ${r.audit.checkpoints.count} checkpoints`
            : `  audit chain BROKEN: ${r.audit.brokenCount} findings (onething audit verify lists them)`,
        );
      }
      return r.ok ? 0 : 1;
    } catch (e) {
      if (e instanceof BackupError) {
        err(e.message);
        return 1;
      }
      throw e;
    }
  }

  throw new UsageError(`unknown command "${[command, sub].filter(Boolean).join(' ')}"; see onething --help`);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError || e instanceof RemoteError) {
    err(e.message);
    process.exitCode = e instanceof UsageError && /in use|owns/.test(e.message) ? 1 : 2;
  } else if (e instanceof AppError) {
    err(`${e.code}${Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
    for (const f of e.errors.slice(0, 20)) err(`  ${f.pointer}: ${f.detail.zh} / ${f.detail.en}`);
    process.exitCode = 1;
  } else if (
    e instanceof Error &&
    'code' in e &&
    typeof (e as { code: unknown }).code === 'string' &&
    String((e as { code: string }).code).startsWith('calendar.')
  ) {
    err(e.message);
    process.exitCode = 1;
  } else {
    err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 2;
  }
}
