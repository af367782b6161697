// SSO for department systems: a standard certified OIDC client library (openid-client) completes the authorisation
// code flow with PKCE against the provider over real HTTP, with a browser played by fetch (cookies kept, redirects
// followed by hand, the login form submitted). Then everything that must be refused is.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import type { Client, RegisteredClient } from '@onething/shared/sso';
import type { Problem } from '@onething/shared/problem';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { checkStoredKeys } from '../src/modules/sso/index.ts';
import { sealSsoKeys } from '../src/ops/sso-keys.ts';
import { openPglite, type Database } from '../src/platform/db.ts';
import { migrate, readMigrations } from '../src/platform/migrate.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { bearer, createTestDb, loginWithCode, testConfig, testPii, type TestDb } from './helpers.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A browser, as far as the flow needs one: a cookie jar (by name, respecting paths) and manual redirects. */
class Browser {
  private readonly jar = new Map<string, { value: string; path: string }>();

  /** Languages the browser asks for on every request, as a real one does. */
  constructor(private readonly acceptLanguage = 'zh-CN,zh;q=0.9') {}

  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const cookie = [...this.jar]
      .filter(
        ([, c]) =>
          target.pathname === c.path || target.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    const headers = new Headers(init.headers);
    headers.set('accept-language', this.acceptLanguage);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired =
        attrs.some((a) => /^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()) ||
        attrs.some((a) => /^max-age=0$/i.test(a));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, { value, path });
    }
    return res;
  }

  /** Follows redirects until a page answers or the provider sends the browser to the client (`stopAt`). */
  async follow(url: string | URL, stopAt: string, init: RequestInit = {}): Promise<{ res: Response; url: URL }> {
    let current = new URL(url);
    let res = await this.request(current, init);
    for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
      if (hops > 10) throw new Error('too many redirects');
      current = new URL(res.headers.get('location')!, current);
      if (current.href.startsWith(stopAt)) return { res, url: current };
      res = await this.request(current);
    }
    return { res, url: current };
  }
}

const CALLBACK = 'http://127.0.0.1:9/callback';

/** The OAuth error code of a refusal, whether in the response body or in a WWW-Authenticate challenge. */
async function oauthError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof oidc.ResponseBodyError) return err.error;
    if (err instanceof oidc.WWWAuthenticateChallengeError) return String(err.cause[0]?.parameters.error);
    throw err;
  }
  throw new Error('expected a refusal');
}

let t: TestDb;
let app: FastifyInstance;
let base: string;
let issuer: string;
const tokens = new Map<string, string>();

async function token(username: string): Promise<string> {
  const cached = tokens.get(username);
  if (cached) return cached;
  const value = await loginWithCode(app, t.db, username);
  tokens.set(username, value);
  return value;
}

/** The newest one-time code the outbox holds for an account (what the SMS relay would send). */
async function latestCode(username: string): Promise<string> {
  const { rows } = await t.db.query<{ code: string }>(
    `SELECT n.payload->>'code' AS code FROM notifications n JOIN accounts a ON a.id = n.recipient_id
      WHERE a.username = $1 AND n.kind = 'auth.otp' ORDER BY n.created_at DESC LIMIT 1`,
    [username],
  );
  if (!rows[0]) throw new Error(`no one-time code for ${username}`);
  return rows[0].code;
}

function formAction(page: string, step: string): string {
  const m = new RegExp(`<form method="post" action="([^"]+/${step}[^"]*)"`).exec(page);
  if (!m) throw new Error(`no ${step} form in: ${page.slice(0, 500)}`);
  return m[1]!.replace(/&amp;/g, '&');
}

/** Registers a client as the province's administrator (by default for the province's data bureau). */
async function register(body: Record<string, unknown>) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/admin/sso/clients',
    headers: bearer(await token('admin')),
    payload: { departmentCode: 'js-data-bureau', ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as RegisteredClient;
}

interface Flow {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

async function authorisationRequest(config: oidc.Configuration, scope = 'openid profile onething'): Promise<Flow> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, verifier, state, nonce };
}

/**
 * Runs the browser through the login page (and the one-time code page, which staff always get); returns the URL
 * the provider redirects back to the client with.
 */
async function signIn(browser: Browser, flow: Flow, username: string, password = DEMO_PASSWORD): Promise<URL> {
  const first = await browser.follow(flow.url, CALLBACK);
  if (first.url.href.startsWith(CALLBACK)) return first.url;
  expect(first.res.status).toBe(200);
  const page = await first.res.text();
  expect(page).toMatch(/<label for="username">用户名<\/label>/);
  expect(page).toMatch(/<label for="password">密码<\/label>/);
  const posted = await browser.follow(new URL(formAction(page, 'login'), base), CALLBACK, {
    method: 'POST',
    headers: { origin: base },
    body: new URLSearchParams({ username, password }),
  });
  if (posted.url.href.startsWith(CALLBACK)) return posted.url;
  const otpPage = await posted.res.text();
  expect(otpPage, otpPage.slice(0, 300)).toMatch(/<label for="code">6 位验证码<\/label>/);
  expect(otpPage).toContain('autocomplete="one-time-code"');
  const verified = await browser.follow(new URL(formAction(otpPage, 'otp'), base), CALLBACK, {
    method: 'POST',
    headers: { origin: base },
    body: new URLSearchParams({ code: await latestCode(username) }),
  });
  return verified.url;
}

