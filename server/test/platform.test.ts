// The platform underneath the contexts: migrations, the typed schema, jobs in the business transaction,
// and the PGlite data-directory lock.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as platformTables from '../src/platform/tables.ts';
import * as applicationsTables from '../src/modules/applications/applications.tables.ts';
import * as calendarTables from '../src/modules/calendar/calendar.tables.ts';
import * as casesTables from '../src/modules/cases/cases.tables.ts';
import * as catalogueTables from '../src/modules/catalogue/catalogue.tables.ts';
import * as identityTables from '../src/modules/identity/identity.tables.ts';
import * as notificationsTables from '../src/modules/notifications/notifications.tables.ts';
import { migrate, readMigrations } from '../src/platform/migrate.ts';
import { createJobs, defineJob, type Jobs } from '../src/platform/jobs.ts';
import { acquireLock, DataDirBusyError, readLock } from '../src/platform/datadir-lock.ts';
import { nextYearCheck } from '../src/modules/calendar/index.ts';
import { asStored, insertTogether, isUniqueViolation, rowsFor } from '../src/platform/db.ts';
import { createTestDb, testPii, type TestDb } from './helpers.ts';

// Every Drizzle table, each declared by the module that owns it.
const schema = {
  ...platformTables,
  ...applicationsTables,
  ...calendarTables,
  ...casesTables,
  ...catalogueTables,
  ...identityTables,
  ...notificationsTables,
};

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

describe('migrations', () => {
  it('are numbered, applied once with checksums, and a second run is a no-op', async () => {
    const files = readMigrations();
    expect(files.map((m) => m.id)).toEqual(files.map((_, i) => i + 1));
    const { rows } = await t.db.query<{ id: number; checksum: string }>(
      'SELECT id, checksum FROM schema_migrations ORDER BY id',
    );
    expect(rows).toEqual(files.map((m) => ({ id: m.id, checksum: m.checksum })));
    expect(await migrate(t.db, testPii())).toEqual({ applied: [] });
  });

  it('refuses to start when an applied migration was edited', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    for (const m of readMigrations())
      fs.writeFileSync(
        path.join(dir, `${String(m.id).padStart(4, '0')}_${m.name}.sql`),
        m.sql + (m.id === 1 ? '\n-- edited\n' : ''),
      );
    await expect(migrate(t.db, testPii(), dir)).rejects.toThrow(/changed after it was applied/);
    fs.rmSync(dir, { recursive: true });
  });

  it('match the typed schema column by column', async () => {
    for (const table of Object.values(schema) as PgTable[]) {
      const cfg = getTableConfig(table);
      const { rows } = await t.db.query<{ column_name: string; is_nullable: string }>(
        `SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`,
        [cfg.name],
      );
      const inDb = rows.map((r) => `${r.column_name}:${r.is_nullable === 'YES' ? 'null' : 'not null'}`);
      const inCode = cfg.columns.map((c) => `${c.name}:${c.notNull ? 'not null' : 'null'}`).sort();
      expect(inDb, cfg.name).toEqual(inCode);
    }
  });
});

describe('insertTogether: the rows of several tables in one statement', () => {
  const account = () => ({
    id: crypto.randomUUID(),
    kind: 'person' as const,
    username: `together-${crypto.randomUUID()}`,
    displayName: '合写测试',
  });

  it('writes every part, children after their parent, and gives back what a select reads', async () => {
    const a = account();
    const at = new Date('2026-03-02T01:02:03.456Z');
    const notes = [0, 1, 2].map((i) => ({
      id: crypto.randomUUID(),
      recipientId: a.id,
      kind: `together.${i}`,
      payload: { i, nested: { name: '张三', list: [1, 'x'] }, dropped: undefined },
      createdAt: at,
    }));
    const files = rowsFor(schema.files, [
      {
        id: crypto.randomUUID(),
        ownerId: a.id,
        fileName: 'a.pdf',
        contentType: 'application/pdf',
        size: 3,
        sha256: 'ab',
        storageKey: 'k',
        createdAt: at,
      },
    ]);
    const events = rowsFor(
      schema.auditEvents,
      [0, 1].map((i) => ({
        at,
        actorId: a.id,
        action: 'together.test',
        subjectType: 'together',
        data: { i },
        seq: 1,
        prevHash: null,
        hash: String(i).repeat(64),
        keyId: 'dev',
        subjectId: `${a.id}-${i}`,
      })),
      'id',
    );
    const returned = await insertTogether(t.db, [
      rowsFor(schema.accounts, [a]),
      rowsFor(schema.notifications, notes),
      files,
      events,
      { sql: 'DELETE FROM files WHERE id = $1', params: [crypto.randomUUID()] },
    ]);
    expect([...returned.keys()]).toEqual([events]);
    const ids = returned.get(events)!.map(Number);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBeGreaterThan(ids[0]!);

    const read = await t.db.db
      .select()
      .from(schema.notifications)
      .where(sql`${schema.notifications.recipientId} = ${a.id}`)
      .orderBy(schema.notifications.kind);
    expect(read).toEqual(notes.map((n) => asStored(schema.notifications, n)));
    expect(read[0]!.readAt).toBeNull(); // not given, no default: null
    const [audit] = await t.db.db.select().from(schema.auditEvents).where(sql`${schema.auditEvents.id} = ${ids[0]}`);
    expect(audit).toEqual(asStored(schema.auditEvents, { ...events.rows[0]!, id: ids[0]! }));
  });

  it('writes nothing when any part fails, and names nothing it could not give back', async () => {
    const a = account();
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications');
    // The second account reuses the first one's username: the unique index refuses the statement, parents and all.
    const err = await insertTogether(t.db, [
      rowsFor(schema.accounts, [a, { ...account(), username: a.username }]),
      rowsFor(schema.notifications, [
        { id: crypto.randomUUID(), recipientId: a.id, kind: 'together.lost', payload: {} },
      ]),
    ]).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect((await t.db.query('SELECT 1 FROM accounts WHERE id = $1', [a.id])).rows).toEqual([]);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications')).rows).toEqual(before.rows);
    // A row whose timestamp the database would choose cannot be given back as stored.
    expect(() =>
      asStored(schema.notifications, { id: crypto.randomUUID(), recipientId: a.id, kind: 'k', payload: {} }),
    ).toThrow(/created_at/);
    // An SQL expression as a value is refused before anything is sent.
    await expect(
      insertTogether(t.db, [rowsFor(schema.accounts, [{ ...account(), displayName: sql`'x'` as unknown as string }])]),
    ).rejects.toThrow(/display_name/);
  });
});

