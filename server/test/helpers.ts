// Test factories: a fresh database copied from the run's template, an app on it, and logged-in callers; the
// newborn bundle as the demo family applies for it, and uploads.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import type { ApplicationView, Guidance, UploadedFile } from '@onething/shared/applications';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect, inject } from 'vitest';
import { loadConfig, type Config } from '../src/config.ts';
import { openPglite, openPostgres, type Database } from '../src/platform/db.ts';
import { buildApp } from '../src/app.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import type { Clock } from '../src/platform/clock.ts';
import { createPiiSealer, keyRingFromConfig, type PiiSealer } from '../src/platform/pii.ts';

export interface TestDb {
  db: Database;
  close(): Promise<void>;
}

export async function createTestDb(): Promise<TestDb> {
  const tpl = inject('dbTemplate');
  if (tpl.kind === 'pglite') {
    const db = await openPglite({ loadDataDir: new Blob([fs.readFileSync(tpl.dumpFile)]) });
    return { db, close: () => db.close() };
  }
  const name = `${tpl.template}_t${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: tpl.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${tpl.template}`);
  const url = new URL(tpl.adminUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), { max: 5 });
  return {
    db,
    async close() {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: os.tmpdir(), ...overrides });
}

/** The sealer of the test configuration's keys (the development keys), as the test apps use. */
export function testPii(overrides: Record<string, string> = {}): PiiSealer {
  return createPiiSealer(keyRingFromConfig(testConfig(overrides)));
}

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  /** The app's own sealer of personal data. */
  pii: PiiSealer;
  /** A bearer token for a demo account (see seed.ts). */
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

