// Identity through the API: login with a one-time code from the outbox (and every way it can go wrong), lockout
// and rate limits, logout everywhere, real-name registration, an enterprise agent (经办人) submitting for the
// enterprise, a family member acting for an elderly applicant and window staff acting for a present applicant
// (帮办代办) with the person seeing and revoking it, staff jurisdiction "within and below", and a city
// administrator who sees only that city.
import type { Guidance } from '@onething/shared/applications';
import type { Agent, LoginChallenge, Me, ProxyView, ProxyList, Session } from '@onething/shared/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { hashToken } from '../src/modules/identity/identity.domain.ts';
import {
  bearer,
  createTestApp,
  loginWithCode,
  NEWBORN_ANSWERS,
  NEWBORN_FORM,
  otpFromOutbox,
  problem,
  testPii,
  type TestApp,
} from './helpers.ts';

let t: TestApp;
let ipSeq = 0;
/** A fresh address per login, so that this file's many logins stay under the per-address rate limit. */
const nextIp = () => `10.20.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
/** A new session (its own token) for a demo account. */
const session = (username: string, password = DEMO_PASSWORD) =>
  loginWithCode(t.app, t.db, username, password, nextIp());

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
async function call(
  token: string,
  method: Method,
  url: string,
  payload?: unknown,
  extra: { remoteAddress?: string; headers?: Record<string, string> } = {},
) {
  return t.app.inject({
    method,
    url,
    headers: { ...bearer(token), 'accept-language': 'en', ...extra.headers },
    ...(payload !== undefined ? { payload: payload as object } : {}),
    ...(extra.remoteAddress ? { remoteAddress: extra.remoteAddress } : {}),
  });
}
const login = (username: string, password: string, remoteAddress: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress,
    headers: { 'accept-language': 'en' },
  });
const verify = (challengeId: string, code: string, remoteAddress: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login/verify',
    payload: { challengeId, code },
    remoteAddress,
    headers: { 'accept-language': 'en' },
  });
const idOf = async (username: string) =>
  (await t.db.query<{ id: string }>('SELECT id FROM accounts WHERE username = $1', [username])).rows[0]!.id;

let pdfOf: (token: string) => Promise<string>;
/** The materials a submission needs, from the one-time notice: e-certificates with consent, uploads of a PDF. */
async function materialsFor(token: string, bundle: string, answers: Record<string, unknown>) {
  const g = (
    await t.app.inject({ method: 'POST', url: `/api/v1/catalogue/bundles/${bundle}/guidance`, payload: { answers } })
  ).json() as Guidance;
  const out: unknown[] = [];
  for (const m of g.materials.filter((x) => x.required && x.provision !== 'produced')) {
    out.push(
      m.provision === 'certificate'
        ? { id: m.id, kind: 'certificate', consent: true }
        : { id: m.id, kind: 'upload', fileIds: [await pdfOf(token)] },
    );
  }
  return out;
}

const AFTER_DEATH_ANSWERS = { has_deposits: false, was_pension_insured: false };
const afterDeathForm = {
  deceased: {
    name: '王爷爷',
    idNumber: '320104194501010017',
    dateOfDeath: '2026-01-05',
    placeOfDeath: '南京市第一医院',
  },
  applicant: { name: '王奶奶', idNumber: '320104194803150525', relationship: 'spouse', phone: '13951000005' },
};

beforeAll(async () => {
  t = await createTestApp();
  pdfOf = async (token: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/files',
      headers: { ...bearer(token), 'content-type': 'application/pdf' },
      payload: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n'),
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { id: string }).id;
  };
});
afterAll(async () => t?.close());

describe('login with a one-time code', () => {
  it('asks staff for a code sent through the outbox, keeps only its hash, and opens a session with it', async () => {
    const ip = nextIp();
    const first = await login('reviewer.health', DEMO_PASSWORD, ip);
    expect(first.statusCode).toBe(200);
    expect(first.cookies).toEqual([]);
    const { challenge } = first.json() as LoginChallenge;
    expect(challenge).toMatchObject({ method: 'sms', destination: '139****9011' });
    expect(new Date(challenge.expiresAt).getTime() - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(new Date(challenge.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);

    const code = await otpFromOutbox(t.db, challenge.id);
    expect(code).toMatch(/^\d{6}$/);
    const stored = (
      await t.db.query<{ code_hash: string }>('SELECT code_hash FROM login_challenges WHERE id = $1', [challenge.id])
    ).rows[0]!;
    expect(stored.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.code_hash).not.toContain(code);
    // The development sink shows the same code for the username.
    expect((await t.app.inject(`/api/v1/dev/otp?username=reviewer.health`)).json()).toMatchObject({
      code,
      challengeId: challenge.id,
    });

    const ok = await verify(challenge.id, code, ip);
    expect(ok.statusCode, ok.body).toBe(200);
    const body = ok.json() as Session;
    expect(body.account).toMatchObject({
      username: 'reviewer.health',
      roles: ['reviewer'],
      permissions: ['cases.review'],
      jurisdiction: '320100',
      phone: '139****9011',
    });
    expect(ok.cookies.find((c) => c.name === 'onething_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect((await call(body.token, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const methods = (
      await t.db.query<{ methods: string[] }>(
        `SELECT methods FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'reviewer.health' ORDER BY s.created_at DESC LIMIT 1`,
      )
    ).rows[0]!.methods;
    expect(methods).toEqual(['password', 'otp']);

    // Reused: the same code again.
    expect(problem(await verify(challenge.id, code, ip))).toMatchObject({ status: 401, code: 'auth.otp_used' });
    // Nothing left for the sink to show.
    expect((await t.app.inject(`/api/v1/dev/otp?username=reviewer.health`)).statusCode).toBe(404);
  });

  it('refuses a wrong code with the attempts left, and a sixth try after five wrong ones even with the right code', async () => {
    const ip = nextIp();
    const { challenge } = (await login('reviewer.hrss', DEMO_PASSWORD, ip)).json() as { challenge: { id: string } };
    const code = await otpFromOutbox(t.db, challenge.id);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let remaining = 4; remaining >= 1; remaining--) {
      const p = problem(await verify(challenge.id, wrong, ip));
      expect(p).toMatchObject({
        status: 401,
        code: 'auth.otp_incorrect',
        title: `Wrong code; ${remaining} attempts left`,
      });
    }
    expect(problem(await verify(challenge.id, wrong, ip)).code).toBe('auth.otp_exhausted');
    // Five wrong codes count as five failed logins: the username is now locked, whatever is tried.
    expect(problem(await login('reviewer.hrss', DEMO_PASSWORD, nextIp()))).toMatchObject({
      status: 429,
      code: 'auth.locked',
    });
    const counted = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM login_attempts WHERE username = 'reviewer.hrss' AND outcome = 'otp_failed'`,
    );
    expect(counted.rows[0]!.n).toBe(5);
    // And without the lock, the challenge itself is spent: the right code no longer opens a session.
    await t.db.query(`DELETE FROM login_locks WHERE key = 'user:reviewer.hrss'`);
    expect(problem(await verify(challenge.id, code, ip)).code).toBe('auth.otp_exhausted');
    await t.db.query(`DELETE FROM login_attempts WHERE username = 'reviewer.hrss'`);
  });

  it('refuses an expired code, an unknown challenge and a malformed one, and a new login makes the older code useless', async () => {
    const ip = nextIp();
    const a = (await login('reviewer.police', DEMO_PASSWORD, ip)).json() as { challenge: { id: string } };
    const codeA = await otpFromOutbox(t.db, a.challenge.id);
    await t.db.query(`UPDATE login_challenges SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      a.challenge.id,
    ]);
    expect(problem(await verify(a.challenge.id, codeA, ip))).toMatchObject({ status: 401, code: 'auth.otp_expired' });

    const b = (await login('reviewer.police', DEMO_PASSWORD, ip)).json() as { challenge: { id: string } };
    const codeB = await otpFromOutbox(t.db, b.challenge.id);
    const c = (await login('reviewer.police', DEMO_PASSWORD, ip)).json() as { challenge: { id: string } };
    expect(problem(await verify(b.challenge.id, codeB, ip)).code).toBe('auth.otp_expired');
    expect((await verify(c.challenge.id, await otpFromOutbox(t.db, c.challenge.id), ip)).statusCode).toBe(200);

    expect(problem(await verify('00000000-0000-4000-8000-000000000000', '123456', ip)).code).toBe('auth.otp_expired');
    const malformed = problem(await verify('not-a-challenge', '12345', ip));
    expect(malformed.status).toBe(400);
    expect(malformed.errors?.map((e) => e.pointer).sort()).toEqual(['/challengeId', '/code']);
  });

  it('lets persons log in with the password alone unless they ask for a code', async () => {
    const ip = nextIp();
    const direct = await login('zhangsan', DEMO_PASSWORD, ip);
    const { token } = direct.json() as { token: string };
    expect(token).toBeTruthy();
    expect((await call(token, 'PUT', '/api/v1/me/login-otp', { enabled: true })).statusCode).toBe(204);
    const now = (await login('zhangsan', DEMO_PASSWORD, ip)).json() as { challenge?: { destination: string } };
    expect(now.challenge?.destination).toBe('139****0001');
    expect((await call(token, 'PUT', '/api/v1/me/login-otp', { enabled: false })).statusCode).toBe(204);
    expect(((await login('zhangsan', DEMO_PASSWORD, ip)).json() as { token?: string }).token).toBeTruthy();
  });

  it('follows LOGIN_OTP: all asks everyone, off asks no one', async () => {
    const all = await createTestApp({ env: { LOGIN_OTP: 'all' } });
    const off = await createTestApp({ env: { LOGIN_OTP: 'off' } });
    try {
      expect(
        (
          await all.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'zhangsan', password: DEMO_PASSWORD },
          })
        ).json(),
      ).toHaveProperty('challenge');
      expect(
        (
          await off.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'admin', password: DEMO_PASSWORD },
          })
        ).json(),
      ).toHaveProperty('token');
    } finally {
      await all.close();
      await off.close();
    }
  });

  it('shows the development sink to the machine itself only, also behind a local proxy', async () => {
    await login('admin', DEMO_PASSWORD, nextIp());
    expect((await t.app.inject({ url: '/api/v1/dev/otp?username=admin', remoteAddress: '127.0.0.1' })).statusCode).toBe(
      200,
    );
    for (const request of [
      { url: '/api/v1/dev/otp?username=admin', remoteAddress: '192.168.1.30' },
      {
        url: '/api/v1/dev/otp?username=admin',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': '192.168.1.30' },
      },
    ])
      expect(problem(await t.app.inject(request)).code).toBe('identity.dev_otp_not_found');
  });

  it('hides the development sink outside development (OTP_DELIVERY=outbox)', async () => {
    const prod = await createTestApp({ env: { OTP_DELIVERY: 'outbox' } });
    try {
      expect(prod.app.apiRoutes.some((r) => r.url === '/api/v1/dev/otp')).toBe(false);
      expect((await prod.app.inject('/api/v1/dev/otp?username=admin')).statusCode).toBe(404);
      // The code still reaches the outbox, for the SMS relay.
      const step = (
        await prod.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'admin', password: DEMO_PASSWORD },
        })
      ).json() as { challenge: { id: string } };
      expect(await otpFromOutbox(prod.db, step.challenge.id)).toMatch(/^\d{6}$/);
    } finally {
      await prod.close();
    }
  });
});

describe('lockout and rate limits', () => {
  it('locks a username after five wrong passwords in 15 minutes, also one that does not exist, and says nothing more', async () => {
    const ip = nextIp();
    for (let i = 0; i < 5; i++)
      expect(problem(await login('wangqiang', 'wrong-password', ip)).code).toBe('auth.invalid_credentials');
    const locked = problem(await login('wangqiang', DEMO_PASSWORD, nextIp()));
    expect(locked).toMatchObject({
      status: 429,
      code: 'auth.locked',
      title: 'Too many failed attempts; locked, try again in 15 minutes',
    });
    for (let i = 0; i < 5; i++) await login('no-such-user', 'wrong-password', ip);
    expect(problem(await login('no-such-user', 'whatever', nextIp())).code).toBe('auth.locked');
    // Another user from the same address is not affected.
    expect((await login('zhangsan', DEMO_PASSWORD, ip)).statusCode).toBe(200);

    const audit = await t.db.query<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action IN ('identity.login_failed', 'identity.locked') GROUP BY action ORDER BY action`,
      [await idOf('wangqiang')],
    );
    expect(audit.rows).toEqual([
      { action: 'identity.locked', n: 1 },
      { action: 'identity.login_failed', n: 5 },
    ]);
    const counted = await t.db.query<{ outcome: string; n: number }>(
      `SELECT outcome, count(*)::int AS n FROM login_attempts WHERE username = 'wangqiang' GROUP BY outcome ORDER BY outcome`,
    );
    expect(counted.rows).toEqual([
      { outcome: 'locked', n: 1 },
      { outcome: 'password_failed', n: 5 },
    ]);

    // When the lock ends, the right password works again.
    await t.db.query(`UPDATE login_locks SET locked_until = now() - interval '1 second' WHERE key = 'user:wangqiang'`);
    expect((await login('wangqiang', DEMO_PASSWORD, nextIp())).statusCode).toBe(200);
  });

  it('locks an address after twenty failures across usernames, and limits any address to 60 login steps a minute', async () => {
    const ip = nextIp();
    for (let i = 0; i < 20; i++) await login(`guess-${i}`, 'wrong-password', ip);
    expect(problem(await login('zhangsan', DEMO_PASSWORD, ip)).code).toBe('auth.locked');
    expect((await login('zhangsan', DEMO_PASSWORD, nextIp())).statusCode).toBe(200);

    const busy = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++)
      statuses.push((await verify('00000000-0000-4000-8000-000000000000', '123456', busy)).statusCode);
    // Unknown challenges count as failures too: the address is locked at the twentieth, then refused outright.
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    const last = problem(await login('zhangsan', DEMO_PASSWORD, busy));
    expect(last.code).toBe('http.rate_limited');
  });

  it('counts each client behind a trusted proxy (X-Forwarded-For from loopback) on its own', async () => {
    // What nginx on the same machine sends: the client's address appended to X-Forwarded-For, from 127.0.0.1.
    const via = (client: string) => ({ 'x-forwarded-for': client });
    const through = (username: string, password: string, client: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password },
        remoteAddress: '127.0.0.1',
        headers: via(client),
      });
    for (let i = 0; i < 20; i++) await through(`proxied-guess-${i}`, 'wrong-password', '198.51.100.20');
    expect(problem(await through('zhangsan', DEMO_PASSWORD, '198.51.100.20')).code).toBe('auth.locked');
    // Another client through the same proxy, and the proxy's own address, still log in.
    expect((await through('zhangsan', DEMO_PASSWORD, '198.51.100.21')).statusCode).toBe(200);
    expect((await login('zhangsan', DEMO_PASSWORD, '127.0.0.1')).statusCode).toBe(200);
    const counted = await t.db.query<{ ip: string; n: number }>(
      `SELECT ip, count(*)::int AS n FROM login_attempts WHERE username LIKE 'proxied-guess-%' GROUP BY ip`,
    );
    expect(counted.rows).toEqual([{ ip: '198.51.100.20', n: 20 }]);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const peer = '203.0.113.9';
    for (let i = 0; i < 20; i++)
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: `spoofed-guess-${i}`, password: 'wrong-password' },
        remoteAddress: peer,
        headers: { 'x-forwarded-for': `192.0.2.${i}` },
      });
    // Each guess claimed another address; all counted against the peer, which a new claim does not unlock.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'zhangsan', password: DEMO_PASSWORD },
      remoteAddress: peer,
      headers: { 'x-forwarded-for': '192.0.2.250' },
    });
    expect(problem(again).code).toBe('auth.locked');
    const counted = await t.db.query<{ ip: string }>(
      `SELECT DISTINCT ip FROM login_attempts WHERE username LIKE 'spoofed-guess-%'`,
    );
    expect(counted.rows).toEqual([{ ip: peer }]);
  });

  it('refuses a forged token and an expired session', async () => {
    expect(problem(await call('x'.repeat(43), 'GET', '/api/v1/auth/me')).code).toBe('auth.unauthenticated');
    const token = await session('zhangsan');
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [
      hashToken(token),
    ]);
    expect((await call(token, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });
});

