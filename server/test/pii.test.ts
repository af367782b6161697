// Personal data at rest (issue #4): ID and phone numbers encrypted with keys from configuration, found by a
// keyed hash, masked in responses unless the role needs them in full (and then audited), re-encrypted by the
// rotation; and the dump test: after the demo seed and a newborn application, no table of any schema holds a
// known ID or phone number in plaintext.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/platform/clock.ts';
import {
  blindIndex,
  configurePii,
  decrypt,
  developmentKeyRing,
  encrypt,
  keyRing,
  mask,
  maskJson,
  openJson,
  parseKeyRing,
  sealJson,
  type KeyRing,
} from '../src/platform/pii.ts';
import { checkKeysOpenStoredData } from '../src/platform/pii-store.ts';
import { sealPersonalData } from '../src/ops/pii-seal.ts';
import { verifyAuditChain } from '../src/ops/audit-verify.ts';
import { findPersonByIdNumber } from '../src/modules/identity/identity.repository.ts';
import type { Database } from '../src/platform/db.ts';
import { loadConfig } from '../src/config.ts';
import {
  bearer,
  createTestApp,
  createTestDb,
  NEWBORN_MATERNITY_ANSWERS,
  NEWBORN_MATERNITY_FORM as FORM,
  type TestApp,
} from './helpers.ts';
import { migrate, readMigrations } from '../src/platform/migrate.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const b64 = () => crypto.randomBytes(32).toString('base64');

describe('encryption, keyed hash, masking (pure)', () => {
  const ring = parseKeyRing(`k1:${b64()}`, b64());

  it('round-trips, with a fresh nonce each time', () => {
    const a = encrypt('32010219880512123X', ring);
    const b = encrypt('32010219880512123X', ring);
    expect(a).toMatch(/^pii1\.k1\./);
    expect(a).not.toBe(b);
    expect(decrypt(a, ring)).toBe('32010219880512123X');
    expect(a).not.toContain('3201021988');
  });

  it('detects tampering and unknown keys', () => {
    const env = encrypt('13951000001', ring);
    const parts = env.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0]! ^= 1;
    expect(() => decrypt([...parts.slice(0, 3), ct.toString('base64url'), parts[4]].join('.'), ring)).toThrow();
    expect(() => decrypt(env.replace('pii1.k1.', 'pii1.k9.'), ring)).toThrow(/k9/);
    expect(() => decrypt(env, parseKeyRing(`k1:${b64()}`, b64()))).toThrow(
      /sealed with key k1 does not open with the key PII_KEYS holds under that id/,
    );
  });

  it('hashes with a key, ID numbers normalised to upper-case X', () => {
    expect(blindIndex('32010219880512123x', 'id_number', ring)).toBe(
      blindIndex(' 32010219880512123X', 'id_number', ring),
    );
    expect(blindIndex('32010219880512123X', 'id_number', ring)).not.toBe(
      blindIndex('32010219880512123X', 'id_number', parseKeyRing(`k1:${b64()}`, b64())),
    );
    expect(blindIndex('13951000001', 'phone', ring)).not.toBe(blindIndex('13951000001', 'id_number', ring));
  });

  it('masks as the issue asks', () => {
    expect(mask('320102199001011234', 'id_number')).toBe('3201**********1234');
    expect(mask('13851235678', 'phone')).toBe('138****5678');
    expect(
      maskJson({ a: ['call 13951000001 or 320102199001011234'], n: 'YJS2026030200000001', h: 'f'.repeat(64) }, ring),
    ).toEqual({ a: ['call 139****0001 or 3201**********1234'], n: 'YJS2026030200000001', h: 'f'.repeat(64) });
  });

  it('seals only the strings holding numbers, and opens them again', () => {
    const doc = { mother: { name: '李梅', idNumber: '320106199003082347', phone: '13951000002' }, n: 3 };
    const sealed = sealJson(doc, ring);
    expect(sealed.mother.name).toBe('李梅');
    expect(sealed.mother.idNumber).toMatch(/^pii1\./);
    expect(JSON.stringify(sealed)).not.toMatch(/320106199003082347|13951000002/);
    expect(openJson(sealed, ring)).toEqual(doc);
    expect(maskJson(sealed, ring).mother).toEqual({
      name: '李梅',
      idNumber: '3201**********2347',
      phone: '139****0002',
    });
  });

  it('refuses production without keys, and bad keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', OTP_DELIVERY: 'outbox' })).toThrow(/PII_KEYS/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', OTP_DELIVERY: 'outbox', PII_KEYS: `k1:${b64()}`, PII_HASH_KEY: b64() }),
    ).not.toThrow();
    expect(() => parseKeyRing('k1:c2hvcnQ=', b64())).toThrow(/32/);
  });
});