async function discover(clientId: string, secret?: string): Promise<oidc.Configuration> {
  const config = await oidc.discovery(
    new URL(issuer),
    clientId,
    secret,
    secret ? oidc.ClientSecretBasic(secret) : oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
  // Verify the ID token's signature against the provider's JWKS too (a TLS token response would allow skipping it).
  oidc.enableNonRepudiationChecks(config);
  return config;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  issuer = `${base}/oidc`;
  t = await createTestDb();
  app = await buildApp({ config: testConfig({ PUBLIC_URL: base }), db: t.db, logger: false });
  await app.listen({ port, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('discovery', () => {
  it('publishes the provider metadata under the issuer and at the root, with S256 PKCE and asymmetric keys only', async () => {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      userinfo_endpoint: `${issuer}/me`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'onething']));
    expect(doc.claims_supported).toEqual(expect.arrayContaining(['real_name_level', 'acr', 'department_code']));
    expect(doc.id_token_signing_alg_values_supported).toEqual(['RS256', 'ES256']);
    const root = await fetch(`${base}/.well-known/openid-configuration`);
    expect(await root.json()).toEqual(doc);

    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    // Public halves only.
    for (const k of jwks.keys) expect(k).not.toHaveProperty('d');
  });
});

describe('client registration', () => {
  it('is for administrators only', async () => {
    const body = { name: 'x', redirectUris: [CALLBACK] };
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/admin/sso/clients', payload: body });
    expect(anonymous.statusCode).toBe(401);
    for (const user of ['reviewer.health', 'zhangsan', 'window.nanjing']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/admin/sso/clients',
        headers: bearer(await token(user)),
        payload: body,
      });
      expect(res.statusCode, user).toBe(403);
      expect(
        (await app.inject({ url: '/api/v1/admin/sso/clients', headers: bearer(await token(user)) })).statusCode,
        user,
      ).toBe(403);
    }
  });

  it('refuses redirect URIs that are not https (or loopback http), and unknown departments', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/sso/clients',
      headers: { ...bearer(await token('admin')), 'accept-language': 'en' },
      payload: {
        name: 'bad',
        departmentCode: 'js-data-bureau',
        redirectUris: ['http://evil.example/cb', 'https://ok.example/cb#frag', 'not a url', 'https://ok.example/cb'],
        scopes: ['profile'],
      },
    });
    expect(res.statusCode).toBe(422);
    const p = res.json() as { code: string; errors: Array<{ pointer: string; code: string }> };
    expect(p.code).toBe('sso.invalid_client');
    expect(p.errors.map((e) => `${e.pointer} ${e.code}`)).toEqual([
      '/redirectUris/0 sso.redirect_uri_insecure',
      '/redirectUris/1 sso.redirect_uri_fragment',
      '/redirectUris/2 sso.redirect_uri_not_absolute',
      '/scopes sso.openid_required',
    ]);
    const dept = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/sso/clients',
      headers: bearer(await token('admin')),
      payload: { name: 'x', departmentCode: 'nowhere', redirectUris: [CALLBACK] },
    });
    expect(dept.statusCode).toBe(422);
    expect((dept.json() as { code: string }).code).toBe('sso.department_not_found');
  });

  it('shows a confidential client’s secret once and keeps only its hash; lists and deletes clients', async () => {
    const c = await register({ name: '临时系统', redirectUris: ['https://temp.example.gov.cn/cb'] });
    expect(c.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { rows } = await t.db.query<{ secret_sha256: string }>(
      'SELECT secret_sha256 FROM sso_clients WHERE client_id = $1',
      [c.clientId],
    );
    expect(rows[0]!.secret_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.secret_sha256).not.toContain(c.clientSecret);
    const list = await app.inject({ url: '/api/v1/admin/sso/clients', headers: bearer(await token('admin')) });
    expect(list.body).not.toContain(c.clientSecret!);
    expect((list.json() as Client[]).map((x) => x.clientId)).toContain(c.clientId);
    const audit = await t.db.query<{ data: Record<string, unknown> }>(
      `SELECT data FROM audit_events WHERE action = 'sso.client_registered' AND subject_id = $1`,
      [c.clientId],
    );
    expect(JSON.stringify(audit.rows)).not.toContain(c.clientSecret!);

    const del = await app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/sso/clients/${c.clientId}`,
      headers: bearer(await token('admin')),
    });
    expect(del.statusCode).toBe(204);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/sso/clients/${c.clientId}`,
      headers: bearer(await token('admin')),
    });
    expect(again.statusCode).toBe(404);
  });
});