describe('logout everywhere', () => {
  it('ends every session of the account, bearer and cookie alike', async () => {
    const a = await session('wangxiaoming');
    const b = await session('wangxiaoming');
    const other = await session('zhangsan');
    expect((await call(a, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: `onething_session=${b}`, host: 'onething.test', origin: 'http://onething.test' },
      payload: { everywhere: true },
    });
    expect(res.statusCode).toBe(204);
    expect((await call(a, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await call(b, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await call(other, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
  });
});

describe('registration of a natural person', () => {
  const good = {
    username: 'lisi',
    password: 'a-long-passphrase',
    realName: '李四',
    idNumber: '320104199001010013',
    phone: '13800000000',
  };

  it('registers with a valid ID number and answers with personal numbers masked', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts/persons',
      payload: good,
      remoteAddress: nextIp(),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      username: 'lisi',
      displayName: '李四',
      kind: 'person',
      idNumber: '3201**********0013',
      phone: '138****0000',
    });
    expect(res.body).not.toContain('320104199001010013');
    const me = (await call(await session('lisi', 'a-long-passphrase'), 'GET', '/api/v1/auth/me')).json() as Me;
    expect(me).toMatchObject({ idNumber: '3201**********0013', roles: ['applicant'] });
  });

  it('refuses an ID number failing its checksum, a weak password and a taken username, not a registered ID number', async () => {
    const bad = problem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/accounts/persons',
        payload: { ...good, username: 'lisi2', idNumber: '320104199001010011', password: 'lisi2', phone: '123' },
        remoteAddress: nextIp(),
        headers: { 'accept-language': 'en' },
      }),
    );
    expect(bad.status).toBe(422);
    expect(bad.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/idNumber', code: 'identifiers.id_number.checksum' }),
        expect.objectContaining({ pointer: '/password', code: 'identity.password_too_short' }),
        expect.objectContaining({ pointer: '/password', code: 'identity.password_is_username' }),
        expect.objectContaining({ pointer: '/phone', code: 'identity.phone_invalid' }),
      ]),
    );
    expect(
      problem(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/accounts/persons',
          payload: { ...good, idNumber: '320104199001020019' },
          remoteAddress: nextIp(),
        }),
      ).code,
    ).toBe('identity.username_taken');
    // Whether a number has an account is nobody's business but its holder's: a second account that claims it is
    // made like any other, at real-name level 1 (test/proofing.test.ts proves the answers alike).
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts/persons',
      payload: { ...good, username: 'lisi3' },
      remoteAddress: nextIp(),
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ username: 'lisi3', realNameLevel: 1 });
  });
});

