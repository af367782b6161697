// Backup and restore as an operator runs them: data made through the API (an upload and a newborn submission
// with an Idempotency-Key), `onething backup`, `onething restore` into a fresh database and data directory,
// and there everything is found again: the application with its seven cases, the upload byte for byte (sealed
// on disk and in the archive, opening to what was uploaded), the session, the idempotency record, every table's
// rows, and an audit chain that verifies. On PGlite (a data
// directory on disk) or, with DATABASE_URL, on PostgreSQL (new databases in that cluster).
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { ApplicationView } from '@onething/shared/applications';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openPglite, openPostgres, type Database } from '../src/platform/db.ts';
import { buildApp } from '../src/app.ts';
import { verifyAuditChain } from '../src/ops/audit-verify.ts';
import { BackupError, createBackup, restoreBackup, verifyBackup } from '../src/ops/backup.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { readUpload } from '../src/platform/uploads.ts';
import {
  NEWBORN_MATERNITY_ANSWERS as ANSWERS,
  NEWBORN_MATERNITY_FORM as FORM,
  testConfig,
  testPii,
} from './helpers.ts';

/** A test that does not apply to this database is not registered at all (CI runs nothing skipped). */
const noTest = (() => undefined) as unknown as typeof it;

const tpl = inject('dbTemplate');
const onPostgres = tpl.kind === 'postgres';
const CLI = path.resolve(import.meta.dirname, '../bin/onething.mjs');
const exec = promisify(execFile);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-backup-test-'));
const databases: string[] = [];

/** Where a OneThing installation keeps its data: a DATA_DIR and, on PostgreSQL, a database of its own. */
interface Place {
  env: Record<string, string>;
  dataDir: string;
  url?: string;
}

function adminUrl(): string {
  if (tpl.kind !== 'postgres') throw new Error('PostgreSQL only');
  return tpl.adminUrl;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new place: a copy of the run's template (migrated, seeded), or empty (a restore target). */
async function place(kind: 'template' | 'empty'): Promise<Place> {
  const dataDir = fs.mkdtempSync(path.join(scratch, 'data-'));
  if (tpl.kind === 'pglite') {
    if (kind === 'template') {
      const db = await openPglite({
        dataDir: path.join(dataDir, 'pglite'),
        loadDataDir: new Blob([fs.readFileSync(tpl.dumpFile)]),
      });
      await db.close();
    }
    return { dataDir, env: { DATA_DIR: dataDir } };
  }
  // Named after the template so that the run's global teardown drops anything a failed test leaves.
  const name = `${tpl.template}_t${crypto.randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${kind === 'template' ? tpl.template : 'template0'}`));
  databases.push(name);
  const url = new URL(tpl.adminUrl);
  url.pathname = `/${name}`;
  return { dataDir, url: url.toString(), env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() } };
}

function open(p: Place): Promise<Database> {
  return p.url ? openPostgres(p.url, { max: 4 }) : openPglite({ dataDir: path.join(p.dataDir, 'pglite') });
}

async function appOn(p: Place, db: Database): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig(p.env), db, logger: false });
  await app.ready();
  return app;
}

async function onething(p: Place, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), LOG_LEVEL: 'silent', ...p.env };
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const submission = (fileId: string) => ({
  bundle: 'newborn',
  answers: ANSWERS,
  form: FORM,
  materials: [
    { id: 'parents-id-cards', kind: 'certificate', consent: true },
    { id: 'parents-household-register', kind: 'certificate', consent: true },
    { id: 'marriage-certificate', kind: 'certificate', consent: true },
    { id: 'maternity-medical-invoices', kind: 'upload', fileIds: [fileId] },
    {
      id: 'discharge-summary',
      kind: 'gap',
      commitment: '本人承诺于 3 月 4 日前补交出院小结，逾期未补交的，同意终止办理。',
    },
  ],
});
const KEY = 'backup-test-newborn-0001';
const PDF = Buffer.from(`%PDF-1.4\n% 分娩费用票据 ${crypto.randomUUID()}\n1 0 obj << >> endobj\n%%EOF\n`);

let source: Place;
let archive: string;
let token: string;
let fileId: string;
let submitted: ApplicationView;
let sourceAudit: number;
let sourceCounts: { applications: number; cases: number; files: number; audit: number; sessions: number };