describe('clients belong to a jurisdiction', () => {
  // The seed has no Wuxi department; the city's administrator (admin.wuxi, 320200) needs one to register for.
  const WUXI_DEPT = 'wx-data-bureau';
  let nanjing: RegisteredClient;
  let wuxiFirstParty: RegisteredClient;

  const as = async (username: string, lang = 'en') => ({ ...bearer(await token(username)), 'accept-language': lang });
  const clientCount = async () =>
    (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sso_clients')).rows[0]!.n;

  beforeAll(async () => {
    await t.db.query(
      `INSERT INTO departments (code, name_zh, name_en, region_code, sector) VALUES ($1, '无锡市数据局', 'Wuxi Data Bureau', '320200', 'data') ON CONFLICT DO NOTHING`,
      [WUXI_DEPT],
    );
    nanjing = await register({ name: '南京市卫健委系统', departmentCode: 'nj-health', redirectUris: [CALLBACK] });
    wuxiFirstParty = await register({
      name: '无锡市政务系统',
      departmentCode: WUXI_DEPT,
      redirectUris: [CALLBACK],
      firstParty: true,
    });
  });

  it('take their department’s region unless given one within it', async () => {
    expect(nanjing.jurisdiction).toBe('320100');
    expect(wuxiFirstParty.jurisdiction).toBe('320200');
    const province = await register({ name: '省级系统', jurisdiction: '320000', redirectUris: [CALLBACK] });
    expect(province.jurisdiction).toBe('320000');
    const outside = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/sso/clients',
      headers: await as('admin'),
      payload: { name: 'x', departmentCode: 'nj-health', jurisdiction: '320200', redirectUris: [CALLBACK] },
    });
    expect(outside.statusCode).toBe(422);
    expect((outside.json() as Problem).errors?.map((e) => `${e.pointer} ${e.code}`)).toEqual([
      '/jurisdiction sso.jurisdiction_outside_department',
    ]);
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/sso/clients',
      headers: await as('admin'),
      payload: { name: 'x', departmentCode: 'nj-health', jurisdiction: '3201', redirectUris: [CALLBACK] },
    });
    expect((malformed.json() as Problem).errors?.map((e) => `${e.pointer} ${e.code}`)).toEqual([
      '/jurisdiction sso.jurisdiction_invalid',
    ]);
  });

  it('are listed to a city administrator only within the city, and never first-party ones', async () => {
    const mine = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/sso/clients',
      headers: await as('admin.wuxi'),
      payload: { name: '无锡市区县系统', departmentCode: WUXI_DEPT, jurisdiction: '320211', redirectUris: [CALLBACK] },
    });
    expect(mine.statusCode, mine.body).toBe(201);
    const list = await app.inject({ url: '/api/v1/admin/sso/clients', headers: await as('admin.wuxi') });
    expect(list.statusCode).toBe(200);
    const seen = (list.json() as Client[]).map((c) => c.clientId);
    expect(seen).toContain((mine.json() as Client).clientId);
    expect(seen).not.toContain(nanjing.clientId);
    expect(seen).not.toContain(wuxiFirstParty.clientId);
    for (const c of list.json() as Client[]) {
      expect(c.jurisdiction.startsWith('3202')).toBe(true);
      expect(c.firstParty).toBe(false);
    }
    // The province's administrator sees them all.
    const all = await app.inject({ url: '/api/v1/admin/sso/clients', headers: await as('admin') });
    expect((all.json() as Client[]).map((c) => c.clientId)).toEqual(
      expect.arrayContaining([nanjing.clientId, wuxiFirstParty.clientId, (mine.json() as Client).clientId]),
    );
  });

  it('of another jurisdiction, or first-party, are a 404 to a city administrator, and stay', async () => {
    for (const c of [nanjing, wuxiFirstParty]) {
      const url = `/api/v1/admin/sso/clients/${c.clientId}`;
      const headers = await as('admin.wuxi');
      const read = await app.inject({ url, headers });
      expect(read.statusCode).toBe(404);
      expect((read.json() as Problem).code).toBe('sso.client_not_found');
      const change = await app.inject({
        method: 'PATCH',
        url,
        headers,
        payload: { redirectUris: ['https://attacker.example/cb'] },
      });
      expect(change.statusCode).toBe(404);
      expect((await app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(404);
      const kept = await app.inject({ url, headers: await as('admin') });
      expect(kept.statusCode).toBe(200);
      expect((kept.json() as Client).redirectUris).toEqual([CALLBACK]);
    }
  });

  it('cannot be registered by a city administrator outside the city, nor first-party; nothing is written', async () => {
    const before = await clientCount();
    const attempt = async (payload: Record<string, unknown>, lang = 'en') =>
      app.inject({
        method: 'POST',
        url: '/api/v1/admin/sso/clients',
        headers: await as('admin.wuxi', lang),
        payload: { name: 'x', redirectUris: ['https://attacker.example/cb'], ...payload },
      });
    const nanjingDept = await attempt({ departmentCode: 'nj-health' });
    expect(nanjingDept.statusCode).toBe(403);
    expect((nanjingDept.json() as Problem).errors?.map((e) => `${e.pointer} ${e.code}`)).toEqual([
      '/departmentCode sso.outside_jurisdiction',
    ]);
    const province = await attempt({ departmentCode: 'js-data-bureau', jurisdiction: '320200' });
    expect(province.statusCode).toBe(403);
    const outsideCity = await attempt({ departmentCode: WUXI_DEPT, jurisdiction: '320100' });
    expect(outsideCity.statusCode).toBe(422);

    const consentLess = await attempt({ departmentCode: WUXI_DEPT, firstParty: true });
    expect(consentLess.statusCode).toBe(403);
    expect(consentLess.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = consentLess.json() as Problem;
    expect(p.code).toBe('sso.first_party_province_only');
    expect(p.title).toBe('Only province-level administrators register and manage clients that skip the consent screen');
    expect(p.errors).toEqual([
      expect.objectContaining({
        pointer: '/firstParty',
        code: 'sso.first_party_province_only',
        detail: 'only a province-level administrator may register a client without a consent screen',
      }),
    ]);
    const zh = (await attempt({ departmentCode: WUXI_DEPT, firstParty: true }, 'zh-CN')).json() as Problem;
    expect(zh.title).toBe('免授权确认的政务系统只能由省级管理员登记和管理');
    expect(zh.errors?.[0]?.detail).toBe('只有省级管理员可以登记免授权确认的系统');
    expect(await clientCount()).toBe(before);
  });

  it('a city administrator’s own client cannot become first-party, nor leave the city', async () => {
    const mine = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/sso/clients',
      headers: await as('admin.wuxi'),
      payload: { name: '无锡市办事系统', departmentCode: WUXI_DEPT, redirectUris: [CALLBACK] },
    });
    const url = `/api/v1/admin/sso/clients/${(mine.json() as Client).clientId}`;
    const headers = await as('admin.wuxi');
    const promote = await app.inject({ method: 'PATCH', url, headers, payload: { firstParty: true } });
    expect(promote.statusCode).toBe(403);
    expect((promote.json() as Problem).errors?.map((e) => e.pointer)).toEqual(['/firstParty']);
    const move = await app.inject({
      method: 'PATCH',
      url,
      headers,
      payload: { departmentCode: 'nj-health', jurisdiction: '320100' },
    });
    expect(move.statusCode).toBe(403);
    const rename = await app.inject({ method: 'PATCH', url, headers, payload: { name: '无锡市一网通办' } });
    expect(rename.statusCode).toBe(200);
    expect(rename.json()).toMatchObject({ name: '无锡市一网通办', jurisdiction: '320200', firstParty: false });
    expect((await app.inject({ url, headers })).json()).toMatchObject({ name: '无锡市一网通办' });
    expect((await app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(204);
    expect((await app.inject({ url, headers })).statusCode).toBe(404);
  });

  it('a client a city administrator registers asks a Nanjing reviewer for consent: no ID token silently', async () => {
    const mine = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/sso/clients',
      headers: await as('admin.wuxi'),
      payload: { name: 'Wuxi app', departmentCode: WUXI_DEPT, redirectUris: [CALLBACK], scopes: ['openid'] },
    });
    const c = mine.json() as RegisteredClient;
    const config = await discover(c.clientId, c.clientSecret);
    const browser = new Browser('en');
    const flow = await authorisationRequest(config, 'openid');
    const login = await (await browser.follow(flow.url, CALLBACK)).res.text();
    const posted = await browser.follow(new URL(formAction(login, 'login'), base), CALLBACK, {
      method: 'POST',
      headers: { origin: base },
      body: new URLSearchParams({ username: 'reviewer.health', password: DEMO_PASSWORD }),
    });
    const otp = await posted.res.text();
    const verified = await browser.follow(new URL(formAction(otp, 'otp'), base), CALLBACK, {
      method: 'POST',
      headers: { origin: base },
      body: new URLSearchParams({ code: await latestCode('reviewer.health') }),
    });
    expect(verified.url.href.startsWith(CALLBACK)).toBe(false);
    expect(await verified.res.text()).toContain('“Wuxi app” asks for the following information about you');
  });
});

