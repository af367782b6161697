// Personal data at rest (issue #4, and #19 item 5): ID and phone numbers encrypted with keys from configuration,
// found by a keyed hash, masked in responses unless the role needs them in full (and then audited), re-encrypted
// by the rotation; and the dump tests: after the demo seed and a newborn application carrying phone numbers in
// several spellings (+86 138 0013 8000, 0086-139-…, (025) 8888 6666), an upload named after an ID number, a staff
// name and a key-item note with numbers in them, no table of any schema holds a known ID or phone number in any
// spelling, no file of the data directory holds the upload's bytes, and no log line a number.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/platform/clock.ts';
import { createPiiSealer, developmentKeyRing, mask, parseKeyRing } from '../src/platform/pii.ts';
import { idNumberCheckChar } from '../src/modules/identifiers/index.ts';
import { checkKeysOpenStoredData, countUnsealedFiles } from '../src/platform/pii-store.ts';
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
  testConfig,
  testPii,
  type TestApp,
} from './helpers.ts';
import { buildApp } from '../src/app.ts';
import { migrate, readMigrations } from '../src/platform/migrate.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const b64 = () => crypto.randomBytes(32).toString('base64');

describe('encryption, keyed hash, masking (pure)', () => {
  const pii = createPiiSealer(parseKeyRing(`k1:${b64()}`, b64()));
  const other = () => createPiiSealer(parseKeyRing(`k1:${b64()}`, b64()));

  it('round-trips, with a fresh nonce each time', () => {
    const a = pii.encrypt('32010219880512123X');
    const b = pii.encrypt('32010219880512123X');
    expect(a).toMatch(/^pii1\.k1\./);
    expect(a).not.toBe(b);
    expect(pii.decrypt(a)).toBe('32010219880512123X');
    expect(a).not.toContain('3201021988');
  });

  it('detects tampering and unknown keys', () => {
    const env = pii.encrypt('13951000001');
    const parts = env.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0]! ^= 1;
    expect(() => pii.decrypt([...parts.slice(0, 3), ct.toString('base64url'), parts[4]].join('.'))).toThrow();
    expect(() => pii.decrypt(env.replace('pii1.k1.', 'pii1.k9.'))).toThrow(/k9/);
    expect(() => other().decrypt(env)).toThrow(
      /sealed with key k1 does not open with the key PII_KEYS holds under that id/,
    );
  });

  it('hashes with a key, ID numbers normalised to upper-case X', () => {
    expect(pii.blindIndex('32010219880512123x', 'id_number')).toBe(pii.blindIndex(' 32010219880512123X', 'id_number'));
    expect(pii.blindIndex('32010219880512123X', 'id_number')).not.toBe(
      other().blindIndex('32010219880512123X', 'id_number'),
    );
    expect(pii.blindIndex('13951000001', 'phone')).not.toBe(pii.blindIndex('13951000001', 'id_number'));
  });

  it('masks as the issue asks', () => {
    expect(mask('320102199001011234', 'id_number')).toBe('3201**********1234');
    expect(mask('13851235678', 'phone')).toBe('138****5678');
    expect(
      pii.maskJson({ a: ['call 13951000001 or 320102199001011234'], n: 'YJS2026030200000001', h: 'f'.repeat(64) }),
    ).toEqual({ a: ['call 139****0001 or 3201**********1234'], n: 'YJS2026030200000001', h: 'f'.repeat(64) });
  });

  it('seals only the strings holding numbers, and opens them again', () => {
    const doc = { mother: { name: '李梅', idNumber: '320106199003082347', phone: '13951000002' }, n: 3 };
    const sealed = pii.sealJson(doc);
    expect(sealed.mother.name).toBe('李梅');
    expect(sealed.mother.idNumber).toMatch(/^pii1\./);
    expect(JSON.stringify(sealed)).not.toMatch(/320106199003082347|13951000002/);
    expect(pii.openJson(sealed)).toEqual(doc);
    expect(pii.maskJson(sealed).mother).toEqual({
      name: '李梅',
      idNumber: '3201**********2347',
      phone: '139****0002',
    });
  });

  it('refuses production without keys, and bad keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', OTP_DELIVERY: 'outbox' })).toThrow(/PII_KEYS/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        OTP_DELIVERY: 'outbox',
        PII_KEYS: `k1:${b64()}`,
        PII_HASH_KEY: b64(),
        SSO_KEY_ENCRYPTION_KEY: b64(),
        AUDIT_KEY: `a1:${b64()}`,
      }),
    ).not.toThrow();
    expect(() => parseKeyRing('k1:c2hvcnQ=', b64())).toThrow(/32/);
  });
});