const countsOf = async (db: Database) =>
  (
    await db.query<{ applications: number; cases: number; files: number; audit: number; sessions: number }>(
      `SELECT (SELECT count(*) FROM applications)::int AS applications, (SELECT count(*) FROM cases)::int AS cases,
              (SELECT count(*) FROM files)::int AS files, (SELECT count(*) FROM audit_events)::int AS audit,
              (SELECT count(*) FROM sessions)::int AS sessions`,
    )
  ).rows[0]!;

beforeAll(async () => {
  source = await place('template');
  const db = await open(source);
  const app = await appOn(source, db);
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'zhangsan', password: DEMO_PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    token = (login.json() as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };
    const up = await app.inject({
      method: 'POST',
      url: '/api/v1/files',
      headers: { ...auth, 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent('分娩费用票据.pdf') },
      payload: PDF,
    });
    expect(up.statusCode, up.body).toBe(201);
    fileId = (up.json() as { id: string }).id;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { ...auth, 'idempotency-key': KEY },
      payload: submission(fileId),
    });
    expect(res.statusCode, res.body).toBe(201);
    submitted = res.json() as ApplicationView;
    expect(submitted.cases).toHaveLength(7);
    sourceAudit = (await verifyAuditChain(db)).rows;
    sourceCounts = await countsOf(db);
  } finally {
    await app.close();
    await db.close();
  }
  archive = path.join(scratch, 'onething.tar');
});