describe('a client that stops being first-party', () => {
  it('loses what it was granted without consent, and asks next time', async () => {
    const c = await register({ name: '将降级的系统', redirectUris: [CALLBACK], firstParty: true, scopes: ['openid'] });
    const config = await discover(c.clientId, c.clientSecret);
    const browser = new Browser();
    const flow = await authorisationRequest(config, 'openid');
    const callback = await signIn(browser, flow, 'zhangsan');
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
    const sub = tokens.claims()!.sub;
    expect((await oidc.fetchUserInfo(config, tokens.access_token, sub)).sub).toBe(sub);
    const demoted = await app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/sso/clients/${c.clientId}`,
      headers: bearer(await token('admin')),
      payload: { firstParty: false },
    });
    expect(demoted.statusCode).toBe(200);
    expect(await oauthError(oidc.fetchUserInfo(config, tokens.access_token, sub))).toBe('invalid_token');
    const again = await browser.follow((await authorisationRequest(config, 'openid')).url, CALLBACK);
    expect(again.url.href.startsWith(CALLBACK)).toBe(false);
    expect(await again.res.text()).toContain('将降级的系统');
  });
});

describe('migration 0012', () => {
  it('gives clients registered before it their province, so that only its administrators manage them', async () => {
    const db = await openPglite();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sso-mig-'));
    try {
      for (const m of readMigrations().filter((x) => x.id < 12))
        fs.writeFileSync(path.join(dir, `${String(m.id).padStart(4, '0')}_${m.name}.sql`), m.sql);
      await migrate(db, testPii(), dir);
      await db.exec(`
        INSERT INTO departments (code, name_zh, name_en, region_code, sector) VALUES
          ('nj-a', 'a', 'a', '320100', 'x'), ('nj-b', 'b', 'b', '320104', 'x'), ('hz-a', 'c', 'c', '330100', 'x');
        INSERT INTO accounts (id, kind, username, display_name, password_hash, jurisdiction)
          VALUES ('00000000-0000-4000-8000-000000000033', 'staff', 'zj.admin', 'zj', 'x', '330100');
        INSERT INTO sso_clients (client_id, name, department_code, redirect_uris, auth_method, scopes, first_party, created_by) VALUES
          ('by-dept', 'a', 'nj-b', '{https://a.example/cb}', 'none', '{openid}', true, '00000000-0000-4000-8000-000000000033'),
          ('by-registrar', 'b', NULL, '{https://b.example/cb}', 'none', '{openid}', false, '00000000-0000-4000-8000-000000000033'),
          ('by-departments', 'c', NULL, '{https://c.example/cb}', 'none', '{openid}', false, NULL);`);
      await migrate(db, testPii());
      const { rows } = await db.query<{ client_id: string; jurisdiction: string }>(
        'SELECT client_id, jurisdiction FROM sso_clients ORDER BY client_id',
      );
      expect(rows).toEqual([
        { client_id: 'by-departments', jurisdiction: '320000' },
        { client_id: 'by-dept', jurisdiction: '320000' },
        { client_id: 'by-registrar', jurisdiction: '330000' },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await db.close();
    }
  });
});

describe('authorisation code flow with PKCE, through openid-client', () => {
  let client: { clientId: string; clientSecret?: string };
  let config: oidc.Configuration;
  const browser = new Browser();

  beforeAll(async () => {
    // A first-party department system (server-side, confidential): no consent screen.
    client = await register({
      name: '南京市卫健委出生医学证明系统',
      departmentCode: 'nj-health',
      redirectUris: [CALLBACK],
      authMethod: 'client_secret_basic',
      scopes: ['openid', 'profile', 'onething'],
      firstParty: true,
    });
    config = await discover(client.clientId, client.clientSecret);
  });

  it('signs a reviewer in and gives a verified ID token with the real-name level, and userinfo', async () => {
    const liveSessions = async () =>
      (
        await t.db.query(
          `SELECT s.token_hash FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.username = 'reviewer.health' AND s.revoked_at IS NULL`,
        )
      ).rows.length;
    const sessionsBefore = await liveSessions();
    const flow = await authorisationRequest(config);
    const callback = await signIn(browser, flow, 'reviewer.health');
    expect(callback.searchParams.get('state')).toBe(flow.state);
    expect(callback.searchParams.get('code')).toBeTruthy();

    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: issuer,
      aud: client.clientId,
      nonce: flow.nonce,
      acr: 'urn:onething:acr:password+otp',
      amr: ['pwd', 'otp'],
      real_name_level: 3,
      name: '南京市卫健委审核员',
      preferred_username: 'reviewer.health',
      account_kind: 'staff',
      roles: ['reviewer'],
      department_code: 'nj-health',
      jurisdiction: '320100',
    });
    const { rows } = await t.db.query<{ id: string }>(`SELECT id FROM accounts WHERE username = 'reviewer.health'`);
    expect(claims.sub).toBe(rows[0]!.id);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({
      sub: claims.sub,
      real_name_level: 3,
      name: '南京市卫健委审核员',
      department_code: 'nj-health',
    });

    // The login is in the audit log, naming the client; no platform session outlives it.
    const audit = await t.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'sso.login' AND actor_id = $1 AND data->>'clientId' = $2 AND data->>'acr' = 'urn:onething:acr:password+otp'`,
      [claims.sub, client.clientId],
    );
    expect(audit.rows.length).toBe(1);
    expect(await liveSessions()).toBe(sessionsBefore);

    // A second use of the same code is refused, and costs the grant: the first access token stops working.
    expect(
      await oauthError(
        oidc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
        }),
      ),
    ).toBe('invalid_grant');
    expect(await oauthError(oidc.fetchUserInfo(config, tokens.access_token, claims.sub))).toBe('invalid_token');
  });

  it('asks staff for the one-time code, and counts a wrong one', async () => {
    const other = new Browser();
    const flow = await authorisationRequest(config, 'openid');
    const login = await (await other.follow(flow.url, CALLBACK)).res.text();
    const posted = await other.follow(new URL(formAction(login, 'login'), base), CALLBACK, {
      method: 'POST',
      headers: { origin: base },
      body: new URLSearchParams({ username: 'head.health', password: DEMO_PASSWORD }),
    });
    const otp = await posted.res.text();
    expect(otp).toContain('139****9021');
    const code = await latestCode('head.health');
    const wrong = await other.request(new URL(formAction(otp, 'otp'), base), {
      method: 'POST',
      headers: { origin: base },
      body: new URLSearchParams({ code: code === '000000' ? '111111' : '000000' }),
    });
    expect(wrong.status).toBe(401);
    const again = await wrong.text();
    expect(again).toContain('role="alert"');
    expect(again).toContain('验证码不正确，还可尝试 4 次');
    const done = await other.follow(new URL(formAction(again, 'otp'), base), CALLBACK, {
      method: 'POST',
      headers: { origin: base },
      body: new URLSearchParams({ code }),
    });
    expect(done.url.searchParams.get('code')).toBeTruthy();
    const tokens = await oidc.authorizationCodeGrant(config, done.url, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
    expect(tokens.claims()).toMatchObject({ acr: 'urn:onething:acr:password+otp', real_name_level: 3 });
  });

  it('says real-name level 1 for an account that only claims an ID number, 2 once the phone on record proved it', async () => {
    const idToken = async (username: string) => {
      const flow = await authorisationRequest(config, 'openid profile');
      const callback = await signIn(new Browser(), flow, username, 'a-long-passphrase');
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      return tokens.claims()!;
    };
    const registerPerson = async (username: string, realName: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/accounts/persons',
        // 孙丽 is in the seed's population register with a phone of her own; she has no account.
        payload: {
          username,
          password: 'a-long-passphrase',
          realName,
          idNumber: '320106199207081522',
          phone: '13700000001',
        },
        remoteAddress: `10.99.0.${username.length}`,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { proofing: { challengeId: string } };
    };
    // Someone else's number under another name: an account, and nothing more.
    await registerPerson('sunli.fake', '孙莉');
    expect(await idToken('sunli.fake')).toMatchObject({ real_name_level: 1, name: '孙莉' });
    // Her own registration, proved by the code sent to the phone on record.
    const own = await registerPerson('sunli', '孙丽');
    const { rows } = await t.db.query<{ code: string }>(
      `SELECT payload->>'code' AS code FROM notifications WHERE kind = 'identity.proofing_code' AND payload->>'challengeId' = $1`,
      [own.proofing.challengeId],
    );
    expect(await idToken('sunli')).toMatchObject({ real_name_level: 1 });
    const verified = await app.inject({
      method: 'POST',
      url: '/api/v1/accounts/persons/proofing/verify',
      payload: { challengeId: own.proofing.challengeId, code: rows[0]!.code },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(await idToken('sunli')).toMatchObject({ real_name_level: 2, name: '孙丽' });
    expect(await idToken('sunli.fake')).toMatchObject({ real_name_level: 1 });
  });

  it('refuses a wrong code_verifier', async () => {
    // The browser is still signed in at the provider: straight back with a code, no login page.
    const flow = await authorisationRequest(config);
    const callback = await signIn(browser, flow, 'reviewer.health');
    expect(callback.searchParams.get('code')).toBeTruthy();
    const wrongVerifier = oidc.randomPKCECodeVerifier();
    expect(
      await oauthError(
        oidc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: wrongVerifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
        }),
      ),
    ).toBe('invalid_grant');
  });

  it('refuses an authorisation request without PKCE, or with plain PKCE', async () => {
    const noPkce = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state: 's1' });
    const first = await browser.follow(noPkce, CALLBACK);
    expect(first.url.searchParams.get('error')).toBe('invalid_request');
    expect(first.url.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(first.url.searchParams.get('code')).toBeNull();

    const plain = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      state: 's2',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'plain',
    });
    const second = await browser.follow(plain, CALLBACK);
    expect(second.url.searchParams.get('error')).toBe('invalid_request');
    expect(second.url.searchParams.get('code')).toBeNull();
  });

  it('refuses an unregistered redirect_uri without redirecting anywhere', async () => {
    const flow = await authorisationRequest(config);
    flow.url.searchParams.set('redirect_uri', 'https://attacker.example/steal');
    const res = await browser.request(flow.url);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const page = await res.text();
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain('invalid_redirect_uri');
  });

  it('refuses a scope the client is not registered for', async () => {
    const narrow = await register({
      name: '窄范围系统',
      redirectUris: [CALLBACK],
      scopes: ['openid'],
      firstParty: true,
    });
    const narrowConfig = await discover(narrow.clientId, narrow.clientSecret);
    const flow = await authorisationRequest(narrowConfig, 'openid onething');
    const { url } = await browser.follow(flow.url, CALLBACK);
    expect(url.searchParams.get('error')).toBe('invalid_scope');
  });

  it('refuses a wrong client secret at the token endpoint', async () => {
    const flow = await authorisationRequest(config);
    const callback = await signIn(browser, flow, 'reviewer.health');
    const wrong = await discover(client.clientId, 'not-the-secret-'.padEnd(43, 'x'));
    expect(
      await oauthError(
        oidc.authorizationCodeGrant(wrong, callback, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
        }),
      ),
    ).toBe('invalid_client');
  });
});