// ---- through the API, on the seeded database ---------------------------------------------------------------------

const clock = fixedClock('2026-03-02');
let t: TestApp;
const H: Record<string, Record<string, string>> = {};
/** The data directory of this file's app: its uploads, and nothing else, are in it. */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-pii-test-'));
/** A fake ID number (valid check character) that only the name of an upload carries. */
const FILE_NAME_ID = `32010519851120401${idNumberCheckChar('32010519851120401')}`;
/** Phone numbers this file types in free text, each in another spelling, by their digits. */
const SPELLED: Record<string, string> = {
  '13800138000': '+86 138 0013 8000',
  '13951000088': '0086-139-5100-0088',
  '02588886666': '(025) 8888 6666',
  '13951000077': '86 139 5100 0077',
  '13951000066': '(+86) 139.5100.0066',
  '13951000055': '139 5100 0055',
};
/** The bytes of the upload, with a mark of their own to look for. */
const UPLOAD_MARK = `onething-upload-${crypto.randomUUID()}`;
/** Every ID and phone number the seed and this file put in. */
const KNOWN = [
  FILE_NAME_ID,
  ...Object.keys(SPELLED),
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

async function call(user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
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

/** A known number in any spelling: its digits with up to three other characters between any two of them. */
const SPELLINGS = KNOWN.map((k) => new RegExp([...k].join('[^0-9]{0,3}'), 'i'));

function plaintextIn(rows: string[]): string[] {
  return rows.filter((r) => SPELLINGS.some((re) => re.test(r))).map((r) => r.slice(0, 300));
}

/** Every file under a directory, with its bytes. */
function filesUnder(dir: string): Array<{ file: string; bytes: Buffer }> {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ file: path.join(e.parentPath, e.name), bytes: fs.readFileSync(path.join(e.parentPath, e.name)) }));
}

