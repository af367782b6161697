// The platform's edge: health, OpenAPI, problem+json in both languages, limits, and no route left open.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { bearer, createTestApp, otpFromOutbox, problem, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('health and docs', () => {
  it('serves /healthz and /readyz', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: t.db.kind });
  });

  it('generates OpenAPI 3.1 from the route schemas, with every API route in it', async () => {
    const res = await t.app.inject('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const r of t.app.apiRoutes) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    expect(doc.paths['/api/v1/catalogue/bundles']?.get).toBeDefined();
    const ui = await t.app.inject('/api/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('gives a request id, honouring a sane one from the caller', async () => {
    const res = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-abc_123' } });
    expect(res.headers['x-request-id']).toBe('trace-abc_123');
    const other = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('problem+json', () => {
  it('answers an unknown API path with a 404 problem in Chinese by default and in English on request', async () => {
    const zh = problem(await t.app.inject('/api/v1/nothing-here'));
    expect(zh).toMatchObject({ status: 404, code: 'http.not_found', title: '资源不存在' });
    const enRes = await t.app.inject({ url: '/api/v1/nothing-here', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(enRes.headers['content-language']).toBe('en');
    expect(problem(enRes).title).toBe('Not found');
  });

  it('names the field of a bad query parameter', async () => {
    const res = await t.app.inject({
      url: '/api/v1/catalogue/bundles?limit=1000&stage=moon',
      headers: { 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(400);
    const p = problem(res);
    expect(p.code).toBe('request.invalid');
    expect(p.errors?.map((e) => e.pointer).sort()).toEqual(['/limit', '/stage']);
    expect(p.errors?.every((e) => e.in === 'query')).toBe(true);
  });

  it('refuses malformed JSON and an oversize body without writing', async () => {
    const token = await t.login('admin');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/catalogue/import',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"format": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(problem(bad).code).toBe('request.malformed_json');
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/catalogue/import',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: JSON.stringify({ pad: 'x'.repeat(6 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(problem(huge).code).toBe('request.body_too_large');
  });
});

/** Writes raw bytes to the listening server and reads until it closes the connection: what Node's parser answers. */
function rawExchange(port: number, bytes: string | Buffer): Promise<{ head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const at = text.indexOf('\r\n\r\n');
      resolve({ head: text.slice(0, at), body: text.slice(at + 4) });
    });
    socket.setTimeout(5000, () => socket.destroy());
  });
}

describe('defaults that fail closed', () => {
  it('listens on loopback unless HOST is set, and refuses the development code sink on any other interface', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/OTP_DELIVERY: dev .*HOST=0\.0\.0\.0 is not loopback/);
    expect(() => loadConfig({ HOST: '192.168.1.20', OTP_DELIVERY: 'dev' })).toThrow(/OTP_DELIVERY/);
    expect(loadConfig({ HOST: '0.0.0.0', OTP_DELIVERY: 'outbox' }).HOST).toBe('0.0.0.0');
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.1.1'])
      expect(loadConfig({ HOST: host }).OTP_DELIVERY).toBe('dev');
  });

  it('believes X-Forwarded-For from loopback by default, from the proxies listed, or from none', () => {
    expect(loadConfig({}).TRUSTED_PROXIES).toEqual(['loopback']);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.5, 10.1.0.0/16,fd00::/8' }).TRUSTED_PROXIES).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      'fd00::/8',
    ]);
    expect(loadConfig({ TRUSTED_PROXIES: 'none' }).TRUSTED_PROXIES).toEqual([]);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES: "10\.0\.0\.0\/33"/);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'nginx.internal' })).toThrow(/TRUSTED_PROXIES/);
  });
});

describe('every client error is problem+json', () => {
  it('answers what Node refuses before a request exists: an oversized query (431), raw UTF-8 in the request line (400)', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as net.AddressInfo).port;
    const long = await rawExchange(
      port,
      `GET /api/v1/catalogue/bundles?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`,
    );
    expect(long.head).toMatch(/^HTTP\/1\.1 431 /);
    expect(long.head).toMatch(/\r\ncontent-type: application\/problem\+json; charset=utf-8\r\n/i);
    expect(JSON.parse(long.body)).toMatchObject({ status: 431, code: 'request.headers_too_large', title: /16 KB/ });

    const utf8 = await rawExchange(
      port,
      Buffer.from('GET /api/v1/catalogue/bundles?q=张三 HTTP/1.1\r\nHost: localhost\r\nAccept-Language: en\r\n\r\n'),
    );
    expect(utf8.head).toMatch(/^HTTP\/1\.1 400 /);
    expect(utf8.head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
    const p = JSON.parse(utf8.body) as { code: string; title: string; instance: string };
    // In English, as asked; the query is not echoed.
    expect(p).toMatchObject({ code: 'request.malformed', instance: '/api/v1/catalogue/bundles' });
    expect(p.title).toMatch(/^The request is malformed/);

    const header = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n');
    expect(JSON.parse(header.body)).toMatchObject({ status: 400, code: 'request.malformed', title: /请求格式不正确/ });
  });

  it('answers the framework’s refusals as problems: 415, 404 of any method, a bad URL', async () => {
    const cases = [
      {
        method: 'POST' as const,
        url: '/api/v1/auth/login',
        headers: { 'content-type': '' },
        payload: '{}',
        status: 415,
      },
      { method: 'DELETE' as const, url: '/api/v1/catalogue/bundles', status: 404 },
      { method: 'GET' as const, url: '/api/v1/catalogue/bundles/%', status: 400 },
    ];
    for (const { status, ...request } of cases) {
      const res = await t.app.inject(request);
      expect(res.statusCode, request.url).toBe(status);
      expect(problem(res).status).toBe(status);
    }
  });
});