describe('a public client that is not first-party', () => {
  it('asks the applicant for consent, then gives real-name level 2 (the ID number proved against the register)', async () => {
    const pub = await register({
      name: 'Mobile app',
      redirectUris: [CALLBACK],
      authMethod: 'none',
      scopes: ['openid', 'profile'],
      firstParty: false,
    });
    expect(pub.clientSecret).toBeUndefined();
    const config = await discover(pub.clientId);
    const browser = new Browser('en');
    const flow = await authorisationRequest(config, 'openid profile');

    // A wrong password first: the page says so, in English when asked, and keeps the username.
    const loginPage = await browser.follow(flow.url, CALLBACK);
    const html = await loginPage.res.text();
    const action = formAction(html, 'login');
    const wrong = await browser.request(new URL(action, base), {
      method: 'POST',
      headers: { origin: base },
      body: new URLSearchParams({ username: 'zhangsan', password: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    const wrongPage = await wrong.text();
    expect(wrongPage).toContain('role="alert"');
    expect(wrongPage).toContain('Wrong username or password');
    expect(wrongPage).toContain('value="zhangsan"');

    // A post naming another origin is refused outright.
    const foreign = await browser.request(new URL(action, base), {
      method: 'POST',
      headers: { origin: 'https://attacker.example' },
      body: new URLSearchParams({ username: 'zhangsan', password: DEMO_PASSWORD }),
    });
    expect(foreign.status).toBe(403);

    const afterLogin = await browser.follow(new URL(action, base), CALLBACK, {
      method: 'POST',
      headers: { origin: base },
      body: new URLSearchParams({ username: 'zhangsan', password: DEMO_PASSWORD }),
    });
    expect(afterLogin.res.status).toBe(200);
    const consent = await afterLogin.res.text();
    expect(consent).toContain('Mobile app');
    const confirm = formAction(consent, 'confirm');
    const done = await browser.follow(new URL(confirm, base), CALLBACK, { method: 'POST', headers: { origin: base } });
    expect(done.url.href.startsWith(CALLBACK)).toBe(true);

    const tokens = await oidc.authorizationCodeGrant(config, done.url, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    // A person whose name matches the population register and who proved the phone on record, signed in with a
    // password only.
    expect(tokens.claims()).toMatchObject({
      real_name_level: 2,
      name: '张三',
      preferred_username: 'zhangsan',
      acr: 'urn:onething:acr:password',
      amr: ['pwd'],
    });
    // Not granted the onething scope: no roles or jurisdiction.
    expect(tokens.claims()).not.toHaveProperty('roles');

    // A disabled account's tokens stop working at once.
    const sub = tokens.claims()!.sub;
    expect((await oidc.fetchUserInfo(config, tokens.access_token, sub)).name).toBe('张三');
    await t.db.query('UPDATE accounts SET disabled = true WHERE id = $1', [sub]);
    try {
      expect(await oauthError(oidc.fetchUserInfo(config, tokens.access_token, sub))).toBe('invalid_token');
    } finally {
      await t.db.query('UPDATE accounts SET disabled = false WHERE id = $1', [sub]);
    }
  });

  it('lets the person cancel: the client gets access_denied', async () => {
    const pub = await register({
      name: 'Cancel test',
      redirectUris: [CALLBACK],
      authMethod: 'none',
      scopes: ['openid'],
    });
    const config = await discover(pub.clientId);
    const browser = new Browser();
    const flow = await authorisationRequest(config, 'openid');
    const page = await (await browser.follow(flow.url, CALLBACK)).res.text();
    const abort = formAction(page, 'abort');
    const back = await browser.follow(new URL(abort, base), CALLBACK, { method: 'POST', headers: { origin: base } });
    expect(back.url.searchParams.get('error')).toBe('access_denied');
    expect(back.url.searchParams.get('state')).toBe(flow.state);
  });
});

describe('a removed client', () => {
  it('can no longer sign anyone in', async () => {
    const c = await register({ name: '将删除的系统', redirectUris: [CALLBACK], firstParty: true });
    const config = await discover(c.clientId, c.clientSecret);
    const browser = new Browser();
    const flow = await authorisationRequest(config, 'openid');
    const callback = await signIn(browser, flow, 'window.nanjing');
    await app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/sso/clients/${c.clientId}`,
      headers: bearer(await token('admin')),
    });
    expect(
      await oauthError(
        oidc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
        }),
      ),
    ).toBe('invalid_client');
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM oidc_payloads WHERE payload->>'clientId' = $1`,
      [c.clientId],
    );
    expect(rows[0]!.n).toBe(0);
  });
});

describe('signing keys', () => {
  it('are generated once, kept in the database and reused by the next instance', async () => {
    const before = await (await fetch(`${issuer}/jwks`)).json();
    const second = await buildApp({ config: testConfig({ PUBLIC_URL: base }), db: t.db, logger: false });
    await second.ready();
    const res = await second.inject(`/oidc/jwks`);
    expect(res.json()).toEqual(before);
    await second.close();
  });

  it('are sealed at rest when SSO_KEY_ENCRYPTION_KEY is set, and then need it', async () => {
    const fresh = await createTestDb();
    try {
      const kek = `${'k'.repeat(16)}a-long-random-test-secret`;
      const sealed = await buildApp({
        config: testConfig({ SSO_KEY_ENCRYPTION_KEY: kek }),
        db: fresh.db,
        logger: false,
      });
      await sealed.ready();
      const jwks = (await sealed.inject('/oidc/jwks')).json() as { keys: unknown[] };
      await sealed.close();
      const { rows } = await fresh.db.query<{ material: Record<string, unknown> }>('SELECT material FROM sso_keys');
      expect(rows.length).toBe(3);
      for (const r of rows) {
        expect(r.material.sealed).toBe('A256GCM');
        expect(JSON.stringify(r.material)).not.toMatch(/"d"|"kty"/);
      }
      const again = await buildApp({
        config: testConfig({ SSO_KEY_ENCRYPTION_KEY: kek }),
        db: fresh.db,
        logger: false,
      });
      await again.ready();
      expect((await again.inject('/oidc/jwks')).json()).toEqual(jwks);
      await again.close();
      await expect(buildApp({ config: testConfig(), db: fresh.db, logger: false })).rejects.toThrow(
        /SSO_KEY_ENCRYPTION_KEY is not set/,
      );
      await expect(
        buildApp({
          config: testConfig({ SSO_KEY_ENCRYPTION_KEY: 'another-secret-of-at-least-32-characters' }),
          db: fresh.db,
          logger: false,
        }),
      ).rejects.toThrow(/cannot be unsealed/);
    } finally {
      await fresh.close();
    }
  });
});

describe('a production server’s keys', () => {
  const KEK = crypto.randomBytes(32).toString('base64');
  const b64 = () => crypto.randomBytes(32).toString('base64');
  const production = { NODE_ENV: 'production', PII_KEYS: `k1:${b64()}`, PII_HASH_KEY: b64(), AUDIT_KEY: `a1:${b64()}` };

  it('need SSO_KEY_ENCRYPTION_KEY: production refuses to start without it', () => {
    expect(() => loadConfig(production)).toThrow(/SSO_KEY_ENCRYPTION_KEY: required in production/);
    expect(loadConfig({ ...production, SSO_KEY_ENCRYPTION_KEY: KEK }).SSO_KEY_ENCRYPTION_KEY).toBe(KEK);
  });

  /** Every private key anything in a dump of sso_keys can be read as: JWKs as stored, or inside base64 strings. */
  function privateKeysIn(dump: unknown): crypto.KeyObject[] {
    const found: crypto.KeyObject[] = [];
    const visit = (v: unknown): void => {
      if (typeof v === 'string') {
        try {
          visit(JSON.parse(Buffer.from(v, 'base64url').toString('utf8')));
        } catch {}
      } else if (v && typeof v === 'object') {
        if ('kty' in v && 'd' in v) {
          try {
            found.push(crypto.createPrivateKey({ key: v as crypto.JsonWebKey, format: 'jwk' }));
          } catch {}
        }
        Object.values(v).forEach(visit);
      }
    };
    visit(dump);
    return found;
  }

  /** An ID token for the Nanjing reviewer, signed with the given key as the provider would sign it. */
  function forge(key: crypto.KeyObject): string {
    const ec = key.asymmetricKeyType === 'ec';
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const kid = crypto
      .createHash('sha256')
      .update(key.export({ format: 'der', type: 'pkcs8' }))
      .digest('base64url');
    const input = `${part({ alg: ec ? 'ES256' : 'RS256', kid, typ: 'JWT' })}.${part({
      iss: issuer,
      sub: 'reviewer.health',
      aud: 'attacker',
      exp: Math.floor(Date.now() / 1000) + 600,
      iat: Math.floor(Date.now() / 1000),
    })}`;
    const sig = crypto.sign('sha256', Buffer.from(input), ec ? { key, dsaEncoding: 'ieee-p1363' } : key);
    return `${input}.${sig.toString('base64url')}`;
  }

  /** Whether any key of the JWKS verifies the token's signature (whatever kid it names). */
  function verifies(token: string, jwks: { keys: crypto.JsonWebKey[] }): boolean {
    const [h, p, sig] = token.split('.');
    const alg = (JSON.parse(Buffer.from(h!, 'base64url').toString()) as { alg: string }).alg;
    return jwks.keys.some((jwk) => {
      if ((alg === 'ES256') !== (jwk.kty === 'EC')) return false;
      const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
      const options = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
      return crypto.verify('sha256', Buffer.from(`${h}.${p}`), options, Buffer.from(sig!, 'base64url'));
    });
  }

  const dumpKeys = async (db: Database) => (await db.query('SELECT * FROM sso_keys ORDER BY id')).rows;
  const liveJwks = async (db: Database, env: Record<string, string> = {}) => {
    const server = await buildApp({ config: testConfig({ PUBLIC_URL: base, ...env }), db, logger: false });
    try {
      await server.ready();
      return (await server.inject('/oidc/jwks')).json() as { keys: Array<crypto.JsonWebKey & { kid: string }> };
    } finally {
      await server.close();
    }
  };

  it('sealed: a database copy holds no private key, so it signs no ID token the live JWKS accepts', async () => {
    const fresh = await createTestDb();
    try {
      const jwks = await liveJwks(fresh.db, { SSO_KEY_ENCRYPTION_KEY: KEK });
      const dump = await dumpKeys(fresh.db);
      expect(dump.length).toBe(3);
      expect(privateKeysIn(dump)).toEqual([]);
      // What is there, read as key material anyway (the sealed bytes as a secret): nothing verifies.
      for (const row of dump) {
        const data = Buffer.from(String((row.material as { data?: string }).data ?? ''), 'base64url');
        expect(() => crypto.createPrivateKey({ key: data, format: 'der', type: 'pkcs8' })).toThrow();
      }
      expect((await checkStoredKeys(fresh.db, { encryptionKey: KEK })).problems).toEqual([]);
      expect(jwks.keys.length).toBe(2);
    } finally {
      await fresh.close();
    }
  });

  it('in clear refuse the start with the key set; `sso seal-keys` replaces them, and a dump from before forges nothing', async () => {
    const fresh = await createTestDb();
    try {
      // A server started without the setting (before it was required): its keys in clear.
      const before = await liveJwks(fresh.db);
      const oldBackup = await dumpKeys(fresh.db);
      const stolen = privateKeysIn(oldBackup);
      expect(stolen.length).toBe(2);
      // The exposure: what the backup holds signs ID tokens the live provider's JWKS accepts.
      for (const key of stolen) expect(verifies(forge(key), before)).toBe(true);

      const check = await checkStoredKeys(fresh.db, { encryptionKey: KEK });
      expect(check.inClear.length).toBe(3);
      expect(check.problems[0]).toMatch(/stored in clear.*onething sso seal-keys/);
      await expect(
        buildApp({ config: testConfig({ SSO_KEY_ENCRYPTION_KEY: KEK }), db: fresh.db, logger: false }),
      ).rejects.toThrow(/stored in clear/);

      const report = await sealSsoKeys(fresh.db, { encryptionKey: KEK });
      expect(report.retired.sort()).toEqual(oldBackup.map((r) => String(r.id)).sort());
      expect(report.added.length).toBe(3);
      const after = await liveJwks(fresh.db, { SSO_KEY_ENCRYPTION_KEY: KEK });
      expect(after.keys.map((k) => k.kid)).not.toEqual(expect.arrayContaining([before.keys[0]!.kid]));
      for (const key of stolen) expect(verifies(forge(key), after)).toBe(false);
      // No copy taken from now on holds a private key either, retired ones included.
      expect(privateKeysIn(await dumpKeys(fresh.db))).toEqual([]);
      // Idempotent.
      expect(await sealSsoKeys(fresh.db, { encryptionKey: KEK })).toEqual({ retired: [], added: [] });
      // Keys sealed under one setting are not resealed under another.
      await expect(
        sealSsoKeys(fresh.db, { encryptionKey: 'another-secret-of-at-least-32-characters' }),
      ).rejects.toThrow(/cannot be unsealed/);
    } finally {
      await fresh.close();
    }
  });
});

describe('cookies', () => {
  it('are Secure whenever PUBLIC_URL is https or in production, and COOKIE_SECURE=false is refused there', () => {
    expect(testConfig().COOKIE_SECURE).toBe(false);
    expect(testConfig({ PUBLIC_URL: 'https://onething.example.gov.cn' }).COOKIE_SECURE).toBe(true);
    const b64 = () => crypto.randomBytes(32).toString('base64');
    const production = {
      NODE_ENV: 'production',
      PII_KEYS: `k1:${b64()}`,
      PII_HASH_KEY: b64(),
      SSO_KEY_ENCRYPTION_KEY: b64(),
      AUDIT_KEY: `a1:${b64()}`,
    };
    expect(loadConfig(production).COOKIE_SECURE).toBe(true);
    expect(() => loadConfig({ ...production, COOKIE_SECURE: 'false' })).toThrow(/COOKIE_SECURE/);
    expect(() => testConfig({ PUBLIC_URL: 'https://onething.example.gov.cn', COOKIE_SECURE: 'false' })).toThrow(
      /COOKIE_SECURE/,
    );
  });

  it('the provider sets are Secure behind https, though the proxy did not say X-Forwarded-Proto', async () => {
    const publicUrl = 'https://sso.example.gov.cn';
    const secure = await buildApp({ config: testConfig({ PUBLIC_URL: publicUrl }), db: t.db, logger: false });
    try {
      await secure.ready();
      const c = await register({ name: 'Secure test', redirectUris: [CALLBACK], firstParty: true, scopes: ['openid'] });
      const jar = new Map<string, string>();
      const setCookies: string[] = [];
      const send = async (url: string, init: { method?: 'GET' | 'POST'; payload?: string } = {}) => {
        const res = await secure.inject({
          method: init.method ?? 'GET',
          url,
          headers: {
            host: 'sso.example.gov.cn',
            cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(init.payload ? { 'content-type': 'application/x-www-form-urlencoded', origin: publicUrl } : {}),
          },
          ...(init.payload ? { payload: init.payload } : {}),
        });
        for (const line of [res.headers['set-cookie'] ?? []].flat()) {
          setCookies.push(line);
          const [pair = ''] = line.split(';');
          const eq = pair.indexOf('=');
          jar.set(pair.slice(0, eq), pair.slice(eq + 1));
        }
        return res;
      };
      const verifier = oidc.randomPKCECodeVerifier();
      const query = new URLSearchParams({
        client_id: c.clientId,
        redirect_uri: CALLBACK,
        response_type: 'code',
        scope: 'openid',
        state: 'secure-state',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      let res = await send(`/oidc/auth?${query}`);
      expect(res.statusCode).toBe(303);
      res = await send(new URL(String(res.headers.location), publicUrl).pathname);
      const action = formAction(res.body, 'login');
      res = await send(new URL(action, publicUrl).pathname + new URL(action, publicUrl).search, {
        method: 'POST',
        payload: new URLSearchParams({ username: 'zhangsan', password: DEMO_PASSWORD }).toString(),
      });
      for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 5; hops++) {
        const next = new URL(String(res.headers.location), publicUrl);
        if (next.href.startsWith(CALLBACK)) break;
        res = await send(next.pathname + next.search);
      }
      expect(String(res.headers.location)).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?code=/);
      const names = setCookies.map((l) => l.split('=')[0]);
      expect(names).toEqual(expect.arrayContaining(['onething_sso_interaction', 'onething_sso']));
      for (const line of setCookies) expect(line, line.split('=')[0]).toMatch(/;\s*secure\s*(;|$)/i);
    } finally {
      await secure.close();
    }
  });
});
