// SSO for department systems: a standard certified OIDC client library (openid-client) completes the authorisation
// code flow with PKCE against the provider over real HTTP, with a browser played by fetch (cookies kept, redirects
// followed by hand, the login form submitted). Then everything that must be refused is.
import net from 'node:net';
import * as oidc from 'openid-client';
import type { Client, RegisteredClient } from '@onething/shared/sso';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { bearer, createTestDb, loginWithCode, testConfig, type TestDb } from './helpers.ts';

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

async function register(body: Record<string, unknown>) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/admin/sso/clients',
    headers: bearer(await token('admin')),
    payload: body,
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