// ---- through the API, on the seeded database ---------------------------------------------------------------------

const clock = fixedClock('2026-03-02');
let t: TestApp;
const H: Record<string, Record<string, string>> = {};
/** Every ID and phone number the seed and this file put in. */
const KNOWN = [
  '32010219880512123X',
  '320104199203040624',
  '320104197609080416',
  '320104194803150525',
  '32010419950621031X',
  '320106199003082347',
  '13951000001',
  '13951000002',
  '13951000003',
  '13951000004',
  '13951000005',
  '13951000006',
  ...['9001', '9002', '9011', '9012', '9013', '9014', '9015', '9021', '9031', '9041', '9051', '9061'].map(
    (s) => `1395100${s}`,
  ),
];
const REVIEWER: Record<string, string> = {
  'nj-health': 'reviewer.health',
  'nj-public-security': 'reviewer.police',
  'nj-hrss': 'reviewer.hrss',
  'nj-medical-insurance': 'reviewer.medical-insurance',
};
let applicationId: string;
let cases: Array<{ id: string; departmentCode: string }>;

async function call(user: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: H[user]!,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

/** Every row of every table of every schema, as JSON text. */
async function dump(db: Database): Promise<string[]> {
  const { rows: tables } = await db.query<{ s: string; t: string }>(
    `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
  );
  expect(tables.map((x) => `${x.s}.${x.t}`)).toEqual(
    expect.arrayContaining(['public.accounts', 'public.audit_events', 'public.applications', 'pgboss.job']),
  );
  const out: string[] = [];
  for (const { s, t: name } of tables) {
    const { rows } = await db.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${s}"."${name}" x`);
    out.push(...rows.map((r) => `${s}.${name} ${r.j}`));
  }
  return out;
}