describe('jobs', () => {
  let jobs: Jobs;
  const seen: Array<{ n: number; attempt: number }> = [];
  const attempts = new Map<number, number>();
  const probe = defineJob<{ n: number; failTimes?: number }>({
    name: 'test.probe.v1',
    retryLimit: 3,
    retryDelaySeconds: 1,
    retryBackoff: false,
    async handle(data) {
      const attempt = (attempts.get(data.n) ?? 0) + 1;
      attempts.set(data.n, attempt);
      if (attempt <= (data.failTimes ?? 0)) throw new Error(`planned failure ${attempt}`);
      seen.push({ n: data.n, attempt });
    },
  });

  beforeAll(async () => {
    jobs = createJobs(t.db, [probe as never, nextYearCheck as never], pino({ level: 'silent' }));
    await jobs.start({ workers: true });
  });
  afterAll(async () => jobs?.stop());

  const waitFor = async (cond: () => boolean, ms = 20_000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('exists exactly when the business transaction commits', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await jobs.enqueue(tx, probe, { n: 1 });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await t.db.transaction(async (tx) => {
      await jobs.enqueue(tx, probe, { n: 2 });
    });
    await waitFor(() => seen.some((s) => s.n === 2));
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT (data->>'n')::int AS n FROM pgboss.job WHERE name = 'test.probe.v1'`,
    );
    expect(rows.map((r) => r.n)).toEqual([2]);
    expect(seen.some((s) => s.n === 1)).toBe(false);
  });

  it('retries a failing job until it succeeds', async () => {
    await t.db.transaction(async (tx) => {
      await jobs.enqueue(tx, probe, { n: 3, failTimes: 2 });
    });
    await waitFor(() => seen.some((s) => s.n === 3), 30_000);
    expect(seen.find((s) => s.n === 3)?.attempt).toBe(3);
  }, 40_000);

  it('records once a day that next year\u2019s calendar is missing from November on', async () => {
    const log = pino({ level: 'silent' });
    await nextYearCheck.handle({ today: '2026-10-15' }, { db: t.db, log, jobId: 'x' });
    await nextYearCheck.handle({ today: '2026-11-20' }, { db: t.db, log, jobId: 'x' });
    await nextYearCheck.handle({ today: '2026-11-20' }, { db: t.db, log, jobId: 'y' });
    await nextYearCheck.handle({ today: '2025-12-01' }, { db: t.db, log, jobId: 'z' });
    const { rows } = await t.db.query<{ subject_id: string }>(
      // The days handled here only: the job's own daily schedule (01:00 UTC) may also run while this test does.
      `SELECT subject_id FROM audit_events WHERE action = 'calendar.next_year_missing'
         AND data->>'checkedOn' IN ('2026-10-15', '2026-11-20', '2025-12-01')`,
    );
    expect(rows.map((r) => r.subject_id)).toEqual(['2027']);
  });
});

describe('the PGlite data-directory lock', () => {
  it('lets one process own a directory and reports the owner', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
    // A lock held by another live process (our parent stands in for a running server).
    fs.writeFileSync(
      path.join(dir, 'onething.lock'),
      JSON.stringify({ pid: process.ppid, startedAt: 'x', url: 'http://127.0.0.1:3000' }),
    );
    expect(readLock(dir)?.url).toBe('http://127.0.0.1:3000');
    expect(() => acquireLock(dir)).toThrow(DataDirBusyError);
    // A lock left by a process that is gone does not count.
    fs.writeFileSync(path.join(dir, 'onething.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, startedAt: 'x' }));
    const lock = acquireLock(dir);
    lock.update({ url: 'http://127.0.0.1:4000' });
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8'))).toMatchObject({
      pid: process.pid,
      url: 'http://127.0.0.1:4000',
    });
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});