afterAll(async () => {
  if (onPostgres && databases.length)
    await admin(async (c) => {
      for (const d of databases) await c.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);
    });
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe(`backup and restore (${tpl.kind})`, () => {
  it('backs up with `onething backup`: the database, the upload and a manifest with checksums', async () => {
    // On PostgreSQL the source stays in use while pg_dump runs: a backup needs no downtime there.
    const busy = onPostgres ? await open(source) : undefined;
    try {
      if (busy) await busy.query(`SELECT pg_advisory_lock(1)`);
      const r = await onething(source, 'backup', '--out', archive);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`backup written: ${archive}`);
      expect(r.stdout).toContain('uploaded files: 1');
    } finally {
      await busy?.close();
    }
    const { manifest } = await verifyBackup(archive);
    expect(manifest.database.kind).toBe(tpl.kind);
    expect(manifest.migrations.length).toBeGreaterThanOrEqual(3);
    expect(manifest.counts).toMatchObject({
      'public.applications': 1,
      'public.cases': 7,
      'public.files': 1,
      'public.audit_events': sourceAudit,
    });
    // The upload as stored: sealed under the PII keys, so neither the data directory nor the archive holds it in
    // clear, and checked against the stored bytes' SHA-256 without a key.
    const stored = fs.readFileSync(path.join(source.dataDir, 'files', fileId.slice(0, 2), `${fileId}.dev`));
    expect(stored.includes(PDF.subarray(8, 40))).toBe(false);
    expect(fs.readFileSync(archive).includes(PDF.subarray(8, 40))).toBe(false);
    expect(manifest.files).toEqual([
      {
        path: `files/${fileId.slice(0, 2)}/${fileId}.dev`,
        size: stored.length,
        sha256: crypto.createHash('sha256').update(stored).digest('hex'),
      },
    ]);
    expect(manifest.missingFiles).toEqual([]);
  });

  it('restores with `onething restore` into a fresh database where everything is found and the audit chain verifies', async () => {
    const target = await place('empty');
    const r = await onething(target, 'restore', archive);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('each table as in the backup');
    expect(r.stdout).toContain('1 verified against their SHA-256');
    expect(r.stdout).toMatch(/audit chain OK: \d+ rows/);

    const db = await open(target);
    const app = await appOn(target, db);
    try {
      const counts = await countsOf(db);
      // Everything that was there, plus the audit row that records the restore itself.
      expect(counts).toEqual({ ...sourceCounts, audit: sourceCounts.audit + 1 });
      const audit = await verifyAuditChain(db);
      expect(audit.brokenCount).toBe(0);
      expect(audit.rows).toBe(sourceAudit + 1);
      expect((await db.query(`SELECT 1 FROM audit_events WHERE action = 'system.restored'`)).rows.length).toBe(1);

      // The applicant's session came back with the data: the same token reads the same application.
      const auth = { authorization: `Bearer ${token}` };
      const got = await app.inject({ method: 'GET', url: `/api/v1/applications/${submitted.id}`, headers: auth });
      expect(got.statusCode, got.body).toBe(200);
      const view = got.json() as ApplicationView;
      expect(view.number).toBe(submitted.number);
      expect(view.cases.map((c) => [c.item.code, c.status]).sort()).toEqual(
        submitted.cases.map((c) => [c.item.code, c.status]).sort(),
      );

      // The upload, byte for byte, where its row says: sealed, and opening to what was uploaded.
      const file = (
        await db.query<{ id: string; storage_key: string; stored_sha256: string }>(
          'SELECT id::text AS id, storage_key, stored_sha256 FROM files WHERE id = $1',
          [fileId],
        )
      ).rows[0]!;
      const restored = fs.readFileSync(path.join(target.dataDir, file.storage_key));
      expect(restored.includes(PDF.subarray(8, 40))).toBe(false);
      const f = { id: file.id, storageKey: file.storage_key, storedSha256: file.stored_sha256 };
      expect((await readUpload(target.dataDir, testPii(), f)).equals(PDF)).toBe(true);

      // The idempotency record too: the client's retry after the restore still finds its application.
      const again = await app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: { ...auth, 'idempotency-key': KEY },
        payload: submission(fileId),
      });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect((again.json() as ApplicationView).id).toBe(submitted.id);

      // New numbers continue after the restored ones (the sequence came back too).
      const next = await app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: { ...auth, 'idempotency-key': `${KEY}-next` },
        payload: submission(fileId),
      });
      expect(next.statusCode, next.body).toBe(201);
      expect((next.json() as ApplicationView).number > submitted.number).toBe(true);
    } finally {
      await app.close();
      await db.close();
    }

    // A second restore into the same place is refused; --force moves the data aside and restores again.
    const refused = await onething(target, 'restore', archive);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('empty database and data directory only');
    const forced = await onething(target, 'restore', archive, '--force');
    expect(forced.code, `${forced.stdout}\n${forced.stderr}`).toBe(0);
    expect(forced.stdout).toContain('moved aside:');
    expect(forced.stdout).toContain('each table as in the backup');
    const kept = fs.readdirSync(target.dataDir).filter((f) => f.includes('.replaced-'));
    expect(kept).toEqual(expect.arrayContaining([expect.stringMatching(/^files\.replaced-/)]));
    if (!onPostgres) expect(kept).toEqual(expect.arrayContaining([expect.stringMatching(/^pglite\.replaced-/)]));
  });

  it('refuses a damaged archive before it writes anything', async () => {
    const damaged = path.join(scratch, 'damaged.tar');
    const bytes = fs.readFileSync(archive);
    bytes[2048] = bytes[2048]! ^ 0xff; // inside the database entry
    fs.writeFileSync(damaged, bytes);
    const target = await place('empty');
    await expect(restoreBackup(testConfig(target.env), damaged)).rejects.toThrow(/damaged/);
    expect(fs.existsSync(path.join(target.dataDir, 'pglite'))).toBe(false);
    expect(fs.existsSync(path.join(target.dataDir, 'files'))).toBe(false);
    if (target.url) {
      const db = await open(target);
      try {
        expect((await db.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public'`)).rows.length).toBe(0);
      } finally {
        await db.close();
      }
    }
    const truncated = path.join(scratch, 'truncated.tar');
    fs.writeFileSync(truncated, bytes.subarray(0, 4096));
    await expect(verifyBackup(truncated)).rejects.toThrow(BackupError);
  });

  (onPostgres ? noTest : it)('refuses to back up or restore a PGlite directory that a server owns', async () => {
    // The lock of a live process that is not this one (the test runner's parent stands in for a server).
    fs.writeFileSync(
      path.join(source.dataDir, 'onething.lock'),
      JSON.stringify({ pid: process.ppid, startedAt: new Date().toISOString(), url: 'http://127.0.0.1:1' }),
    );
    try {
      await expect(createBackup(testConfig(source.env), { out: path.join(scratch, 'refused.tar') })).rejects.toThrow(
        /in use by a OneThing server/,
      );
      expect(fs.existsSync(path.join(scratch, 'refused.tar'))).toBe(false);
      await expect(restoreBackup(testConfig(source.env), archive, { force: true })).rejects.toThrow(
        /in use by a OneThing server/,
      );
    } finally {
      fs.rmSync(path.join(source.dataDir, 'onething.lock'), { force: true });
    }
  });

  (onPostgres ? it : noTest)('refuses to restore into a database that other sessions are using', async () => {
    const target = await place('empty');
    const other = await open(target);
    try {
      await other.query('SELECT 1');
      await expect(restoreBackup(testConfig(target.env), archive)).rejects.toThrow(/other sessions are connected/);
    } finally {
      await other.close();
    }
  });
});
