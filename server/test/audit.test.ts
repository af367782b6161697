// The audit log: append-only, hash-chained per subject, keyed (HMAC-SM3 under AUDIT_KEY), its chains' heads
// checkpointed, and verifiable by `onething audit verify`. Tampering here goes around the trigger and the
// constraints the way only a database owner could, inside a transaction of its own.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import pino from 'pino';
import { auditHash, auditMacOf, LEGACY_HASH, recordAudit, recordAudits } from '../src/platform/audit.ts';
import { developmentAuditKeys, parseAuditKeys, type AuditKeyRing } from '../src/platform/audit-keys.ts';
import { auditCheckpointJob, writeAuditCheckpoint } from '../src/platform/audit-checkpoints.ts';
import { verifyAuditChain } from '../src/ops/audit-verify.ts';
import { loadConfig } from '../src/config.ts';
import { jobDefinitions } from '../src/jobs.ts';
import { openPglite, openPostgres, sqlState, type Database, type Executor } from '../src/platform/db.ts';
import { migrate, readMigrations } from '../src/platform/migrate.ts';
import { createTestApp, createTestDb, testPii, type TestApp, type TestDb } from './helpers.ts';

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

const KEYED = `CHECK (key_id IS NOT NULL AND key_id ~ '^[A-Za-z0-9_-]{1,32}$' AND hash ~ '^[0-9a-f]{64}$') NOT VALID`;

/**
 * Runs SQL past the append-only triggers and the keyed-rows constraint, in one transaction, so no other writer ever
 * sees them gone; the constraint comes back NOT VALID, as migration 0013 made it.
 */