describe('access', () => {
  const sample = (url: string) =>
    url
      .replace(':code', 'newborn')
      .replace(':year', '2026')
      .replace(':date', '2026-02-14')
      .replace(':id', '00000000-0000-4000-8000-000000000000')
      .replace(/:(\w+)/g, 'x');

  it('refuses an unauthenticated call to every route except the public catalogue reads and login', async () => {
    const publicRoutes = t.app.apiRoutes
      .filter((r) => r.access === 'public')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    // Public: catalogue reads, the one-time notice computed from them (writes nothing), login and its code step,
    // registering as a person and proving the number with the code sent to the phone on record, and (development
    // only) the sink that shows one-time codes.
    expect(publicRoutes.filter((r) => !r.startsWith('GET /api/v1/catalogue/'))).toEqual([
      'GET /api/v1/dev/otp',
      'POST /api/v1/accounts/persons',
      'POST /api/v1/accounts/persons/proofing/verify',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/login/verify',
      'POST /api/v1/catalogue/bundles/:code/guidance',
    ]);
    const closed = t.app.apiRoutes.filter((r) => r.access !== 'public');
    expect(closed.length).toBeGreaterThan(15);
    for (const r of closed) {
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: sample(r.url),
        ...(r.method === 'GET' ? {} : { payload: {} }),
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(problem(res).code).toBe('auth.unauthenticated');
    }
  });

  it('refuses a forged or revoked token', async () => {
    const forged = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer('A'.repeat(43)) });
    expect(forged.statusCode).toBe(401);
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'zhangsan', password: 'OneThing-demo-2026' },
    });
    const tk = (token.json() as { token: string }).token;
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(tk) })).json()).toMatchObject({
      username: 'zhangsan',
      roles: ['applicant'],
    });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(tk) })).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(tk) })).statusCode).toBe(401);
  });

  it('rejects a wrong password without saying whether the user exists', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'nope' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(problem(wrong).code).toBe('auth.invalid_credentials');
    expect(problem(unknown).code).toBe('auth.invalid_credentials');
  });

  it('forbids administration to non-administrators', async () => {
    for (const user of ['zhangsan', 'reviewer.health', 'window.nanjing']) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/admin/catalogue/export',
        headers: bearer(await t.login(user)),
      });
      expect(res.statusCode, user).toBe(403);
    }
  });

  it('accepts the session cookie, and refuses a cookie-authenticated write from another origin', async () => {
    // Staff log in with a one-time code: the password step sets no cookie, the code step does.
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: 'OneThing-demo-2026' },
    });
    expect(first.cookies).toEqual([]);
    const challengeId = (first.json() as { challenge: { id: string } }).challenge.id;
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/verify',
      payload: { challengeId, code: await otpFromOutbox(t.db, challengeId) },
    });
    const cookie = login.cookies.find((c) => c.name === 'onething_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    // Development over http: not Secure (a browser would not send it back); https and production: below.
    expect(cookie?.secure).toBeFalsy();
    const headers = { cookie: `onething_session=${cookie!.value}`, host: 'onething.test' };
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    const body = { name: { zh: '测试部门', en: 'Test department' }, regionCode: '320100', sector: 'test' };
    const cross = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/catalogue/departments/test-dept',
      headers: { ...headers, origin: 'https://evil.example' },
      payload: body,
    });
    expect(cross.statusCode).toBe(403);
    const same = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/catalogue/departments/test-dept',
      headers: { ...headers, origin: 'http://onething.test' },
      payload: body,
    });
    expect(same.statusCode).toBe(204);
  });
});

describe('the session cookie behind https', () => {
  it('is Secure when PUBLIC_URL is https, and so is the logout that clears it', async () => {
    const https = await createTestApp({ env: { PUBLIC_URL: 'https://onething.example.gov.cn' } });
    try {
      const first = await https.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: 'OneThing-demo-2026' },
      });
      const challengeId = (first.json() as { challenge: { id: string } }).challenge.id;
      const login = await https.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login/verify',
        payload: { challengeId, code: await otpFromOutbox(https.db, challengeId) },
      });
      const cookie = login.cookies.find((c) => c.name === 'onething_session');
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
      const logout = await https.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie: `onething_session=${cookie!.value}`, host: 'onething.test', origin: 'http://onething.test' },
        payload: {},
      });
      expect(logout.statusCode).toBe(204);
      expect(logout.cookies.find((c) => c.name === 'onething_session')).toMatchObject({ value: '', secure: true });
    } finally {
      await https.close();
    }
  });
});