let uploadId: string;
let upload: Buffer;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { DATA_DIR: dataDir } });
  for (const u of ['zhangsan', 'auditor.nanjing', 'hotline.nanjing', 'admin', ...Object.values(REVIEWER)])
    H[u] = { ...bearer(await t.login(u)), 'accept-language': 'en' };
  upload = Buffer.from(`%PDF-1.4\n% ${UPLOAD_MARK}\n1 0 obj << >> endobj\n%%EOF\n`);
  // The applicant names the scan after the number on it.
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: {
      ...H.zhangsan,
      'content-type': 'application/pdf',
      'x-file-name': encodeURIComponent(`身份证_${FILE_NAME_ID}.pdf`),
    },
    payload: upload,
  });
  expect(up.statusCode, up.body).toBe(201);
  uploadId = (up.json() as { id: string }).id;
  // A form whose free text carries phone numbers as people write them.
  const form = {
    ...FORM,
    contact: {
      ...FORM.contact,
      mailingAddress: `南京市玄武区北京东路41号（收件电话 ${SPELLED['13800138000']}，座机 ${SPELLED['02588886666']}）`,
    },
  };
  // A draft and a submission carrying the parents' ID and phone numbers.
  const draft = await call('zhangsan', 'POST', '/api/v1/application-drafts', { bundle: 'newborn', form });
  expect(draft.statusCode, draft.body).toBe(201);
  const res = await call('zhangsan', 'POST', '/api/v1/applications', {
    bundle: 'newborn',
    answers: NEWBORN_MATERNITY_ANSWERS,
    form,
    materials: [
      { id: 'parents-id-cards', kind: 'certificate', consent: true },
      { id: 'parents-household-register', kind: 'certificate', consent: true },
      { id: 'marriage-certificate', kind: 'certificate', consent: true },
      { id: 'maternity-medical-invoices', kind: 'upload', fileIds: [uploadId] },
      {
        id: 'discharge-summary',
        kind: 'gap',
        commitment: `本人承诺于 3 月 4 日前补交出院小结，联系电话 13951000001，或 ${SPELLED['13951000088']}。`,
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
    problems: [
      {
        material: 'parents-id-cards',
        problem: `母亲身份证号 320106199003082347 与户籍不符，电话 ${SPELLED['13951000077']} 无法接通`,
      },
    ],
    note: `请联系 ${SPELLED['13951000066']}`,
  });
  expect(rc.statusCode, rc.body).toBe(200);
  // A staff member whose name was typed with a number, and a key-item note naming a contact's mobile.
  const staff = await call('admin', 'POST', '/api/v1/admin/accounts', {
    username: 'window.pii-test',
    displayName: `窗口 ${SPELLED['13951000055']}`,
    password: 'a-long-passphrase',
    phone: '13951009098',
    departmentCode: 'nj-health',
    jurisdiction: '320100',
    roles: ['reviewer'],
  });
  expect(staff.statusCode, staff.body).toBe(201);
  const noted = await call('admin', 'PUT', '/api/v1/admin/key-items/2024-1-transport', {
    note: `联系人 王五 ${SPELLED['13951000055']}`,
  });
  expect(noted.statusCode, noted.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('at rest', () => {
  it('a dump of every table of every schema holds no known ID or phone number, in any spelling', async () => {
    const rows = await dump(t.db);
    expect(plaintextIn(rows)).toEqual([]);
    // The dump does hold what was written, sealed or masked: the test would see a number if it were there.
    expect(rows.some((r) => r.startsWith('public.files ') && r.includes('pii1.'))).toBe(true);
    expect(rows.some((r) => r.startsWith('public.accounts ') && r.includes('窗口 139 **** 0055'))).toBe(true);
    expect(rows.some((r) => r.startsWith('public.key_items ') && r.includes('王五 139 **** 0055'))).toBe(true);
  });

  it("an upload's bytes are in no file of the data directory and in no table", async () => {
    const files = filesUnder(dataDir);
    expect(files.map((f) => path.relative(dataDir, f.file))).toEqual([`files/${uploadId.slice(0, 2)}/${uploadId}.dev`]);
    expect(files.filter((f) => f.bytes.includes(UPLOAD_MARK))).toEqual([]);
    expect((await dump(t.db)).filter((r) => r.includes(UPLOAD_MARK))).toEqual([]);
    // The department reviewing the invoices gets the bytes as uploaded, under a name without the number.
    const maternity = cases.find((c) => c.departmentCode === 'nj-medical-insurance')!;
    const res = await call('reviewer.medical-insurance', 'GET', `/api/v1/cases/${maternity.id}/files/${uploadId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.rawPayload.equals(upload)).toBe(true);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain(
      `身份证_3201**********${FILE_NAME_ID.slice(-4)}.pdf`,
    );
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
      id_number_hash: t.pii.blindIndex('32010219880512123X', 'id_number'),
    });
    expect((await findPersonByIdNumber(t.db, t.pii, '32010219880512123x'))?.username).toBe('zhangsan');
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
      const seen: string[] = [];
      for (const c of cases) {
        const res = await call(user, 'GET', `/api/v1/cases/${c.id}`);
        if (res.statusCode !== 200) continue;
        expect(plaintextIn([res.body]), user).toEqual([]);
        expect(res.body, user).not.toContain('pii1.');
        seen.push(res.body);
      }
      // The numbers are there, masked as written: the mailing address of the ID card case, the file's name.
      expect(seen.join('\n'), user).toContain('收件电话 +86 138 **** 8000，座机 (025) **** 6666');
      expect(seen.join('\n'), user).toContain(`身份证_3201**********${FILE_NAME_ID.slice(-4)}.pdf`);
    }
    const app = await call('zhangsan', 'GET', `/api/v1/applications/${applicationId}`);
    expect(plaintextIn([app.body])).toEqual([]);
    expect(app.body).not.toContain('pii1.');
    expect(app.body).toContain('3201**********2347');
    expect(app.body).toContain('电话 86 139 **** 0077 无法接通');
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

describe('log lines', () => {
  it('hold no number, in a URL, a message, the data logged with it or an error, whatever its spelling', async () => {
    const lines: string[] = [];
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'onething-pii-log-'));
    const logged = await buildApp({
      config: testConfig({ LOG_LEVEL: 'info', DATA_DIR: own }),
      db: t.db,
      logger: { stream: { write: (line: string) => lines.push(line) } },
      clock,
    });
    try {
      const phone = encodeURIComponent(SPELLED['13800138000']!);
      for (const value of [FILE_NAME_ID, phone]) {
        const res = await logged.inject({
          method: 'GET',
          url: `/api/v1/identifiers/validate?kind=id-number&value=${value}`,
          headers: H.zhangsan!,
        });
        expect(res.statusCode).toBeLessThan(500);
      }
      const up = await logged.inject({
        method: 'POST',
        url: '/api/v1/files',
        headers: {
          ...H.zhangsan,
          'content-type': 'application/pdf',
          'x-file-name': encodeURIComponent(`身份证_${FILE_NAME_ID}.pdf`),
        },
        payload: upload,
      });
      expect(up.statusCode, up.body).toBe(201);
      // Its file goes with this test's data directory; the row must not outlive it.
      await t.db.query('DELETE FROM files WHERE id = $1', [(up.json() as { id: string }).id]);
      logged.log.info(
        { note: `回电 ${SPELLED['02588886666']}`, nested: { a: [FILE_NAME_ID] } },
        `call ${SPELLED['13951000088']}`,
      );
      logged.log.error({ err: new Error(`duplicate key (id_number)=(${FILE_NAME_ID})`) }, 'insert failed');
    } finally {
      await logged.close();
      fs.rmSync(own, { recursive: true, force: true });
    }
    const all = lines.join('');
    // The lines were written, and with the numbers masked where they were.
    // A query's values never reach the log, only its names (platform/log.ts).
    expect(all).toContain('/api/v1/identifiers/validate?kind=…&value=…');
    expect(all).toContain('回电 (025) **** 6666');
    expect(all).toContain('0086-139-****-0088');
    expect(all).toContain('duplicate key (id_number)=(3201**********');
    expect(plaintextIn(lines)).toEqual([]);
  });
});

describe('start-up key check', () => {
  it('passes with the keys the data was written with, and names the key id that does not open it', async () => {
    expect(await checkKeysOpenStoredData(t.db, t.pii)).toEqual([]);
    // Another key under the same id (the development key's id), as a mistyped PII_KEYS would give.
    const wrong = await checkKeysOpenStoredData(
      t.db,
      createPiiSealer({ keys: [{ id: 'dev', key: crypto.randomBytes(32) }], hashKey: crypto.randomBytes(32) }),
    );
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatch(/sealed with key dev does not open/);
    // Keys that do not include the id at all.
    const missing = await checkKeysOpenStoredData(
      t.db,
      createPiiSealer({ keys: [{ id: 'k7', key: crypto.randomBytes(32) }], hashKey: crypto.randomBytes(32) }),
    );
    expect(missing).toEqual(['pii: value encrypted with key dev, which PII_KEYS does not hold']);
  });
});

describe('key rotation, and uploads from before files were sealed', () => {
  const invoiceUrl = () =>
    `/api/v1/cases/${cases.find((c) => c.departmentCode === 'nj-medical-insurance')!.id}/files/${uploadId}`;

  it('an upload stored as uploaded (before migration 0015) is still read as it is', async () => {
    // Put the upload back the way a release before 0015 stored it: the bytes as uploaded, under their hash's prefix.
    const { rows } = await t.db.query<{ storage_key: string; sha256: string }>(
      'SELECT storage_key, sha256 FROM files WHERE id = $1',
      [uploadId],
    );
    const legacy = `files/${rows[0]!.sha256.slice(0, 2)}/${uploadId}`;
    fs.mkdirSync(path.join(dataDir, path.dirname(legacy)), { recursive: true });
    fs.writeFileSync(path.join(dataDir, legacy), upload);
    fs.rmSync(path.join(dataDir, rows[0]!.storage_key));
    await t.db.query('UPDATE files SET storage_key = $2, stored_sha256 = NULL, stored_size = NULL WHERE id = $1', [
      uploadId,
      legacy,
    ]);
    const res = await call('reviewer.medical-insurance', 'GET', invoiceUrl());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.rawPayload.equals(upload)).toBe(true);
    expect(await countUnsealedFiles(t.db)).toBe(1);
  });

  it('re-encrypts everything under the new key and seals the old upload; values stay readable and lookups work; a second run changes nothing', async () => {
    // PII_KEYS with a new key first and the development key still listed, as an operator rotating would set it.
    const dev = developmentKeyRing();
    const k2 = crypto.randomBytes(32).toString('base64');
    const keys = (list: string) => ({ PII_KEYS: list, PII_HASH_KEY: dev.hashKey.toString('base64') });
    const next = testPii(keys(`k2:${k2},dev:${dev.keys[0]!.key.toString('base64')}`));
    const first = await sealPersonalData(t.db, next, { batch: 3, dataDir });
    expect(first.accounts).toBeGreaterThan(10);
    expect(first.rows.applications).toBe(1);
    expect(first.files).toEqual({ sealed: 1, missing: [] });
    const rows = await dump(t.db);
    expect(rows.filter((r) => r.includes('pii1.dev.'))).toEqual([]);
    expect(rows.some((r) => r.includes('pii1.k2.'))).toBe(true);
    expect(plaintextIn(rows)).toEqual([]);
    const sealedAs = `files/${uploadId.slice(0, 2)}/${uploadId}.k2`;
    expect(filesUnder(dataDir).map((f) => path.relative(dataDir, f.file))).toEqual([sealedAs]);
    expect(filesUnder(dataDir).filter((f) => f.bytes.includes(UPLOAD_MARK))).toEqual([]);
    expect(await countUnsealedFiles(t.db)).toBe(0);
    // What a crash between a row's update and the removal of its old file leaves is removed by the next run.
    const stale = path.join(dataDir, 'files', uploadId.slice(0, 2), `${uploadId}.dev`);
    fs.writeFileSync(stale, 'left by a crash');
    const again = await sealPersonalData(t.db, next, { batch: 3, dataDir });
    expect(again.accounts).toBe(0);
    expect(Object.values(again.rows).every((n) => n === 0)).toBe(true);
    expect(again.files).toEqual({ sealed: 0, missing: [] });
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, sealedAs))).toBe(true);

    // Readable with the new key alone; the old one can go from PII_KEYS.
    const after = await buildApp({
      config: testConfig({ ...keys(`k2:${k2}`), DATA_DIR: dataDir }),
      db: t.db,
      logger: false,
      clock,
    });
    try {
      const invoice = await after.inject({
        method: 'GET',
        url: invoiceUrl(),
        headers: H['reviewer.medical-insurance']!,
      });
      expect(invoice.statusCode, invoice.body).toBe(200);
      expect(invoice.rawPayload.equals(upload)).toBe(true);
      expect((await findPersonByIdNumber(t.db, after.services.pii, '32010219880512123X'))?.idNumber).toBe(
        '32010219880512123X',
      );
      const ask = (url: string) => after.inject({ method: 'GET', url, headers: H.zhangsan! });
      const me = await ask('/api/v1/auth/me');
      expect(me.statusCode).toBe(200);
      expect(me.body).toContain('3201**********123X');
      const prefill = await ask('/api/v1/applications/prefill?bundle=newborn');
      expect(prefill.body).toContain('320106199003082347');
      // The development keys no longer open anything.
      expect(await checkKeysOpenStoredData(t.db, t.pii)).toEqual([expect.stringMatching(/key k2/)]);
    } finally {
      await after.close();
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
      const pii = testPii();
      await migrate(d.db, pii, dir);
      expect((await d.db.query(`SELECT count(*)::int AS n FROM pending_data_steps`)).rows[0]).toEqual({ n: 1 });
      fs.rmSync(dir, { recursive: true });
      await migrate(d.db, pii);
      expect((await d.db.query(`SELECT count(*)::int AS n FROM pending_data_steps`)).rows[0]).toEqual({ n: 0 });
      expect(plaintextIn(await dump(d.db))).toEqual([]);
      expect((await findPersonByIdNumber(d.db, pii, '32010219880512123X'))?.phone).toBe('13951000001');
      const { rows } = await d.db.query<{ v: string }>(
        `SELECT value #>> '{}' AS v FROM profile_attributes WHERE attribute = 'spouse.idNumber'`,
      );
      expect(pii.openJson(rows[0]!.v)).toBe('320106199003082347');
    } finally {
      await d.close();
    }
  });
});