function plaintextIn(rows: string[]): string[] {
  return rows
    .filter((r) => KNOWN.some((k) => r.includes(k) || r.includes(k.toLowerCase())))
    .map((r) => r.slice(0, 300));
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  for (const u of ['zhangsan', 'auditor.nanjing', 'hotline.nanjing', ...Object.values(REVIEWER)])
    H[u] = { ...bearer(await t.login(u)), 'accept-language': 'en' };
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { ...H.zhangsan, 'content-type': 'application/pdf', 'x-file-name': 'invoice.pdf' },
    payload: pdf,
  });
  expect(up.statusCode, up.body).toBe(201);
  // A draft and a submission carrying the parents' ID and phone numbers.
  const draft = await call('zhangsan', 'POST', '/api/v1/application-drafts', { bundle: 'newborn', form: FORM });
  expect(draft.statusCode, draft.body).toBe(201);
  const res = await call('zhangsan', 'POST', '/api/v1/applications', {
    bundle: 'newborn',
    answers: NEWBORN_MATERNITY_ANSWERS,
    form: FORM,
    materials: [
      { id: 'parents-id-cards', kind: 'certificate', consent: true },
      { id: 'parents-household-register', kind: 'certificate', consent: true },
      { id: 'marriage-certificate', kind: 'certificate', consent: true },
      { id: 'maternity-medical-invoices', kind: 'upload', fileIds: [(up.json() as { id: string }).id] },
      {
        id: 'discharge-summary',
        kind: 'gap',
        commitment: '本人承诺于 3 月 4 日前补交出院小结，联系电话 13951000001。',
      },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  const app = res.json() as { id: string; cases: Array<{ id: string; departmentCode: string }> };
  applicationId = app.id;
  cases = app.cases;
  // A correction round whose supplied material names a phone number in free text.
  const health = cases.find((c) => c.departmentCode === 'nj-health')!;
  const rc = await call('reviewer.health', 'POST', `/api/v1/cases/${health.id}/actions`, {
    action: 'request_correction',
    problems: [{ material: 'parents-id-cards', problem: '母亲身份证号 320106199003082347 与户籍不符' }],
  });
  expect(rc.statusCode, rc.body).toBe(200);
});
afterAll(async () => t?.close());

describe('at rest', () => {
  it('a dump of every table of every schema holds no known ID or phone number', async () => {
    expect(plaintextIn(await dump(t.db))).toEqual([]);
  });

  it('accounts hold ciphertext and keyed hashes; lookups go by the hash', async () => {
    const { rows } = await t.db.query<{
      id_number: string | null;
      phone: string | null;
      id_number_enc: string;
      id_number_hash: string;
    }>(`SELECT id_number, phone, id_number_enc, id_number_hash FROM accounts WHERE username = 'zhangsan'`);
    expect(rows[0]).toMatchObject({
      id_number: null,
      phone: null,
      id_number_enc: expect.stringMatching(/^pii1\./),
      id_number_hash: blindIndex('32010219880512123X', 'id_number'),
    });
    expect((await findPersonByIdNumber(t.db, '32010219880512123x'))?.username).toBe('zhangsan');
    await expect(t.db.query(`UPDATE accounts SET phone = '13951000001' WHERE username = 'zhangsan'`)).rejects.toThrow();
  });
});

describe('in responses', () => {
  it('the department reviewing a case sees the numbers in full, and the read is audited', async () => {
    let seen = 0;
    for (const c of cases) {
      const reviewer = REVIEWER[c.departmentCode];
      if (!reviewer) continue;
      const res = await call(reviewer, 'GET', `/api/v1/cases/${c.id}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).not.toContain('pii1.');
      if (!res.body.includes('320106199003082347')) continue;
      seen++;
      const { rows } = await t.db.query<{ actor_id: string; data: { whose: string; fields: string[]; route: string } }>(
        `SELECT actor_id, data FROM audit_events WHERE action = 'pii.full_read' AND subject_type = 'case' AND subject_id = $1`,
        [c.id],
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0]!.data).toMatchObject({ route: 'GET /api/v1/cases/:id', purpose: 'case review' });
      expect(
        rows[0]!.data.fields.some((f) => /idnumber/i.test(f)),
        rows[0]!.data.fields.join(' '),
      ).toBe(true);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('everyone else sees them masked: the applicant, the auditor, the hotline; nothing audited for them', async () => {
    const before = await fullReads();
    for (const user of ['zhangsan', 'auditor.nanjing', 'hotline.nanjing']) {
      for (const c of cases) {
        const res = await call(user, 'GET', `/api/v1/cases/${c.id}`);
        if (res.statusCode !== 200) continue;
        expect(res.body, user).not.toMatch(/320106199003082347|32010219880512123X|13951000001|13951000002|pii1\./);
      }
    }
    const app = await call('zhangsan', 'GET', `/api/v1/applications/${applicationId}`);
    expect(app.body).not.toMatch(/320106199003082347|13951000001|pii1\./);
    expect(app.body).toContain('3201**********2347');
    const me = await call('zhangsan', 'GET', '/api/v1/auth/me');
    expect(me.body).toContain('3201**********123X');
    expect(await fullReads()).toBe(before);
  });

  it('the applicant gets their prefill in full, audited', async () => {
    const before = await fullReads();
    const res = await call('zhangsan', 'GET', '/api/v1/applications/prefill?bundle=newborn');
    expect(res.body).toContain('32010219880512123X');
    expect(await fullReads()).toBe(before + 1);
  });

  it('audit rows and notifications never hold a full number; the chain still verifies', async () => {
    const { rows } = await t.db.query<{ j: string }>(
      `SELECT data::text AS j FROM audit_events UNION ALL SELECT payload::text FROM notifications`,
    );
    expect(plaintextIn(rows.map((r) => r.j))).toEqual([]);
    expect((await verifyAuditChain(t.db, {})).brokenCount).toBe(0);
  });
});

async function fullReads(): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = 'pii.full_read'`,
  );
  return rows[0]!.n;
}

describe('start-up key check', () => {
  it('passes with the keys the data was written with, and names the key id that does not open it', async () => {
    expect(await checkKeysOpenStoredData(t.db)).toEqual([]);
    // Another key under the same id (the development key's id), as a mistyped PII_KEYS would give.
    const wrong = await checkKeysOpenStoredData(t.db, {
      keys: [{ id: 'dev', key: crypto.randomBytes(32) }],
      hashKey: crypto.randomBytes(32),
    });
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatch(/sealed with key dev does not open/);
    // Keys that do not include the id at all.
    const missing = await checkKeysOpenStoredData(t.db, {
      keys: [{ id: 'k7', key: crypto.randomBytes(32) }],
      hashKey: crypto.randomBytes(32),
    });
    expect(missing).toEqual(['pii: value encrypted with key dev, which PII_KEYS does not hold']);
  });
});

describe('key rotation', () => {
  it('re-encrypts everything under the new key; values stay readable and lookups work; a second run changes nothing', async () => {
    const old = keyRing();
    const next: KeyRing = { keys: [{ id: 'k2', key: crypto.randomBytes(32) }, ...old.keys], hashKey: old.hashKey };
    configurePii(next);
    try {
      const first = await sealPersonalData(t.db, { batch: 3 });
      expect(first.accounts).toBeGreaterThan(10);
      expect(first.rows.applications).toBe(1);
      const rows = await dump(t.db);
      expect(rows.filter((r) => r.includes('pii1.dev.'))).toEqual([]);
      expect(rows.some((r) => r.includes('pii1.k2.'))).toBe(true);
      expect(plaintextIn(rows)).toEqual([]);
      const again = await sealPersonalData(t.db, { batch: 3 });
      expect(again.accounts).toBe(0);
      expect(Object.values(again.rows).every((n) => n === 0)).toBe(true);
      // Readable with the new key alone; the old one can go from PII_KEYS.
      configurePii({ keys: [next.keys[0]!], hashKey: next.hashKey });
      expect((await findPersonByIdNumber(t.db, '32010219880512123X'))?.idNumber).toBe('32010219880512123X');
      const me = await call('zhangsan', 'GET', '/api/v1/auth/me');
      expect(me.statusCode).toBe(200);
      expect(me.body).toContain('3201**********123X');
      const prefill = await call('zhangsan', 'GET', '/api/v1/applications/prefill?bundle=newborn');
      expect(prefill.body).toContain('320106199003082347');
    } finally {
      configurePii(developmentKeyRing());
    }
  });
});

describe('an installation running before migration 0006', () => {
  it('has its plaintext numbers encrypted by the data step the migration runner runs after 0006', async () => {
    const d = await createTestDb();
    try {
      // Migrations cannot be undone, so the seeded copy is put back into the state 0006 finds: plaintext where
      // 0005 stored it (and in a profile document), the constraints not yet there, the data step pending.
      await d.db.exec(
        `ALTER TABLE accounts DROP CONSTRAINT accounts_no_plaintext_pii, DROP CONSTRAINT accounts_pii_pairs`,
      );
      await d.db.query(
        `UPDATE accounts SET id_number = '32010219880512123X', phone = '13951000001', id_number_enc = NULL, id_number_hash = NULL, phone_enc = NULL, phone_hash = NULL, real_name_level = 1, proofing_method = NULL WHERE username = 'zhangsan'`,
      );
      await d.db.query(
        `UPDATE profile_attributes SET value = to_jsonb('320106199003082347'::text) WHERE attribute = 'spouse.idNumber'`,
      );
      await d.db.query(`INSERT INTO pending_data_steps (name) VALUES ('seal-personal-data')`);
      // A private migrations directory never runs data steps; the real one does, once.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'));
      for (const m of readMigrations())
        fs.writeFileSync(path.join(dir, `${String(m.id).padStart(4, '0')}_${m.name}.sql`), m.sql);
      await migrate(d.db, dir);
      expect((await d.db.query(`SELECT count(*)::int AS n FROM pending_data_steps`)).rows[0]).toEqual({ n: 1 });
      fs.rmSync(dir, { recursive: true });
      await migrate(d.db);
      expect((await d.db.query(`SELECT count(*)::int AS n FROM pending_data_steps`)).rows[0]).toEqual({ n: 0 });
      expect(plaintextIn(await dump(d.db))).toEqual([]);
      expect((await findPersonByIdNumber(d.db, '32010219880512123X'))?.phone).toBe('13951000001');
      const { rows } = await d.db.query<{ v: string }>(
        `SELECT value #>> '{}' AS v FROM profile_attributes WHERE attribute = 'spouse.idNumber'`,
      );
      expect(openJson(rows[0]!.v)).toBe('320106199003082347');
    } finally {
      await d.close();
    }
  });
});