async function tamper(db: Database, text: string, params: unknown[] = []) {
  await db.transaction(async (tx) => {
    await tx.exec(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
      ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only;
      ALTER TABLE audit_checkpoint_heads DISABLE TRIGGER audit_checkpoint_heads_append_only;
      ALTER TABLE audit_events DROP CONSTRAINT audit_events_keyed`);
    if (params.length) await tx.query(text, params);
    else await tx.exec(text);
    await tx.exec(`ALTER TABLE audit_events ADD CONSTRAINT audit_events_keyed ${KEYED};
      ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;
      ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_append_only;
      ALTER TABLE audit_checkpoint_heads ENABLE TRIGGER audit_checkpoint_heads_append_only`);
  });
}

/** What a verification of an intact log says, checkpoints aside. */
const INTACT = { broken: [], brokenCheckpoints: [], brokenCount: 0 };

async function record(ex: Executor, subjectId: string, n: number, subjectType = 'test') {
  for (let i = 1; i <= n; i++)
    await recordAudit(ex, { actorId: null, action: `test.step_${i}`, subjectType, subjectId, data: { i } });
}

const sleep = (ms: number) => new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms));

describe('the hash of an audit row', () => {
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

  it('is HMAC-SM3 under the signing key of the canonical JSON of the row, its key id and the previous hash', () => {
    const key = { id: 'k1', secret: Buffer.alloc(32, 7) };
    const text =
      '{"action":"identity.login","actorId":null,"at":"2026-03-01T08:00:00.123Z","data":{"a":{"c":null,"d":true},"b":[1,"x"]},' +
      `"keyId":"k1","prevHash":"${'ab'.repeat(32)}","requestId":"req-1","seq":2,"subjectId":"a1","subjectType":"account"}`;
    expect(auditMacOf(fields, key)).toBe(crypto.createHmac('sm3', key.secret).update(text).digest('hex'));
    // Another key, or the same secret under another id, gives another hash.
    expect(auditMacOf(fields, { id: 'k1', secret: Buffer.alloc(32, 8) })).not.toBe(auditMacOf(fields, key));
    expect(auditMacOf(fields, { id: 'k2', secret: key.secret })).not.toBe(auditMacOf(fields, key));
  });

  it('of a row from before the keyed log is SHA-256 of the canonical JSON of the row with the previous hash', () => {
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
    expect(await verifyAuditChain(t.db, { subjectType: 'test', subjectId: 'chain-a' })).toMatchObject({
      subjects: 1,
      rows: 3,
      legacy: 0,
      unkeyed: 0,
      ...INTACT,
    });
    const { rows: keys } = await t.db.query<{ key_id: string }>(
      `SELECT DISTINCT key_id FROM audit_events WHERE subject_id IN ('chain-a', 'chain-b')`,
    );
    expect(keys).toEqual([{ key_id: 'dev' }]);
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
    expect(report).toMatchObject({ subjects: rows[0]!.s, rows: rows[0]!.n, legacy: 0, unkeyed: 0, ...INTACT });
    // The template was sealed empty by its migration, then seeded: no checkpoint has recorded the seed yet.
    expect(report.checkpoints.count).toBeGreaterThanOrEqual(1);
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

  it('reports the next row when a changed row was given a fresh HMAC by someone holding the key', async () => {
    await record(t.db, 'rehashed', 3);
    const [, second, third] = await chainOf(t.db, 'test', 'rehashed');
    const { rows } = await t.db.query<{ at: string }>(
      `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM audit_events WHERE id = $1`,
      [second!.id],
    );
    const forged = auditMacOf(
      {
        subjectType: 'test',
        subjectId: 'rehashed',
        seq: 2,
        at: rows[0]!.at,
        actorId: null,
        action: 'test.step_2',
        data: { i: 99 },
        requestId: null,
        prevHash: second!.prev_hash,
      },
      developmentAuditKeys().keys[0]!,
    );
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
    expect(report).toMatchObject({
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

interface StoredRow {
  id: number;
  seq: number;
  at: string;
  action: string;
  prev_hash: string | null;
  hash: string;
  key_id: string | null;
}

/** A chain's rows with what their hash covers, as someone rewriting them would read them. */
async function storedRows(ex: Executor, subjectType: string, subjectId: string): Promise<StoredRow[]> {
  const { rows } = await ex.query<StoredRow>(
    `SELECT id, seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, action, prev_hash, hash, key_id
       FROM audit_events WHERE subject_type = $1 AND subject_id = $2 ORDER BY seq`,
    [subjectType, subjectId],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Rewrites a chain with data { i: 100 + seq } and each hash the plain SHA-256 over it, linked as the verifier links. */
async function rewriteWithSha256(db: Database, subjectId: string, keyId: 'keep' | null) {
  let prev: string | null = null;
  for (const r of await storedRows(db, 'test', subjectId)) {
    const data = { i: 100 + r.seq };
    const fields = { subjectType: 'test', subjectId, seq: r.seq, at: r.at, actorId: null, action: r.action, data };
    const hash = auditHash({ ...fields, requestId: null, prevHash: prev });
    await tamper(
      db,
      `UPDATE audit_events SET data = $2::jsonb, prev_hash = $3, hash = $4${keyId === null ? ', key_id = NULL' : ''} WHERE id = $1`,
      [r.id, JSON.stringify(data), prev, hash],
    );
    prev = hash;
  }
}

describe('tampering that only the key and the checkpoints show', () => {
  let own: TestDb;
  beforeAll(async () => {
    own = await createTestDb();
  });
  afterAll(async () => own?.close());
  const verifyOne = (subjectId: string) => verifyAuditChain(own.db, { subjectType: 'test', subjectId });
  const findings = async (subjectId: string) =>
    (await verifyOne(subjectId)).broken.map((b) => [b.id === null ? 'gone' : b.seq, b.reason]);

  it("the removal of a chain's last row, once a checkpoint recorded the chain", async () => {
    await record(own.db, 'tail', 3);
    const [, , third] = await chainOf(own.db, 'test', 'tail');
    // Until a checkpoint records the chain its end is as removable as ever, and the report says how many rows wait.
    expect(await verifyOne('tail')).toMatchObject({ uncovered: 3, ...INTACT });
    expect(await writeAuditCheckpoint(own.db)).toMatchObject({ no: 2, heads: expect.any(Number) });
    expect(await verifyOne('tail')).toMatchObject({ uncovered: 0, ...INTACT });

    await tamper(own.db, 'DELETE FROM audit_events WHERE id = $1', [third!.id]);
    expect(await verifyOne('tail')).toMatchObject({
      rows: 2,
      broken: [{ id: null, subjectType: 'test', subjectId: 'tail', seq: 3, reason: 'truncated' }],
      brokenCount: 1,
    });
  });

  it("the removal of a subject's whole chain", async () => {
    await record(own.db, 'whole', 2);
    await writeAuditCheckpoint(own.db);
    await tamper(own.db, `DELETE FROM audit_events WHERE subject_type = 'test' AND subject_id = 'whole'`);
    expect(await verifyOne('whole')).toMatchObject({
      subjects: 0,
      rows: 0,
      broken: [{ id: null, subjectType: 'test', subjectId: 'whole', seq: 2, reason: 'truncated' }],
      brokenCount: 1,
    });
    expect((await verifyAuditChain(own.db)).broken).toContainEqual({
      id: null,
      subjectType: 'test',
      subjectId: 'whole',
      seq: 2,
      reason: 'truncated',
    });
  });

  it('a chain rewritten with its SHA-256 hashes recomputed, before any checkpoint saw it', async () => {
    await record(own.db, 'rewritten', 3);
    await rewriteWithSha256(own.db, 'rewritten', 'keep');
    expect(await findings('rewritten')).toEqual([
      [1, 'hash_mismatch'],
      [2, 'hash_mismatch'],
      [3, 'hash_mismatch'],
    ]);
  });

  it('a chain rewritten with SHA-256 and passed off as from before the keyed log', async () => {
    await record(own.db, 'passed-off', 2);
    await rewriteWithSha256(own.db, 'passed-off', null);
    // The hashes are right for unkeyed rows; the seal does not know the chain.
    expect(await findings('passed-off')).toEqual([
      [1, 'unsealed'],
      [2, 'unsealed'],
    ]);
  });

  it("rows relabelled as from before the chain existed (hash 'legacy')", async () => {
    await record(own.db, 'relabelled', 2);
    await tamper(
      own.db,
      `UPDATE audit_events SET key_id = NULL, hash = 'legacy', data = '{"i": 0}'::jsonb,
              prev_hash = CASE WHEN seq = 1 THEN NULL ELSE 'legacy' END
        WHERE subject_type = 'test' AND subject_id = 'relabelled'`,
    );
    const report = await verifyOne('relabelled');
    expect(report.legacy).toBe(2);
    expect(await findings('relabelled')).toEqual([
      [1, 'unsealed'],
      [2, 'unsealed'],
    ]);
    // Once a checkpoint had recorded the chain, the relabelled head is also not the one recorded.
    await record(own.db, 'relabelled-late', 2);
    await writeAuditCheckpoint(own.db);
    await tamper(
      own.db,
      `UPDATE audit_events SET key_id = NULL, hash = 'legacy', prev_hash = CASE WHEN seq = 1 THEN NULL ELSE 'legacy' END
        WHERE subject_type = 'test' AND subject_id = 'relabelled-late'`,
    );
    expect(await findings('relabelled-late')).toEqual([
      [1, 'unsealed'],
      [2, 'unsealed'],
      [2, 'head_mismatch'],
    ]);
  });

  it('refuses a new row without a key: legacy, a plain SHA-256, or a key id with a legacy hash', async () => {
    for (const [keyId, hash] of [
      [null, LEGACY_HASH],
      [null, 'a'.repeat(64)],
      ['dev', LEGACY_HASH],
    ] as const) {
      const err = await own.db
        .query(
          `INSERT INTO audit_events (action, subject_type, subject_id, seq, prev_hash, hash, key_id)
           VALUES ('test.forged', 'test', $1, 1, NULL, $2, $3)`,
          [crypto.randomUUID(), hash, keyId],
        )
        .catch((e: unknown) => e);
      expect(sqlState(err), `${keyId} ${hash}`).toBe('23514');
      expect((err as Error).message).toMatch(/audit_events_keyed/);
    }
  });
});

describe('the keys', () => {
  const b64 = () => crypto.randomBytes(32).toString('base64');

  it('verify rows under an older key while it is listed, and name the rows once it is not', async () => {
    const k1 = `k1:${b64()}`;
    const k2 = `k2:${b64()}`;
    const own = await ownDatabase();
    try {
      let db = await own.open(parseAuditKeys(k1));
      await migrate(db, testPii());
      await record(db, 'rotated', 2);
      await writeAuditCheckpoint(db);
      await db.close();

      db = await own.open(parseAuditKeys(`${k2},${k1}`));
      await record(db, 'rotated', 1);
      await writeAuditCheckpoint(db);
      expect((await storedRows(db, 'test', 'rotated')).map((r) => r.key_id)).toEqual(['k1', 'k1', 'k2']);
      expect(await verifyAuditChain(db)).toMatchObject({ rows: 3, uncovered: 0, ...INTACT });
      await db.close();

      db = await own.open(parseAuditKeys(k2));
      const report = await verifyAuditChain(db);
      await db.close();
      expect(report.broken.map((b) => [b.seq, b.reason])).toEqual([
        [1, 'unknown_key'],
        [2, 'unknown_key'],
      ]);
      expect(report.brokenCheckpoints.map((c) => [c.no, c.reason])).toEqual([
        [1, 'checkpoint_mac'],
        [2, 'checkpoint_mac'],
        [2, 'head_mac'],
      ]);
    } finally {
      await own.drop();
    }
  });

  it('are required in production, at least 32 bytes each, with distinct ids', () => {
    const prod = {
      NODE_ENV: 'production',
      OTP_DELIVERY: 'outbox',
      PII_KEYS: `k1:${b64()}`,
      PII_HASH_KEY: b64(),
      SSO_KEY_ENCRYPTION_KEY: b64(),
    };
    expect(() => loadConfig(prod)).toThrow(/AUDIT_KEY: required in production/);
    expect(loadConfig({ ...prod, AUDIT_KEY: `a1:${b64()}` }).AUDIT_KEY).toMatch(/^a1:/);
    expect(() => parseAuditKeys('a1:c2hvcnQ=')).toThrow(/at least 32/);
    expect(() => parseAuditKeys(`a1:${b64()},a1:${b64()}`)).toThrow(/twice/);
    expect(parseAuditKeys(`a2:${b64()}, a1:${b64()}`).keys.map((k) => k.id)).toEqual(['a2', 'a1']);
  });
});

describe('the checkpoints', () => {
  it('record only the chains that moved since the last one, and nothing when none did', async () => {
    const own = await createTestDb();
    try {
      // The template was sealed empty and then seeded: the first checkpoint here records the seed's chains too.
      await record(own.db, 'moved-a', 2);
      await record(own.db, 'moved-b', 1);
      const first = await writeAuditCheckpoint(own.db);
      expect(first!.heads).toBeGreaterThanOrEqual(2);
      await record(own.db, 'moved-a', 1);
      const second = await writeAuditCheckpoint(own.db);
      expect(second).toMatchObject({ no: first!.no + 1, heads: 1, prevMac: first!.mac, keyId: 'dev' });
      const { rows } = await own.db.query(
        'SELECT subject_type, subject_id, seq FROM audit_checkpoint_heads WHERE checkpoint_no = $1',
        [second!.no],
      );
      expect(rows).toEqual([{ subject_type: 'test', subject_id: 'moved-a', seq: 3 }]);
      expect(await writeAuditCheckpoint(own.db)).toBeNull();
      expect(await verifyAuditChain(own.db)).toMatchObject({ uncovered: 0, ...INTACT });
      // Append-only, as the log.
      for (const table of ['audit_checkpoints', 'audit_checkpoint_heads'])
        await expect(own.db.query(`DELETE FROM ${table}`)).rejects.toMatchObject({ code: '23514' });
    } finally {
      await own.close();
    }
  });

  it('show a checkpoint changed, one removed and a recorded head removed', async () => {
    const own = await createTestDb();
    try {
      for (const i of [1, 2, 3]) {
        await record(own.db, `cp-${i}`, 2);
        await writeAuditCheckpoint(own.db);
      }
      expect(await verifyAuditChain(own.db)).toMatchObject({ checkpoints: { count: 4 }, ...INTACT });
      await tamper(own.db, 'UPDATE audit_checkpoints SET watermark = watermark - 1 WHERE no = 2');
      await tamper(own.db, 'DELETE FROM audit_checkpoints WHERE no = 3');
      await tamper(own.db, `DELETE FROM audit_checkpoint_heads WHERE checkpoint_no = 4 AND subject_id = 'cp-3'`);
      const report = await verifyAuditChain(own.db);
      expect(report.brokenCheckpoints).toEqual([
        { no: 2, reason: 'checkpoint_mac' },
        { no: 3, reason: 'checkpoint_missing' },
        { no: 4, reason: 'checkpoint_heads' },
        // Checkpoint 3 is gone, so its heads have no key to verify under.
        { no: 3, reason: 'head_mac', subjectType: 'test', subjectId: 'cp-2' },
      ]);
      // A head changed to let a shortened chain pass does not verify either.
      await record(own.db, 'cp-4', 3);
      await writeAuditCheckpoint(own.db);
      const [, , third] = await chainOf(own.db, 'test', 'cp-4');
      await tamper(own.db, 'DELETE FROM audit_events WHERE id = $1', [third!.id]);
      const [, second] = await chainOf(own.db, 'test', 'cp-4');
      await tamper(own.db, `UPDATE audit_checkpoint_heads SET seq = 2, hash = $1 WHERE subject_id = 'cp-4'`, [
        second!.hash,
      ]);
      expect((await verifyAuditChain(own.db)).brokenCheckpoints).toContainEqual({
        no: 5,
        reason: 'head_mac',
        subjectType: 'test',
        subjectId: 'cp-4',
      });
    } finally {
      await own.close();
    }
  });

  it('show the log sealed again after every checkpoint was removed', async () => {
    const own = await createTestDb();
    try {
      await record(own.db, 'resealed', 2);
      await tamper(
        own.db,
        `DELETE FROM audit_checkpoint_heads; DELETE FROM audit_checkpoints;
         INSERT INTO pending_data_steps (name) VALUES ('seal-audit-log')`,
      );
      await migrate(own.db, testPii());
      const report = await verifyAuditChain(own.db);
      expect(report.checkpoints.count).toBe(1);
      expect(report.brokenCheckpoints).toEqual([{ no: 1, reason: 'late_seal' }]);
      // Nothing but the migration runner writes checkpoint 1.
      await tamper(own.db, 'DELETE FROM audit_checkpoint_heads; DELETE FROM audit_checkpoints');
      await expect(writeAuditCheckpoint(own.db)).rejects.toThrow(/no seal/);
    } finally {
      await own.close();
    }
  });

  // PostgreSQL only: on PGlite no transaction is open while a checkpoint runs.
  itOn('postgres')('cover a row committed after two checkpoints whose watermarks had passed its id', async () => {
    const own = await createTestDb();
    try {
      await writeAuditCheckpoint(own.db);
      let written!: () => void;
      let commit!: () => void;
      const inserted = new Promise<void>((r) => (written = r));
      const release = new Promise<void>((r) => (commit = r));
      const open = own.db.transaction(async (tx) => {
        await recordAudit(tx, { actorId: null, action: 'test.late', subjectType: 'test', subjectId: 'late' });
        written();
        await release;
      });
      await inserted;
      // Two checkpoints while the transaction stays open, each with rows of its own above the open one's.
      await record(own.db, 'early', 1);
      await writeAuditCheckpoint(own.db);
      await record(own.db, 'early', 1);
      const passed = await writeAuditCheckpoint(own.db);
      const [late] = await chainOf(own.db, 'test', 'late');
      expect(late).toBeUndefined(); // not committed yet
      commit();
      await open;
      const [lateRow] = await chainOf(own.db, 'test', 'late');
      expect(lateRow!.id).toBeLessThan(passed!.watermark);
      // The next checkpoint starts below the open transaction's row, and records it.
      await writeAuditCheckpoint(own.db);
      expect(await verifyAuditChain(own.db, { subjectType: 'test', subjectId: 'late' })).toMatchObject({
        uncovered: 0,
        ...INTACT,
      });
    } finally {
      await own.close();
    }
  });

  it('are written by a job every minute', async () => {
    const job = jobDefinitions({ cases: {} as never }).find((d) => d.name === auditCheckpointJob.name);
    expect(job).toMatchObject({ schedule: '* * * * *' });
    const own = await createTestDb();
    try {
      await record(own.db, 'by-job', 1);
      await job!.handle({}, { db: own.db, log: pino({ level: 'silent' }), jobId: 'test' });
      expect(await verifyAuditChain(own.db, { subjectType: 'test', subjectId: 'by-job' })).toMatchObject({
        uncovered: 0,
        ...INTACT,
      });
    } finally {
      await own.close();
    }
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
  open(auditKeys?: AuditKeyRing): Promise<Database>;
  env: Record<string, string>;
  drop(): Promise<void>;
}> {
  const tpl = inject('dbTemplate');
  if (tpl.kind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-audit-'));
    return {
      open: (auditKeys) => openPglite({ dataDir: path.join(dir, 'pglite'), ...(auditKeys ? { auditKeys } : {}) }),
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
    open: (auditKeys) => openPostgres(url.toString(), { max: 3, ...(auditKeys ? { auditKeys } : {}) }),
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
      // Sealed by migration 0013 as they stood; the keyed row after them is not in a checkpoint yet.
      expect(await verifyAuditChain(db)).toMatchObject({
        subjects: 2,
        rows: 4,
        legacy: 3,
        unkeyed: 3,
        uncovered: 1,
        ...INTACT,
      });
    } finally {
      await db.close();
      await own.drop();
    }
  });
});

describe('migration 0013 on a log written before it', () => {
  it('seals the plain SHA-256 rows as they stand; keyed rows continue; a changed or added one shows', async () => {
    const own = await ownDatabase();
    const db = await own.open();
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
      for (const m of readMigrations().filter((m) => m.id < 13))
        fs.writeFileSync(path.join(dir, `${String(m.id).padStart(4, '0')}_${m.name}.sql`), m.sql);
      await migrate(db, testPii(), dir);
      fs.rmSync(dir, { recursive: true });
      // Rows as recordAudit wrote them before: each hash the plain SHA-256, no key.
      const at = '2026-01-05T06:07:08.009Z';
      const old = async (subjectId: string, seq: number, prevHash: string | null) => {
        const hash = auditHash({
          subjectType: 'test',
          subjectId,
          seq,
          at,
          actorId: null,
          action: 'old.step',
          data: { seq },
          requestId: null,
          prevHash,
        });
        await db.query(
          `INSERT INTO audit_events (at, action, subject_type, subject_id, data, seq, prev_hash, hash)
           VALUES ($1, 'old.step', 'test', $2, $3::jsonb, $4, $5, $6)`,
          [at, subjectId, JSON.stringify({ seq }), seq, prevHash, hash],
        );
        return hash;
      };
      await old('old-a', 2, await old('old-a', 1, null));
      await old('old-b', 1, null);
      await migrate(db, testPii());

      expect(await verifyAuditChain(db)).toMatchObject({
        rows: 3,
        unkeyed: 3,
        uncovered: 0,
        checkpoints: { count: 1 },
        ...INTACT,
      });
      await recordAudit(db, { actorId: null, action: 'new.step', subjectType: 'test', subjectId: 'old-a' });
      expect(await verifyAuditChain(db)).toMatchObject({ rows: 4, unkeyed: 3, uncovered: 1, ...INTACT });

      // An old row rewritten with its SHA-256 recomputed: the keyed row after it and the seal both disagree.
      const [first, second] = await storedRows(db, 'test', 'old-a');
      const forged = auditHash({
        subjectType: 'test',
        subjectId: 'old-a',
        seq: 2,
        at,
        actorId: null,
        action: 'old.step',
        data: { seq: 99 },
        requestId: null,
        prevHash: first!.hash,
      });
      await tamper(db, `UPDATE audit_events SET data = '{"seq": 99}'::jsonb, hash = $2 WHERE id = $1`, [
        second!.id,
        forged,
      ]);
      // An unkeyed row slipped in after the upgrade, past the constraint.
      const added = auditHash({
        subjectType: 'test',
        subjectId: 'old-b',
        seq: 2,
        at,
        actorId: null,
        action: 'old.step',
        data: { seq: 2 },
        requestId: null,
        prevHash: (await storedRows(db, 'test', 'old-b'))[0]!.hash,
      });
      await tamper(
        db,
        `INSERT INTO audit_events (at, action, subject_type, subject_id, data, seq, prev_hash, hash)
         SELECT $1, 'old.step', 'test', 'old-b', '{"seq": 2}'::jsonb, 2, hash, $2 FROM audit_events
          WHERE subject_id = 'old-b' AND seq = 1`,
        [at, added],
      );
      expect((await verifyAuditChain(db)).broken.map((b) => [b.subjectId, b.seq, b.reason])).toEqual([
        ['old-a', 3, 'prev_mismatch'],
        ['old-b', 2, 'unsealed'],
        ['old-a', 2, 'head_mismatch'],
      ]);
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
      expect(ok.stdout.split('\n')[0], ok.stderr).toBe('audit chain OK: 5 rows in 2 subjects');
      expect(ok.stdout).toMatch(/checkpoints: 1, the latest 1 at .* \(mac [0-9a-f]{64}\); 5 rows written since/);
      expect(ok.code).toBe(0);
      const written = await cli(own.env, 'audit', 'checkpoint');
      expect([written.code, written.stdout], written.stderr).toEqual([
        0,
        expect.stringMatching(
          /^audit checkpoint 2: 2 chains recorded, rows up to id \d+, key dev, mac [0-9a-f]{64}\n$/,
        ),
      ]);
      expect((await cli(own.env, 'audit', 'checkpoint')).stdout).toMatch(/no chain moved/);
      const json = await cli(own.env, 'audit', 'verify', '--json', '--subject', 'other:cli:2');
      expect(JSON.parse(json.stdout)).toMatchObject({ subjects: 1, rows: 2, legacy: 0, uncovered: 0, ...INTACT });

      db = await own.open();
      await tamper(db, `UPDATE audit_events SET action = 'test.rewritten' WHERE id = $1`, [changed!.id]);
      await db.close();

      // Under another key nothing verifies: the rows, the seal and the checkpoint name keys it does not hold.
      const otherKey = await cli(
        { ...own.env, AUDIT_KEY: `other:${crypto.randomBytes(32).toString('base64')}` },
        'audit',
        'verify',
      );
      expect([otherKey.code, otherKey.stdout]).toEqual([1, expect.stringMatching(/seq 1 {2}unknown_key/)]);
      expect(otherKey.stdout).toMatch(/checkpoint 2 {2}checkpoint_mac/);

      const broken = await cli(own.env, 'audit', 'verify');
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('audit chain BROKEN: 1 findings in 5 rows of 2 subjects');
      expect(broken.stdout).toContain(`id ${changed!.id}  test:cli-1  seq 2  hash_mismatch`);
      const other = await cli(own.env, 'audit', 'verify', '--subject', 'other');
      expect([other.code, other.stdout.split('\n')[0]]).toEqual([0, 'audit chain OK: 2 rows in 1 subjects']);
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