export async function createTestApp(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestApp> {
  const t = await createTestDb();
  const app = await buildApp({
    config: testConfig(options.env),
    db: t.db,
    logger: false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await app.ready();
  const tokens = new Map<string, string>();
  return {
    app,
    db: t.db,
    pii: app.services.pii,
    async login(username) {
      const cached = tokens.get(username);
      if (cached) return cached;
      const token = await loginWithCode(app, t.db, username);
      tokens.set(username, token);
      return token;
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** The one-time code the outbox holds for a login challenge (what the SMS relay would send). */
export async function otpFromOutbox(db: Database, challengeId: string): Promise<string> {
  const { rows } = await db.query<{ code: string }>(
    `SELECT payload->>'code' AS code FROM notifications WHERE kind = 'auth.otp' AND payload->>'challengeId' = $1`,
    [challengeId],
  );
  if (!rows[0]) throw new Error(`no one-time code in the outbox for challenge ${challengeId}`);
  return rows[0].code;
}

/** Logs a demo account in, answering the one-time code step from the outbox when the account needs one. */
export async function loginWithCode(
  app: FastifyInstance,
  db: Database,
  username: string,
  password = DEMO_PASSWORD,
  remoteAddress = '127.0.0.1',
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress,
  });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const body = res.json() as { token?: string; challenge?: { id: string } };
  if (body.token) return body.token;
  const challengeId = body.challenge!.id;
  const verify = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login/verify',
    payload: { challengeId, code: await otpFromOutbox(db, challengeId) },
    remoteAddress,
  });
  if (verify.statusCode !== 200) throw new Error(`login ${username} (code): ${verify.statusCode} ${verify.body}`);
  return (verify.json() as { token: string }).token;
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

/** Logs each demo account in; its request headers by username: the bearer token, and `extra` (e.g. accept-language). */
export async function loginHeaders(
  t: TestApp,
  usernames: string[],
  extra: Record<string, string> = {},
): Promise<Record<string, Record<string, string>>> {
  const headers: Record<string, Record<string, string>> = {};
  for (const u of usernames) headers[u] = { ...bearer(await t.login(u)), ...extra };
  return headers;
}

// The newborn bundle (新生儿出生一件事) as the seed's family applies: 张三 and 李梅, their son born on 20 February
// 2026 at a Nanjing hospital. Without maternity reimbursement, and with it (the reimbursement item joins, with the
// bank account it pays to and materials to upload).

/** The newborn bundle's answers without maternity reimbursement. */
export const NEWBORN_ANSWERS = {
  born_in_province: true,
  parents_married: true,
  register_with: 'mother',
  claim_maternity_expenses: false,
};
/** The shared form that goes with NEWBORN_ANSWERS. */
export const NEWBORN_FORM = {
  child: {
    name: '张小宝',
    gender: 'male',
    birthDate: '2026-02-20',
    birthInstitution: '南京市妇幼保健院',
    ethnicity: '汉族',
  },
  mother: { name: '李梅', idNumber: '320106199003082347', phone: '13951000002' },
  father: { name: '张三', idNumber: '32010219880512123X', phone: '13951000001' },
  household: { address: '南京市玄武区北京东路41号' },
  contact: { phone: '13951000001', mailingAddress: '南京市玄武区北京东路41号' },
};
/** The newborn bundle's answers with maternity reimbursement claimed. */
export const NEWBORN_MATERNITY_ANSWERS = { ...NEWBORN_ANSWERS, claim_maternity_expenses: true };
/** The shared form that goes with NEWBORN_MATERNITY_ANSWERS: NEWBORN_FORM and the bank account to reimburse to. */
export const NEWBORN_MATERNITY_FORM = {
  child: NEWBORN_FORM.child,
  mother: NEWBORN_FORM.mother,
  father: NEWBORN_FORM.father,
  household: NEWBORN_FORM.household,
  maternity: { bankName: '中国工商银行南京分行', bankAccount: '6222020200112233445' },
  contact: NEWBORN_FORM.contact,
};

/**
 * Submits the newborn bundle (NEWBORN_ANSWERS, NEWBORN_FORM) once per idempotency key, as the account whose headers
 * are given, with every material the one-time notice lists as an e-certificate, each by consent (all these answers
 * need); each submission must be created (201). Returns the applications' ids in the keys' order.
 */
export async function submitNewborn(
  t: TestApp,
  headers: Record<string, string>,
  idempotencyKeys: string[],
): Promise<string[]> {
  const guidance = (
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalogue/bundles/newborn/guidance',
      payload: { answers: NEWBORN_ANSWERS },
    })
  ).json() as Guidance;
  const materials = guidance.materials
    .filter((m) => m.provision === 'certificate')
    .map((m) => ({ id: m.id, kind: 'certificate', consent: true }));
  const ids: string[] = [];
  for (const key of idempotencyKeys) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { ...headers, 'idempotency-key': key },
      payload: { bundle: 'newborn', answers: NEWBORN_ANSWERS, form: NEWBORN_FORM, materials },
    });
    expect(res.statusCode, res.body).toBe(201);
    ids.push((res.json() as ApplicationView).id);
  }
  return ids;
}

/** Uploads a file (POST /api/v1/files) as the account whose headers are given; it must be stored (201). Returns its id. */
export async function uploadFile(
  t: TestApp,
  headers: Record<string, string>,
  body: Buffer,
  contentType: string,
  name: string,
): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { ...headers, 'content-type': contentType, 'x-file-name': encodeURIComponent(name) },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as UploadedFile).id;
}

/** Asserts a problem+json response and returns it. */
export function problem(res: LightMyRequestResponse) {
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(
      `expected problem+json, got ${res.statusCode} ${String(res.headers['content-type'])}: ${res.body.slice(0, 300)}`,
    );
  }
  return res.json() as {
    status: number;
    code: string;
    title: string;
    errors?: Array<{ pointer: string; code: string; detail: string; in?: string }>;
  };
}

const run = promisify(execFile);
const CLI = path.resolve(import.meta.dirname, '../bin/onething.mjs');

/** The CLI on a data directory that does not exist, so it uses the calendar shipped with OneThing. */
export async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: os.tmpdir(),
    DATA_DIR: path.join(os.tmpdir(), `onething-none-${process.pid}`),
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
