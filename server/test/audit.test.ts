// The audit log: append-only, hash-chained per subject, and verifiable by `onething audit verify`. Tampering
// here goes around the trigger the way only a database owner could, inside a transaction of its own.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { auditHash, recordAudit, recordAudits } from '../src/platform/audit.ts';
import { verifyAuditChain } from '../src/ops/audit-verify.ts';
import { openPglite, openPostgres, sqlState, type Database, type Executor } from '../src/platform/db.ts';
import { migrate, readMigrations } from '../src/platform/migrate.ts';
import { createTestApp, testPii, type TestApp } from './helpers.ts';

/** `it` on the named database, and no test at all on the other one (so nothing is reported as skipped). */
function itOn(kind: 'pglite' | 'postgres'): typeof it {
  return inject('dbTemplate').kind === kind ? it : ((() => undefined) as unknown as typeof it);
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

interface LinkRow {
  id: number;
  seq: number;
  prev_hash: string | null;
  hash: string;
}

async function chainOf(ex: Executor, subjectType: string, subjectId: string): Promise<LinkRow[]> {
  const { rows } = await ex.query<LinkRow>(
    'SELECT id, seq, prev_hash, hash FROM audit_events WHERE subject_type = $1 AND subject_id = $2 ORDER BY seq',
    [subjectType, subjectId],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Runs SQL past the append-only trigger, in one transaction, so no other writer ever sees it disabled. */
async function tamper(db: Database, text: string, params: unknown[] = []) {
  await db.transaction(async (tx) => {
    await tx.exec('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    await tx.query(text, params);
    await tx.exec('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
  });
}

async function record(ex: Executor, subjectId: string, n: number, subjectType = 'test') {
  for (let i = 1; i <= n; i++)
    await recordAudit(ex, { actorId: null, action: `test.step_${i}`, subjectType, subjectId, data: { i } });
}

const sleep = (ms: number) => new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms));

describe('the hash of an audit row', () => {
  it('is SHA-256 of the canonical JSON of the row with the previous hash', () => {
    const fields = {
      subjectType: 'account',
      subjectId: 'a1',
      seq: 2,
      at: '2026-03-01T08:00:00.123Z',
      actorId: null,
      action: 'identity.login',
      data: { b: [1, 'x'], a: { d: true, c: null } },
      requestId: 'req-1',
      prevHash: 'ab'.repeat(32),
    };
    const text =
      '{"action":"identity.login","actorId":null,"at":"2026-03-01T08:00:00.123Z","data":{"a":{"c":null,"d":true},"b":[1,"x"]},' +
      `"prevHash":"${'ab'.repeat(32)}","requestId":"req-1","seq":2,"subjectId":"a1","subjectType":"account"}`;
    expect(auditHash(fields)).toBe(crypto.createHash('sha256').update(text).digest('hex'));
  });
});

describe('the audit chain', () => {
  it('links the rows of each subject: seq 1..n, each prev_hash the hash of the row before', async () => {
    // Interleaved writes to two subjects make two independent chains.
    for (let i = 1; i <= 3; i++) {
      await recordAudit(t.db, {
        actorId: null,
        action: 'test.a',
        subjectType: 'test',
        subjectId: 'chain-a',
        data: { i },
      });
      if (i <= 2)
        await recordAudit(t.db, {
          actorId: null,
          action: 'test.b',
          subjectType: 'test',
          subjectId: 'chain-b',
          data: { i },
        });
    }
    for (const [id, n] of [
      ['chain-a', 3],
      ['chain-b', 2],
    ] as const) {
      const rows = await chainOf(t.db, 'test', id);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(rows[0]!.prev_hash).toBeNull();
      for (let i = 1; i < n; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      for (const r of rows) expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(await verifyAuditChain(t.db, { subjectType: 'test', subjectId: 'chain-a' })).toEqual({
      subjects: 1,
      rows: 3,
      legacy: 0,
      broken: [],
      brokenCount: 0,
    });
  });

  it('hashes what jsonb gives back: reordered keys, numbers, Unicode, undefined and Dates', async () => {
    const { rows } = await t.db.query<{ id: string }>('SELECT id FROM accounts ORDER BY username LIMIT 1');
    await recordAudit(t.db, {
      actorId: rows[0]!.id.toUpperCase(),
      action: 'test.round_trip',
      subjectType: 'test',
      subjectId: 'round-trip',
      requestId: 'req-\u00e9',
      data: {
        zeta: 1,
        Alpha: { y: [3, 1.5, -0, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, -12.25], x: 'ü 中文 "q" \\ \n\t 😀' },
        é: 1,
        中: 2,
        '😀': 3,
        aa: 4,
        a: 5,
        gone: undefined,
        when: new Date('2026-01-02T03:04:05.006Z'),
        nested: [{ b: 1, a: [] }, null, true, {}],
      },
    });
    const stored = await t.db.query<{ actor_id: string; data: Record<string, unknown> }>(
      `SELECT actor_id, data FROM audit_events WHERE subject_id = 'round-trip'`,
    );
    expect(stored.rows[0]!.actor_id).toBe(rows[0]!.id.toLowerCase());
    expect(stored.rows[0]!.data).not.toHaveProperty('gone');
    expect(stored.rows[0]!.data.when).toBe('2026-01-02T03:04:05.006Z');
    expect((await verifyAuditChain(t.db, { subjectType: 'test', subjectId: 'round-trip' })).brokenCount).toBe(0);
  });

  it('verifies on the seeded database, with logins through the API in and outside transactions', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'OneThing-demo-2026' },
    });
    expect(ok.statusCode).toBe(200);
    const failed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'wrong' },
    });
    expect(failed.statusCode).toBe(401);
    const { rows } = await t.db.query<{ n: number; s: number; c: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT (subject_type, subject_id))::int AS s, count(*) FILTER (WHERE subject_type = 'catalogue')::int AS c FROM audit_events`,
    );
    expect(rows[0]!.c).toBeGreaterThan(0); // the catalogue import of the seed
    const report = await verifyAuditChain(t.db);
    expect(report).toEqual({ subjects: rows[0]!.s, rows: rows[0]!.n, legacy: 0, broken: [], brokenCount: 0 });
    // Keyset pagination gives the same answer whatever the batch size, subjects split across batches included.
    expect(await verifyAuditChain(t.db, { batchSize: 1 })).toEqual(report);
    expect(await verifyAuditChain(t.db, { batchSize: 7 })).toEqual(report);
    const accounts = await verifyAuditChain(t.db, { subjectType: 'account' });
    expect(accounts.rows).toBeGreaterThanOrEqual(2);
    expect(accounts.brokenCount).toBe(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    for (const statement of [
      `UPDATE audit_events SET data = '{}'::jsonb`,
      `DELETE FROM audit_events WHERE subject_id = 'chain-a'`,
      'TRUNCATE audit_events',
    ]) {
      await expect(t.db.query(statement), statement).rejects.toMatchObject({
        code: '23514',
        message: expect.stringMatching(/append-only/),
      });
    }
    expect(await chainOf(t.db, 'test', 'chain-a')).toHaveLength(3);
  });

  it('reports a row whose data was changed as hash_mismatch, and only that row', async () => {
    const [, second] = await chainOf(t.db, 'test', 'chain-a');
    await tamper(t.db, `UPDATE audit_events SET data = '{"i": 20}'::jsonb WHERE id = $1`, [second!.id]);
    const report = await verifyAuditChain(t.db);
    expect(report.broken).toEqual([
      { id: second!.id, subjectType: 'test', subjectId: 'chain-a', seq: 2, reason: 'hash_mismatch' },
    ]);
    // Put back, the row verifies again: the hash covers the data exactly, not its jsonb key order.
    await tamper(t.db, `UPDATE audit_events SET data = '{"i": 2}'::jsonb WHERE id = $1`, [second!.id]);
    expect((await verifyAuditChain(t.db)).brokenCount).toBe(0);
  });

  it('reports the next row when a changed row was given a fresh hash', async () => {
    await record(t.db, 'rehashed', 3);
    const [, second, third] = await chainOf(t.db, 'test', 'rehashed');
    const { rows } = await t.db.query<{ at: string }>(
      `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM audit_events WHERE id = $1`,
      [second!.id],
    );
    const forged = auditHash({
      subjectType: 'test',
      subjectId: 'rehashed',
      seq: 2,
      at: rows[0]!.at,
      actorId: null,
      action: 'test.step_2',
      data: { i: 99 },
      requestId: null,
      prevHash: second!.prev_hash,
    });
    await tamper(t.db, `UPDATE audit_events SET data = '{"i": 99}'::jsonb, hash = $2 WHERE id = $1`, [
      second!.id,
      forged,
    ]);
    expect((await verifyAuditChain(t.db, { subjectType: 'test', subjectId: 'rehashed' })).broken).toEqual([
      { id: third!.id, subjectType: 'test', subjectId: 'rehashed', seq: 3, reason: 'prev_mismatch' },
    ]);
  });

  it('reports a removed middle row at the row after it, as seq_gap and prev_mismatch', async () => {
    await record(t.db, 'gap', 4);
    const [, second, third] = await chainOf(t.db, 'test', 'gap');
    await tamper(t.db, 'DELETE FROM audit_events WHERE id = $1', [second!.id]);
    const report = await verifyAuditChain(t.db, { subjectType: 'test', subjectId: 'gap' });
    expect(report).toEqual({
      subjects: 1,
      rows: 3,
      legacy: 0,
      broken: [
        { id: third!.id, subjectType: 'test', subjectId: 'gap', seq: 3, reason: 'seq_gap' },
        { id: third!.id, subjectType: 'test', subjectId: 'gap', seq: 3, reason: 'prev_mismatch' },
      ],
      brokenCount: 2,
    });
    const capped = await verifyAuditChain(t.db, { subjectType: 'test', subjectId: 'gap', maxBroken: 1 });
    expect([capped.broken.length, capped.brokenCount]).toEqual([1, 2]);
  });

  it('does not accept a legacy marker in the middle of a chain', async () => {
    await record(t.db, 'late-legacy', 3);
    const [, second, third] = await chainOf(t.db, 'test', 'late-legacy');
    await tamper(t.db, `UPDATE audit_events SET hash = 'legacy' WHERE id = $1`, [second!.id]);
    expect(
      (await verifyAuditChain(t.db, { subjectType: 'test', subjectId: 'late-legacy' })).broken.map((b) => [
        b.id,
        b.reason,
      ]),
    ).toEqual([
      [second!.id, 'hash_mismatch'],
      [third!.id, 'prev_mismatch'],
    ]);
  });
});

describe('several rows in one INSERT (recordAudits)', () => {
  it('chains rows of one subject in the order given and continues an existing chain', async () => {
    await recordAudit(t.db, { actorId: null, action: 'test.first', subjectType: 'test', subjectId: 'batch-existing' });
    const fresh = crypto.randomUUID();
    await t.db.transaction((tx) =>
      recordAudits(
        tx,
        [
          { actorId: null, action: 'test.b1', subjectType: 'test', subjectId: 'batch-existing', data: { i: 1 } },
          { actorId: null, action: 'test.n1', subjectType: 'test', subjectId: fresh },
          { actorId: null, action: 'test.b2', subjectType: 'test', subjectId: 'batch-existing', data: { i: 2 } },
          { actorId: null, action: 'test.n2', subjectType: 'test', subjectId: fresh },
        ],
        new Set([fresh]),
      ),
    );
    const existing = await chainOf(t.db, 'test', 'batch-existing');
    expect(existing.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(existing[1]!.prev_hash).toBe(existing[0]!.hash);
    expect((await chainOf(t.db, 'test', fresh)).map((r) => r.seq)).toEqual([1, 2]);
    expect((await verifyAuditChain(t.db, { subjectType: 'test', subjectId: 'batch-existing' })).brokenCount).toBe(0);
    expect((await verifyAuditChain(t.db, { subjectType: 'test', subjectId: fresh })).brokenCount).toBe(0);
  });

  it('refuses the whole transaction, writing nothing, when a subject said to be new already has a chain', async () => {
    const id = crypto.randomUUID();
    await recordAudit(t.db, { actorId: null, action: 'test.first', subjectType: 'test', subjectId: id });
    const other = crypto.randomUUID();
    const failed = await t.db
      .transaction((tx) =>
        recordAudits(
          tx,
          [
            { actorId: null, action: 'test.other', subjectType: 'test', subjectId: other },
            { actorId: null, action: 'test.again', subjectType: 'test', subjectId: id },
          ],
          new Set([id, other]),
        ),
      )
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(sqlState(failed)).toBe('23505');
    expect((await chainOf(t.db, 'test', id)).map((r) => r.seq)).toEqual([1]);
    expect(await chainOf(t.db, 'test', other)).toEqual([]);
  });
});

describe('concurrent writers', () => {
  it('of one subject in 20 transactions make one chain 1..20', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction(async (tx) => {
          // Some work before and after, so that the transactions overlap while one holds the subject's lock.
          await tx.query('SELECT count(*) FROM audit_events');
          await recordAudit(tx, {
            actorId: null,
            action: 'test.concurrent',
            subjectType: 'test',
            subjectId: 'concurrent',
            data: { i },
          });
          await sleep(i % 3);
        }),
      ),
    );
    expect((await chainOf(t.db, 'test', 'concurrent')).map((r) => r.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(await verifyAuditChain(t.db, { subjectType: 'test', subjectId: 'concurrent' })).toMatchObject({
      rows: 20,
      brokenCount: 0,
    });
  });

  it('given the database rather than a transaction, still chain (each write in a transaction of its own)', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordAudit(t.db, {
          actorId: null,
          action: 'test.concurrent',
          subjectType: 'test',
          subjectId: 'concurrent-db',
          data: { i },
        }),
      ),
    );
    expect((await chainOf(t.db, 'test', 'concurrent-db')).map((r) => r.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect((await verifyAuditChain(t.db, { subjectType: 'test', subjectId: 'concurrent-db' })).brokenCount).toBe(0);
  });

  // PGlite runs one transaction at a time; on PostgreSQL the lock is per subject.
  // PostgreSQL only: the test exists only where it means something (PGlite runs one transaction at a time).
  itOn('postgres')('of different subjects do not wait for each other; of the same subject they do', async () => {
    let locked!: () => void;
    let finish!: () => void;
    const holding = new Promise<void>((r) => (locked = r));
    const released = new Promise<void>((r) => (finish = r));
    const first = t.db.transaction(async (tx) => {
      await recordAudit(tx, { actorId: null, action: 'test.hold', subjectType: 'test', subjectId: 'held' });
      locked();
      await released;
    });
    await holding;
    const other = t.db.transaction((tx) =>
      recordAudit(tx, { actorId: null, action: 'test.other', subjectType: 'test', subjectId: 'not-held' }),
    );
    expect(await Promise.race([other.then(() => 'done'), sleep(10_000)])).toBe('done');
    const same = t.db.transaction((tx) =>
      recordAudit(tx, { actorId: null, action: 'test.same', subjectType: 'test', subjectId: 'held' }),
    );
    expect(await Promise.race([same.then(() => 'done'), sleep(300)])).toBe('timeout');
    finish();
    await Promise.all([first, same]);
    expect((await chainOf(t.db, 'test', 'held')).map((r) => r.seq)).toEqual([1, 2]);
  });
});

/** A database of its own (not the seeded template), on the kind this run tests, that the CLI can open too. */
async function ownDatabase(): Promise<{
  open(): Promise<Database>;
  env: Record<string, string>;
  drop(): Promise<void>;
}> {
  const tpl = inject('dbTemplate');
  if (tpl.kind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-audit-'));
    return {
      open: () => openPglite({ dataDir: path.join(dir, 'pglite') }),
      env: { DATA_DIR: dir },
      async drop() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  // Named like the per-file databases, so that the run's teardown drops it should this file not get to.
  const name = `${tpl.template}_t${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: tpl.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(tpl.adminUrl);
  url.pathname = `/${name}`;
  return {
    open: () => openPostgres(url.toString(), { max: 3 }),
    env: { DATABASE_URL: url.toString(), DATA_DIR: os.tmpdir() },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

describe('migration 0002 on a table that already has rows', () => {
  it('marks them legacy at the start of their chains, and new rows continue the chains', async () => {
    const own = await ownDatabase();
    const db = await own.open();
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
      const first = readMigrations().find((m) => m.id === 1)!;
      fs.writeFileSync(path.join(dir, `0001_${first.name}.sql`), first.sql);
      await migrate(db, testPii(), dir);
      fs.rmSync(dir, { recursive: true });
      await db.exec(`INSERT INTO audit_events (action, subject_type, subject_id) VALUES
        ('old.a', 'test', 'x'), ('old.b', 'test', 'y'), ('old.c', 'test', 'x')`);
      await migrate(db, testPii());

      const x = await chainOf(db, 'test', 'x');
      expect(x.map((r) => [r.seq, r.prev_hash, r.hash])).toEqual([
        [1, null, 'legacy'],
        [2, 'legacy', 'legacy'],
      ]);
      await recordAudit(db, { actorId: null, action: 'new.d', subjectType: 'test', subjectId: 'x' });
      expect((await chainOf(db, 'test', 'x'))[2]).toMatchObject({ seq: 3, prev_hash: 'legacy' });
      expect(await verifyAuditChain(db)).toEqual({ subjects: 2, rows: 4, legacy: 3, broken: [], brokenCount: 0 });
    } finally {
      await db.close();
      await own.drop();
    }
  });
});

describe('onething audit verify', () => {
  const CLI = path.resolve(import.meta.dirname, '../bin/onething.mjs');
  const run = promisify(execFile);
  async function cli(env: Record<string, string>, ...args: string[]) {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  it('says OK on an intact log and exits 1 naming the row once one was changed', async () => {
    const own = await ownDatabase();
    try {
      let db = await own.open();
      await migrate(db, testPii());
      await record(db, 'cli-1', 3);
      await record(db, 'cli:2', 2, 'other');
      const [, changed] = await chainOf(db, 'test', 'cli-1');
      await db.close();

      const ok = await cli(own.env, 'audit', 'verify');
      expect(ok.stdout.trim(), ok.stderr).toBe('audit chain OK: 5 rows in 2 subjects');
      expect(ok.code).toBe(0);
      const json = await cli(own.env, 'audit', 'verify', '--json', '--subject', 'other:cli:2');
      expect(JSON.parse(json.stdout)).toEqual({ subjects: 1, rows: 2, legacy: 0, broken: [], brokenCount: 0 });

      db = await own.open();
      await tamper(db, `UPDATE audit_events SET action = 'test.rewritten' WHERE id = $1`, [changed!.id]);
      await db.close();

      const broken = await cli(own.env, 'audit', 'verify');
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('audit chain BROKEN: 1 findings in 5 rows of 2 subjects');
      expect(broken.stdout).toContain(`id ${changed!.id}  test:cli-1  seq 2  hash_mismatch`);
      const other = await cli(own.env, 'audit', 'verify', '--subject', 'other');
      expect([other.code, other.stdout.trim()]).toEqual([0, 'audit chain OK: 2 rows in 1 subjects']);
      expect((await cli(own.env, 'audit', 'verify', '--subject', ':x')).code).toBe(2);
    } finally {
      await own.drop();
    }
  });

  // PGlite only: a data directory is PGlite's.
  itOn('pglite')('refuses a PGlite directory a server owns, and one with no database', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-audit-'));
    try {
      const none = await cli({ DATA_DIR: dir }, 'audit', 'verify');
      expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/no database/)]);
      fs.mkdirSync(path.join(dir, 'pglite'));
      // Our parent process stands in for a running server.
      fs.writeFileSync(
        path.join(dir, 'onething.lock'),
        JSON.stringify({ pid: process.ppid, startedAt: 'x', url: 'http://127.0.0.1:3000' }),
      );
      const owned = await cli({ DATA_DIR: dir }, 'audit', 'verify');
      expect([owned.code, owned.stderr]).toEqual([1, expect.stringMatching(/in use/)]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