describe('an enterprise agent (经办人) submits for the enterprise', () => {
  let agent: string;
  let enterpriseId: string;
  let applicationId: string;

  it('switches to acting for the enterprise it is an agent of', async () => {
    agent = await session('jinling-foods');
    const me = (await call(agent, 'GET', '/api/v1/auth/me')).json() as Me;
    expect(me.roles).toEqual(['applicant']);
    expect(me.actingFor).toBeNull();
    expect(me.enterprises).toEqual([
      expect.objectContaining({ name: '南京金陵餐饮有限公司', creditCode: '91320104MA1WJLFD0Y', role: 'agent' }),
    ]);
    enterpriseId = me.enterprises[0]!.id;
    const acting = (await call(agent, 'PUT', '/api/v1/auth/acting-as', { enterpriseId })).json() as Me;
    expect(acting).toMatchObject({
      roles: ['enterprise_agent'],
      subjectId: enterpriseId,
      actingFor: { kind: 'enterprise', name: '南京金陵餐饮有限公司' },
    });
    // Not an agent of a made-up enterprise, and zhangsan is no agent of this one: both "not found".
    expect(
      problem(
        await call(agent, 'PUT', '/api/v1/auth/acting-as', { enterpriseId: '00000000-0000-4000-8000-000000000000' }),
      ).code,
    ).toBe('identity.enterprise_not_found');
    expect(problem(await call(await t.login('zhangsan'), 'PUT', '/api/v1/auth/acting-as', { enterpriseId })).code).toBe(
      'identity.enterprise_not_found',
    );
  });

  it('submits a restaurant opening as the enterprise, prefilled from the enterprise profile', async () => {
    const prefill = (await call(agent, 'GET', '/api/v1/applications/prefill?bundle=restaurant-opening')).json() as {
      values: { entity: { name: string; uscc: string } };
    };
    expect(prefill.values.entity).toMatchObject({ name: '南京金陵餐饮有限公司', uscc: '91320104MA1WJLFD0Y' });
    const answers = { has_outdoor_sign: false, sells_tobacco: false };
    const form = {
      ...prefill.values,
      entity: { ...prefill.values.entity, legalRepresentative: { name: '王强', idNumber: '320104197609080416' } },
      premises: { address: '南京市秦淮区中山南路1号', areaSqm: 120, seatCount: 40, plannedOpeningDate: '2026-06-01' },
      food: { businessItems: '热食类食品制售', safetyManagerName: '赵敏' },
      fire: { managerName: '王强' },
      contact: { name: '赵敏', phone: '13951000003' },
    };
    const res = await call(agent, 'POST', '/api/v1/applications', {
      bundle: 'restaurant-opening',
      answers,
      form,
      materials: await materialsFor(agent, 'restaurant-opening', answers),
    });
    expect(res.statusCode, res.body).toBe(201);
    const app = res.json() as {
      id: string;
      channel: string;
      onBehalf: { kind: string; actor: { name: string } };
      cases: Array<{ id: string; departmentCode: string }>;
    };
    applicationId = app.id;
    expect(app.channel).toBe('web');
    expect(app.onBehalf).toMatchObject({ kind: 'enterprise', actor: { name: '赵敏' } });
    const row = (
      await t.db.query<{ applicant_id: string; submitted_by: string }>(
        'SELECT applicant_id, submitted_by FROM applications WHERE id = $1',
        [app.id],
      )
    ).rows[0]!;
    expect(row).toEqual({ applicant_id: enterpriseId, submitted_by: await idOf('jinling-foods') });
    const audit = (
      await t.db.query<{ actor_id: string; data: Record<string, string> }>(
        `SELECT actor_id, data FROM audit_events WHERE action = 'application.submitted' AND subject_id = $1`,
        [app.id],
      )
    ).rows[0]!;
    expect(audit.actor_id).toBe(await idOf('jinling-foods'));
    expect(audit.data).toMatchObject({ applicant: enterpriseId, onBehalfOf: enterpriseId, actingKind: 'enterprise' });

    // The market regulator's reviewer has the first case in the queue; the agent as a private person does not see it.
    const queue = (await call(await t.login('reviewer.market'), 'GET', '/api/v1/cases')).json() as Array<{
      applicationId: string;
    }>;
    expect(queue.map((c) => c.applicationId)).toContain(app.id);
    const self = await session('jinling-foods');
    expect((await call(self, 'GET', `/api/v1/applications/${app.id}`)).statusCode).toBe(404);
  });

  it('shares the enterprise applications with its legal representative, who can remove the agent', async () => {
    const rep = await session('wangqiang');
    await call(rep, 'PUT', '/api/v1/auth/acting-as', { enterpriseId });
    expect((await call(rep, 'GET', '/api/v1/applications')).json()).toEqual([
      expect.objectContaining({ id: applicationId }),
    ]);
    await call(rep, 'DELETE', '/api/v1/auth/acting-as');
    const agents = (await call(rep, 'GET', `/api/v1/enterprises/${enterpriseId}/agents`)).json() as Agent[];
    expect(agents.map((a) => [a.name, a.role])).toEqual([
      ['王强', 'legal_representative'],
      ['赵敏', 'agent'],
    ]);
    expect(agents[1]!.idNumber).toBe('3201**********0624');
    // The agent cannot manage agents, and zhangsan does not see the enterprise at all.
    expect((await call(agent, 'GET', `/api/v1/enterprises/${enterpriseId}/agents`)).statusCode).toBe(403);
    expect(
      (await call(await t.login('zhangsan'), 'GET', `/api/v1/enterprises/${enterpriseId}/agents`)).statusCode,
    ).toBe(404);

    expect(
      (await call(rep, 'DELETE', `/api/v1/enterprises/${enterpriseId}/agents/${agents[1]!.personId}`)).statusCode,
    ).toBe(204);
    // The agent's session acting for the enterprise is refused until it switches back, and cannot switch again.
    expect(problem(await call(agent, 'GET', '/api/v1/applications'))).toMatchObject({
      status: 403,
      code: 'auth.acting_ended',
    });
    expect(
      ((await call(agent, 'GET', '/api/v1/auth/me')).json() as { actingFor: { ended: string } }).actingFor.ended,
    ).toBe('revoked');
    expect(problem(await call(agent, 'PUT', '/api/v1/auth/acting-as', { enterpriseId })).code).toBe(
      'identity.enterprise_not_found',
    );
    expect(
      ((await call(agent, 'DELETE', '/api/v1/auth/acting-as')).json() as { actingFor: unknown }).actingFor,
    ).toBeNull();
    expect((await call(agent, 'GET', '/api/v1/applications')).statusCode).toBe(200);

    // The legal representative adds them back (by ID number and name), and cannot be removed themself.
    const added = await call(rep, 'POST', `/api/v1/enterprises/${enterpriseId}/agents`, {
      person: { idNumber: '320104199203040624', name: '赵敏' },
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(
      problem(
        await call(rep, 'POST', `/api/v1/enterprises/${enterpriseId}/agents`, {
          person: { idNumber: '320104199203040624', name: '赵六' },
        }),
      ).code,
    ).toBe('identity.person_not_found');
    expect(
      problem(await call(rep, 'DELETE', `/api/v1/enterprises/${enterpriseId}/agents/${agents[0]!.personId}`)).code,
    ).toBe('identity.legal_representative_stays');
  });

  it('registers a new enterprise by a valid credit code only, as the register names its legal representative', async () => {
    const zhangsan = await t.login('zhangsan');
    const bad = problem(
      await call(zhangsan, 'POST', '/api/v1/enterprises', { name: '张三面馆', uscc: '91320104MA1WJLFD0X' }),
    );
    expect(bad.errors?.[0]).toMatchObject({ pointer: '/uscc', code: 'identifiers.uscc.checksum' });
    // The seed's enterprise register names 张三 as the legal representative of this one.
    const ok = await call(zhangsan, 'POST', '/api/v1/enterprises', {
      name: '南京玄武张记面馆有限公司',
      uscc: '91320102MA2YHN1A0H',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ name: '南京玄武张记面馆有限公司', role: 'legal_representative' });
    expect(problem(await call(zhangsan, 'POST', '/api/v1/enterprises', { uscc: '91320102MA2YHN1A0H' })).code).toBe(
      'identity.enterprise_exists',
    );
  });
});

describe('a family member acts for an elderly applicant (帮办代办)', () => {
  let grandson: string;
  let grandma: string;
  let proxyId: string;
  let applicationId: string;

  it('acts under the proxy 王奶奶 granted, and what it files is hers, recorded as done by him', async () => {
    grandson = await session('wangxiaoming');
    grandma = await session('wangnainai');
    const received = ((await call(grandson, 'GET', '/api/v1/me/proxies')).json() as ProxyList).received;
    expect(received).toEqual([
      expect.objectContaining({
        kind: 'family',
        status: 'active',
        grantor: expect.objectContaining({ name: '王奶奶', idNumber: '3201**********0525' }),
      }),
    ]);
    proxyId = received[0]!.id;
    const me = (await call(grandson, 'PUT', '/api/v1/auth/acting-as', { proxyId })).json() as Me;
    expect(me).toMatchObject({
      subjectId: await idOf('wangnainai'),
      roles: ['applicant'],
      actingFor: { name: '王奶奶', proxyKind: 'family' },
    });
    // Only what a person can delegate: applying, not granting further proxies or registering enterprises.
    expect(me.permissions).toEqual(['applications.read', 'applications.submit']);
    expect(
      (
        await call(grandson, 'POST', '/api/v1/me/proxies', {
          grantee: { idNumber: '32010219880512123X', name: '张三' },
          scope: { all: true },
          validUntil: '2030-01-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(403);

    const prefill = (await call(grandson, 'GET', '/api/v1/applications/prefill?bundle=after-death')).json() as {
      values: { applicant: { name: string } };
    };
    expect(prefill.values.applicant.name).toBe('王奶奶');
    const res = await call(grandson, 'POST', '/api/v1/applications', {
      bundle: 'after-death',
      answers: AFTER_DEATH_ANSWERS,
      form: afterDeathForm,
      materials: await materialsFor(grandson, 'after-death', AFTER_DEATH_ANSWERS),
    });
    expect(res.statusCode, res.body).toBe(201);
    const app = res.json() as { id: string; onBehalf: { kind: string; proxyKind: string; actor: { name: string } } };
    applicationId = app.id;
    expect(app.onBehalf).toMatchObject({ kind: 'proxy', proxyKind: 'family', actor: { name: '王小明' } });
    const row = (
      await t.db.query<{ applicant_id: string; submitted_by: string; channel: string }>(
        'SELECT applicant_id, submitted_by, channel FROM applications WHERE id = $1',
        [app.id],
      )
    ).rows[0]!;
    expect(row).toEqual({
      applicant_id: await idOf('wangnainai'),
      submitted_by: await idOf('wangxiaoming'),
      channel: 'web',
    });
    // The case history names him as the actor, for her.
    const events = await t.db.query<{ actor_id: string; data: Record<string, string> }>(
      `SELECT e.actor_id, e.data FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.application_id = $1 AND e.action = 'submit'`,
      [app.id],
    );
    expect(events.rows.every((e) => e.data.onBehalfOf === row.applicant_id && e.actor_id === row.submitted_by)).toBe(
      true,
    );
  });

  it('shows 王奶奶 her application and everything done under the proxy, and she revokes it', async () => {
    const mine = (await call(grandma, 'GET', `/api/v1/applications/${applicationId}`)).json() as {
      onBehalf: { actor: { name: string } };
    };
    expect(mine.onBehalf.actor.name).toBe('王小明');
    const granted = ((await call(grandma, 'GET', '/api/v1/me/proxies')).json() as ProxyList).granted;
    const actions = granted.find((g) => g.id === proxyId)!.actions!;
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['identity.acting_started', 'application.submitted', 'file.uploaded']),
    );
    expect(actions.find((a) => a.action === 'application.submitted')?.actor.name).toBe('王小明');

    // Someone else cannot revoke it (it does not exist for them).
    expect(problem(await call(await t.login('zhangsan'), 'DELETE', `/api/v1/me/proxies/${proxyId}`)).code).toBe(
      'identity.proxy_not_found',
    );
    expect(
      (await call(grandma, 'DELETE', `/api/v1/me/proxies/${proxyId}`, { reason: '已能自己办理' })).statusCode,
    ).toBe(204);
    expect((await call(grandma, 'DELETE', `/api/v1/me/proxies/${proxyId}`)).statusCode).toBe(204);

    // His session acting for her is refused at once, reads included; switching back works, acting again does not.
    expect(problem(await call(grandson, 'GET', `/api/v1/applications/${applicationId}`))).toMatchObject({
      status: 403,
      code: 'auth.acting_ended',
    });
    expect(problem(await call(grandson, 'POST', `/api/v1/applications/${applicationId}/withdraw`, {})).code).toBe(
      'auth.acting_ended',
    );
    expect((await call(grandson, 'DELETE', '/api/v1/auth/acting-as')).statusCode).toBe(200);
    expect(problem(await call(grandson, 'PUT', '/api/v1/auth/acting-as', { proxyId })).code).toBe(
      'identity.proxy_inactive',
    );
    expect((await call(grandson, 'GET', `/api/v1/applications/${applicationId}`)).statusCode).toBe(404);
    const granted2 = ((await call(grandma, 'GET', '/api/v1/me/proxies')).json() as ProxyList).granted;
    expect(granted2.find((g) => g.id === proxyId)).toMatchObject({ status: 'revoked', revokeReason: '已能自己办理' });
  });

  it('grants a proxy for some bundles only, which covers nothing else, and refuses an expired one', async () => {
    const res = await call(grandma, 'POST', '/api/v1/me/proxies', {
      grantee: { idNumber: '32010419950621031X', name: '王小明' },
      scope: { bundles: ['retirement'] },
      validUntil: new Date(Date.now() + 30 * 86400_000).toISOString(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const narrow = (res.json() as { id: string }).id;
    const s = await session('wangxiaoming');
    expect((await call(s, 'PUT', '/api/v1/auth/acting-as', { proxyId: narrow })).statusCode).toBe(200);
    // Her after-death application is outside this proxy: not found, not listed, and no new one of that bundle.
    expect((await call(s, 'GET', `/api/v1/applications/${applicationId}`)).statusCode).toBe(404);
    expect((await call(s, 'GET', '/api/v1/applications')).json()).toEqual([]);
    expect(problem(await call(s, 'POST', '/api/v1/application-drafts', { bundle: 'after-death' }))).toMatchObject({
      status: 403,
      code: 'identity.outside_proxy_scope',
    });
    expect((await call(s, 'POST', '/api/v1/application-drafts', { bundle: 'retirement' })).statusCode).toBe(201);

    await t.db.query(
      `UPDATE proxies SET valid_until = now() - interval '1 second', valid_from = now() - interval '1 day' WHERE id = $1`,
      [narrow],
    );
    expect(problem(await call(s, 'GET', '/api/v1/applications')).code).toBe('auth.acting_ended');
    await call(s, 'DELETE', '/api/v1/auth/acting-as');
    expect(problem(await call(s, 'PUT', '/api/v1/auth/acting-as', { proxyId: narrow })).code).toBe(
      'identity.proxy_inactive',
    );
    expect(
      problem(await call(s, 'PUT', '/api/v1/auth/acting-as', { proxyId: '00000000-0000-4000-8000-000000000000' })).code,
    ).toBe('identity.proxy_not_found');
  });
});

describe('window staff act for a present applicant (帮办代办) after recording consent', () => {
  const ZHANGSAN = { idNumber: '32010219880512123X', name: '张三' };
  const CARD_READ = { method: 'id_card_reader', cardRead: true } as const;
  /** Sends the person a code as this staff member; the code as the SMS relay would send it. */
  async function codeFor(staff: string, person: { idNumber: string; name: string }) {
    const res = await call(staff, 'POST', '/api/v1/proxies/window-consent/code', { person });
    expect(res.statusCode, res.body).toBe(201);
    const sent = res.json() as { challengeId: string; destination: string; expiresAt: string };
    const { rows } = await t.db.query<{ code: string; recipient_id: string }>(
      `SELECT payload->>'code' AS code, recipient_id FROM notifications WHERE kind = 'proxy.consent_code' AND payload->>'challengeId' = $1`,
      [sent.challengeId],
    );
    return { ...sent, code: rows[0]!.code, recipientId: rows[0]!.recipient_id };
  }
  const proxiesOf = async (idNumber: string) =>
    (
      await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM proxies p JOIN accounts a ON a.id = p.grantor_id WHERE a.id_number_hash = $1`,
        [testPii().blindIndex(idNumber, 'id_number')],
      )
    ).rows[0]!.n;

  it('records consent confirmed by a code on the person’s phone, submits through the window channel, and the applicant sees and revokes it', async () => {
    const staff = await session('window.nanjing');
    const badId = problem(
      await call(staff, 'POST', '/api/v1/proxies/window-consent', {
        person: { idNumber: '32010219880512123Y', name: '张三' },
        scope: { all: true },
        consent: CARD_READ,
      }),
    );
    expect(badId.errors?.[0]).toMatchObject({ pointer: '/person/idNumber', code: 'identifiers.id_number.checksum' });
    expect(
      problem(
        await call(staff, 'POST', '/api/v1/proxies/window-consent', {
          person: { idNumber: '32010219880512123X', name: '李四' },
          scope: { all: true },
          consent: CARD_READ,
        }),
      ).code,
    ).toBe('identity.person_mismatch');

    const sent = await codeFor(staff, ZHANGSAN);
    expect(sent.destination).toBe('139****0001');
    expect(sent.recipientId).toBe(await idOf('zhangsan'));
    // The development sink shows it under the person's username, to the machine itself.
    expect((await t.app.inject('/api/v1/dev/otp?username=zhangsan')).json()).toMatchObject({
      code: sent.code,
      challengeId: sent.challengeId,
    });
    const wrong = problem(
      await call(staff, 'POST', '/api/v1/proxies/window-consent', {
        person: ZHANGSAN,
        scope: { bundles: ['after-death'] },
        consent: {
          method: 'sms_code',
          challengeId: sent.challengeId,
          code: sent.code === '000000' ? '111111' : '000000',
        },
      }),
    );
    expect(wrong).toMatchObject({
      status: 422,
      code: 'identity.consent_code_incorrect',
      title: 'Wrong code; 4 attempts left',
      errors: [{ pointer: '/consent/code' }],
    });
    const res = await call(staff, 'POST', '/api/v1/proxies/window-consent', {
      person: ZHANGSAN,
      scope: { bundles: ['after-death'] },
      consent: { method: 'sms_code', challengeId: sent.challengeId, code: sent.code },
    });
    expect(res.statusCode, res.body).toBe(201);
    const proxy = res.json() as ProxyView;
    expect(proxy).toMatchObject({
      kind: 'window_consent',
      consent: { method: 'sms_code', recordedBy: await idOf('window.nanjing') },
    });
    // For the visit: four hours unless told.
    expect(new Date(proxy.validUntil).getTime() - Date.now()).toBeLessThanOrEqual(4 * 3600_000);
    // Once only.
    expect(
      problem(
        await call(staff, 'POST', '/api/v1/proxies/window-consent', {
          person: ZHANGSAN,
          scope: { all: true },
          consent: { method: 'sms_code', challengeId: sent.challengeId, code: sent.code },
        }),
      ).code,
    ).toBe('identity.consent_code_expired');
    const audit = await t.db.query<{ data: { method: string; challengeId?: string } }>(
      `SELECT data FROM audit_events WHERE action = 'identity.window_consent_recorded' AND subject_id = $1`,
      [proxy.id],
    );
    expect(audit.rows[0]?.data).toMatchObject({ method: 'sms_code', challengeId: sent.challengeId });

    const acting = (await call(staff, 'PUT', '/api/v1/auth/acting-as', { proxyId: proxy.id })).json() as {
      roles: string[];
      actingFor: { name: string };
    };
    expect(acting).toMatchObject({ roles: ['applicant'], actingFor: { name: '张三' } });
    const form = {
      ...afterDeathForm,
      applicant: { name: '张三', idNumber: '32010219880512123X', relationship: 'child', phone: '13951000001' },
    };
    const submitted = await call(staff, 'POST', '/api/v1/applications', {
      bundle: 'after-death',
      answers: AFTER_DEATH_ANSWERS,
      form,
      materials: await materialsFor(staff, 'after-death', AFTER_DEATH_ANSWERS),
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const app = submitted.json() as {
      id: string;
      channel: string;
      onBehalf: { proxyKind: string; actor: { name: string } };
    };
    expect(app).toMatchObject({
      channel: 'window',
      onBehalf: { proxyKind: 'window_consent', actor: { name: '南京市政务服务中心综合窗口' } },
    });
    // zhangsan's own newborn applications are outside this consent.
    expect(
      problem(
        await call(staff, 'POST', '/api/v1/applications', { bundle: 'newborn', answers: {}, form: {}, materials: [] }),
      ).code,
    ).toBe('identity.outside_proxy_scope');

    const zhangsan = await session('zhangsan');
    expect(
      ((await call(zhangsan, 'GET', `/api/v1/applications/${app.id}`)).json() as { channel: string }).channel,
    ).toBe('window');
    const granted = (
      (await call(zhangsan, 'GET', '/api/v1/me/proxies')).json() as {
        granted: Array<{ id: string; actions: Array<{ action: string }> }>;
      }
    ).granted;
    expect(granted.find((g) => g.id === proxy.id)?.actions.map((a) => a.action)).toContain('application.submitted');
    expect((await call(zhangsan, 'DELETE', `/api/v1/me/proxies/${proxy.id}`)).statusCode).toBe(204);
    expect(problem(await call(staff, 'GET', '/api/v1/applications')).code).toBe('auth.acting_ended');
  });

  it('refuses a consent with nothing from the person: a signature the clerk reports, a card read not attested', async () => {
    const staff = await session('window.nanjing');
    const before = await proxiesOf(ZHANGSAN.idNumber);
    for (const consent of [{ method: 'signature', reference: 'NJ-2026-0002' }, { method: 'id_card_reader' }]) {
      const res = await call(staff, 'POST', '/api/v1/proxies/window-consent', {
        person: ZHANGSAN,
        scope: { all: true },
        consent,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(problem(res).errors?.[0]?.pointer).toMatch(/^\/consent/);
    }
    // A code asked by another clerk is not this clerk's to use.
    const sent = await codeFor(await session('window.nanjing'), ZHANGSAN);
    expect(
      problem(
        await call(await session('township.qinhuai'), 'POST', '/api/v1/proxies/window-consent', {
          person: { idNumber: '320104194803150525', name: '王奶奶' },
          scope: { all: true },
          consent: { method: 'sms_code', challengeId: sent.challengeId, code: sent.code },
        }),
      ).code,
    ).toBe('identity.consent_code_expired');
    expect(await proxiesOf(ZHANGSAN.idNumber)).toBe(before);
  });

  it('records a consent from the ID card read at the window, attested and audited, for the visit only', async () => {
    const staff = await session('window.nanjing');
    const tooLong = problem(
      await call(staff, 'POST', '/api/v1/proxies/window-consent', {
        person: ZHANGSAN,
        scope: { all: true },
        validUntil: new Date(Date.now() + 2 * 86400_000).toISOString(),
        consent: CARD_READ,
      }),
    );
    expect(tooLong.errors?.[0]).toMatchObject({
      pointer: '/validUntil',
      detail: 'a window consent lasts for the visit: at most 8 hours',
    });
    const res = await call(staff, 'POST', '/api/v1/proxies/window-consent', {
      person: ZHANGSAN,
      scope: { all: true },
      consent: { ...CARD_READ, reference: '读卡记录 0042' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const proxy = res.json() as ProxyView;
    expect(proxy.consent).toMatchObject({ method: 'id_card_reader', cardRead: true });
    const audit = await t.db.query<{ data: { method: string; cardRead?: boolean } }>(
      `SELECT data FROM audit_events WHERE action = 'identity.window_consent_recorded' AND subject_id = $1`,
      [proxy.id],
    );
    expect(audit.rows[0]?.data).toMatchObject({ method: 'id_card_reader', cardRead: true });
  });

  it('reaches only persons within the staff member’s jurisdiction (a township: its county), and writes nothing outside', async () => {
    const township = await session('township.qinhuai');
    const window = await session('window.nanjing');
    const WUXI = { idNumber: '320211198506150024', name: '钱芳' };
    const accounts = async () =>
      (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts')).rows[0]!.n;
    const before = { accounts: await accounts(), zhangsan: await proxiesOf(ZHANGSAN.idNumber) };
    const refusals = [
      // 张三 lives in 玄武区 (320102): outside the township of 秦淮区.
      call(township, 'POST', '/api/v1/proxies/window-consent', {
        person: ZHANGSAN,
        scope: { all: true },
        consent: CARD_READ,
      }),
      call(township, 'POST', '/api/v1/proxies/window-consent/code', { person: ZHANGSAN }),
      // A person of Wuxi, not registered: the city's window of Nanjing does not record them.
      call(window, 'POST', '/api/v1/proxies/window-consent', {
        person: WUXI,
        scope: { all: true },
        consent: CARD_READ,
      }),
      call(window, 'POST', '/api/v1/proxies/family', {
        grantor: WUXI,
        grantee: { idNumber: '32010419950621031X', name: '王小明' },
        scope: { all: true },
        validUntil: new Date(Date.now() + 30 * 86400_000).toISOString(),
        consent: { method: 'signature' },
      }),
    ];
    for (const res of await Promise.all(refusals))
      expect(problem(res), res.body).toMatchObject({ status: 404, code: 'identity.person_outside_jurisdiction' });
    expect({ accounts: await accounts(), zhangsan: await proxiesOf(ZHANGSAN.idNumber) }).toEqual(before);
    // 王奶奶 lives in 秦淮区: within the township's reach.
    const granny = await call(township, 'POST', '/api/v1/proxies/window-consent', {
      person: { idNumber: '320104194803150525', name: '王奶奶' },
      scope: { all: true },
      consent: CARD_READ,
    });
    expect(granny.statusCode, granny.body).toBe(201);
  });

  it('sends no code to a person without a phone on record, nor more than five an hour', async () => {
    const staff = await session('window.nanjing');
    // Recorded at the window, never registered: no phone.
    const res = await call(staff, 'POST', '/api/v1/proxies/window-consent', {
      person: { idNumber: '320104195203030022', name: '赵秀兰' },
      scope: { all: true },
      consent: CARD_READ,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(
      problem(
        await call(staff, 'POST', '/api/v1/proxies/window-consent/code', {
          person: { idNumber: '320104195203030022', name: '赵秀兰' },
        }),
      ).code,
    ).toBe('identity.consent_no_phone');
    const wang = { idNumber: '32010419950621031X', name: '王小明' };
    for (let i = 0; i < 5; i++) await codeFor(staff, wang);
    expect(problem(await call(staff, 'POST', '/api/v1/proxies/window-consent/code', { person: wang })).code).toBe(
      'http.rate_limited',
    );
  });

  it('records a family proxy for an elderly person without an account, who becomes an applicant of record', async () => {
    const staff = await session('window.nanjing');
    const res = await call(staff, 'POST', '/api/v1/proxies/family', {
      grantor: { idNumber: '32010419400808002X', name: '李秀英' },
      grantee: { idNumber: '32010419950621031X', name: '王小明' },
      scope: { all: true },
      validUntil: new Date(Date.now() + 365 * 86400_000).toISOString(),
      consent: { method: 'signature', reference: '授权委托书 QH-2026-0007' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const proxy = res.json() as { id: string; grantor: { name: string; idNumber: string } };
    expect(proxy.grantor).toMatchObject({ name: '李秀英', idNumber: '3201**********002X' });
    const record = (
      await t.db.query<{ password_hash: string | null; username: string }>(
        `SELECT password_hash, username FROM accounts WHERE id_number_hash = $1`,
        [testPii().blindIndex('32010419400808002X', 'id_number')],
      )
    ).rows[0]!;
    expect(record.password_hash).toBeNull();
    expect(record.username).toMatch(/^pending:/);
    const s = await session('wangxiaoming');
    expect((await call(s, 'PUT', '/api/v1/auth/acting-as', { proxyId: proxy.id })).statusCode).toBe(200);
    // Nobody can log in as the record, and registering with its ID number only claims the number: the record
    // keeps it until its holder proves it (she has no phone on record, so at a window).
    expect(problem(await login(record.username, 'any-password-at-all', nextIp())).code).toBe(
      'auth.invalid_credentials',
    );
    const claim = await t.app.inject({
      method: 'POST',
      url: '/api/v1/accounts/persons',
      payload: {
        username: 'lixiuying',
        password: 'a-long-passphrase',
        realName: '李秀英',
        idNumber: '32010419400808002X',
        phone: '13800000001',
      },
      remoteAddress: nextIp(),
    });
    expect(claim.statusCode, claim.body).toBe(201);
    expect(claim.json()).toMatchObject({ realNameLevel: 1 });
    const holder = await t.db.query<{ username: string }>('SELECT username FROM accounts WHERE id_number_hash = $1', [
      t.pii.blindIndex('32010419400808002X', 'id_number'),
    ]);
    expect(holder.rows).toEqual([{ username: record.username }]);
  });
});

describe('jurisdiction: staff reach their department within their jurisdiction and below', () => {
  let caseId: string;
  let admin: string;

  beforeAll(async () => {
    admin = await session('admin');
    const zhangsan = await session('zhangsan');
    const res = await call(zhangsan, 'POST', '/api/v1/applications', {
      bundle: 'newborn',
      answers: NEWBORN_ANSWERS,
      form: NEWBORN_FORM,
      materials: await materialsFor(zhangsan, 'newborn', NEWBORN_ANSWERS),
    });
    expect(res.statusCode, res.body).toBe(201);
    caseId = (res.json() as { cases: Array<{ id: string; item: { code: string } }> }).cases.find(
      (c) => c.item.code === 'birth-medical-certificate',
    )!.id;
  });

  it('hides a Nanjing city case from a reviewer of the same department in one of its districts, until the case is in that district', async () => {
    const created = await call(admin, 'POST', '/api/v1/admin/accounts', {
      username: 'reviewer.health.qinhuai',
      displayName: '秦淮区卫健委审核员',
      password: 'a-long-passphrase',
      phone: '13951009099',
      departmentCode: 'nj-health',
      jurisdiction: '320104',
      roles: ['reviewer'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const district = await session('reviewer.health.qinhuai', 'a-long-passphrase');
    const city = await t.login('reviewer.health');
    expect((await call(city, 'GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(200);
    expect(problem(await call(district, 'GET', `/api/v1/cases/${caseId}`))).toMatchObject({
      status: 404,
      code: 'cases.not_found',
    });
    expect(problem(await call(district, 'POST', `/api/v1/cases/${caseId}/actions`, { action: 'accept' })).status).toBe(
      404,
    );
    expect((await call(district, 'GET', '/api/v1/cases')).json()).toEqual([]);
    expect((await call(await session('township.qinhuai'), 'GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);

    // The same case handled in 秦淮区 is within both the district's and the city's jurisdiction (and below the city's).
    await t.db.query(`UPDATE cases SET region_code = '320104' WHERE id = $1`, [caseId]);
    expect((await call(district, 'GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(200);
    expect(((await call(district, 'GET', '/api/v1/cases')).json() as Array<{ id: string }>).map((c) => c.id)).toContain(
      caseId,
    );
    expect((await call(city, 'GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(200);
    // Another district of the city is outside.
    await t.db.query(`UPDATE cases SET region_code = '320102' WHERE id = $1`, [caseId]);
    expect((await call(district, 'GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
    await t.db.query(`UPDATE cases SET region_code = '320100' WHERE id = $1`, [caseId]);
  });

  it('lets auditors and hotline agents read cases within their jurisdiction, never act on them', async () => {
    for (const user of ['auditor.nanjing', 'hotline.nanjing']) {
      const s = await session(user);
      const view = (await call(s, 'GET', `/api/v1/cases/${caseId}`)).json() as { actions: string[] };
      expect(view.actions, user).toEqual([]);
      expect(problem(await call(s, 'POST', `/api/v1/cases/${caseId}/actions`, { action: 'accept' })).status, user).toBe(
        403,
      );
    }
    const head = (await call(await session('head.health'), 'GET', `/api/v1/cases/${caseId}`)).json() as {
      actions: string[];
    };
    expect(head.actions).toContain('accept');
  });

  it('gives a city administrator the staff of that city only', async () => {
    const wuxi = await session('admin.wuxi');
    const listed = (await call(wuxi, 'GET', '/api/v1/admin/accounts')).json() as Array<{
      username: string;
      jurisdiction: string;
    }>;
    expect(listed.map((a) => a.username)).toEqual(['admin.wuxi']);
    const provincial = (await call(admin, 'GET', '/api/v1/admin/accounts?limit=200')).json() as Array<{
      username: string;
    }>;
    expect(provincial.map((a) => a.username)).toEqual(
      expect.arrayContaining(['admin.wuxi', 'reviewer.health', 'township.qinhuai']),
    );

    const nanjingReviewer = await idOf('reviewer.health');
    expect(problem(await call(wuxi, 'GET', `/api/v1/admin/accounts/${nanjingReviewer}`)).code).toBe(
      'identity.account_not_found',
    );
    expect(
      problem(await call(wuxi, 'PATCH', `/api/v1/admin/accounts/${nanjingReviewer}`, { disabled: true })).code,
    ).toBe('identity.account_not_found');
    const outside = problem(
      await call(wuxi, 'POST', '/api/v1/admin/accounts', {
        username: 'intruder',
        displayName: 'x',
        password: 'a-long-passphrase',
        phone: '13951009098',
        departmentCode: null,
        jurisdiction: '320100',
        roles: ['auditor'],
      }),
    );
    expect(outside).toMatchObject({ status: 403, code: 'identity.outside_jurisdiction' });
    expect(outside.errors?.[0]?.pointer).toBe('/jurisdiction');
    const dept = problem(
      await call(wuxi, 'POST', '/api/v1/admin/accounts', {
        username: 'intruder',
        displayName: 'x',
        password: 'a-long-passphrase',
        phone: '13951009098',
        departmentCode: 'nj-health',
        jurisdiction: '320211',
        roles: ['reviewer'],
      }),
    );
    expect(dept.errors?.[0]?.pointer).toBe('/departmentCode');
    const ok = await call(wuxi, 'POST', '/api/v1/admin/accounts', {
      username: 'auditor.binhu',
      displayName: '滨湖区审计员',
      password: 'a-long-passphrase',
      phone: '13951009097',
      departmentCode: null,
      jurisdiction: '320211',
      roles: ['auditor'],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(
      problem(
        await call(wuxi, 'POST', '/api/v1/admin/accounts', {
          username: 'x.y',
          displayName: 'x',
          password: 'a-long-passphrase',
          phone: '13951009096',
          departmentCode: null,
          jurisdiction: '320211',
          roles: ['applicant'],
        }),
      ).errors?.[0]?.pointer,
    ).toBe('/roles/0');
    // The province's catalogue and calendar are not a city administrator's.
    expect((await call(wuxi, 'GET', '/api/v1/admin/catalogue/export')).statusCode).toBe(403);
    expect((await call(admin, 'GET', '/api/v1/admin/catalogue/export')).statusCode).toBe(200);
  });

  it('ends the sessions of a staff account whose roles change', async () => {
    const s = await session('reviewer.health.qinhuai', 'a-long-passphrase');
    const id = await idOf('reviewer.health.qinhuai');
    const changed = await call(admin, 'PATCH', `/api/v1/admin/accounts/${id}`, { roles: ['department_head'] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await call(s, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });
});

describe('roles and permissions as data', () => {
  it('agrees with the permission scopes and roles the code knows, and answers the table to auditors', async () => {
    const { PERMISSIONS, ROLES } = await import('../src/platform/auth.ts');
    const perms = await t.db.query<{ code: string; scope: string }>(
      'SELECT code, scope FROM permissions ORDER BY code',
    );
    expect(perms.rows).toEqual(
      Object.entries(PERMISSIONS)
        .map(([code, p]) => ({ code, scope: p.scope }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    );
    const roles = await t.db.query<{ code: string }>('SELECT code FROM roles ORDER BY code');
    expect(roles.rows.map((r) => r.code)).toEqual([...ROLES].sort());
    const table = (await call(await session('auditor.nanjing'), 'GET', '/api/v1/admin/roles')).json() as Array<{
      role: string;
      permissions: Array<{ code: string }>;
    }>;
    expect(table.find((r) => r.role === 'window_staff')?.permissions.map((p) => p.code)).toEqual([
      'identity.proof',
      'proxies.record_consent',
    ]);
  });

  it('defines "within" the same way in SQL as in code', async () => {
    const { isWithinJurisdiction } = await import('../src/platform/auth.ts');
    const codes = [
      '320000',
      '320100',
      '320104',
      '320104001',
      '320104001001',
      '320104001000',
      '320100000000',
      '320200',
      '320211',
      '110000',
      '32010',
      'abc',
    ];
    for (const region of codes) {
      for (const jurisdiction of codes) {
        const { rows } = await t.db.query<{ within: boolean | null }>('SELECT division_within($1, $2) AS within', [
          region,
          jurisdiction,
        ]);
        expect(rows[0]!.within ?? false, `${region} within ${jurisdiction}`).toBe(
          isWithinJurisdiction(region, jurisdiction),
        );
      }
    }
  });

  it('says "within" of a six-digit region column as a range (regionWithinSql) exactly as division_within does', async () => {
    const { regionWithinSql } = await import('../src/platform/db.ts');
    const regions = [
      '320000',
      '320100',
      '320104',
      '320199',
      '320200',
      '320211',
      '329999',
      '310000',
      '110000',
      '320001',
    ];
    const jurisdictions = [
      '320000',
      '320100',
      '320104',
      '320104001',
      '320104001000',
      '320100000000',
      '320200',
      '320211',
      '110000',
      '32010',
      'abc',
      '   ',
    ];
    const { rows } = await t.db.query<{
      region: string;
      jurisdiction: string;
      expected: boolean | null;
      got: boolean | null;
    }>(
      `SELECT r AS region, j AS jurisdiction, division_within(r, j) AS expected, ${regionWithinSql('r', 'j')} AS got
         FROM unnest($1::char(6)[]) r, unnest($2::text[]) j`,
      [regions, jurisdictions],
    );
    expect(rows).toHaveLength(regions.length * jurisdictions.length);
    expect(rows.filter((r) => r.got === true).length).toBeGreaterThan(10);
    for (const r of rows) expect(r.got ?? false, `${r.region} within ${r.jurisdiction}`).toBe(r.expected ?? false);
  });
});
