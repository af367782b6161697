// Property-based abuse of every API route, generated from the routes the app registers: malformed bodies,
// parameters and headers, sent by callers who are signed in (so the input layer, not the access check, is what
// gets hit). Properties: never a 5xx, always a JSON answer (problem+json for errors), and nothing written.
//
// Each run draws a new seed and prints it; FUZZ_SEED=<seed> replays a run (every failure message names it):
//   FUZZ_SEED=123 npx vitest run test/fuzz.test.ts
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Guidance } from '@onething/shared/applications';
import {
  bearer,
  createTestApp,
  NEWBORN_ANSWERS,
  NEWBORN_FORM,
  problem,
  submitNewborn,
  type TestApp,
} from './helpers.ts';

let t: TestApp;
const tokens: Record<string, string> = {};

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);

/** Every table that holds business data: none may change while the fuzzer runs. */
const GUARDED = [
  'departments',
  'service_item_versions',
  'bundle_versions',
  'calendar_years',
  'applications',
  'cases',
  'case_events',
  'correction_notices',
  'application_drafts',
  'files',
  'notifications',
  'profile_attributes',
];

async function snapshot(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of GUARDED) {
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = rows[0]!.n;
  }
  return out;
}

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'NaN',
    'null',
    'undefined',
    'true',
    '[]',
    '{}',
    '../../etc/passwd',
    '%00',
    '%',
    '%E4%B8',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '😀'.repeat(30),
    'x'.repeat(300),
    '2026-02-30',
    '320103',
    '00000000-0000-4000-8000-000000000000',
  ),
);

/**
 * Text that has broken servers: NUL and the other C0 controls, DEL, lone surrogates (high and low), right-to-left
 * marks and overrides, emoji (with joiners), full-width digits; mixed with arbitrary code points, and very long.
 */
const PIECES = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\u000b',
  '\u001b',
  '\u001f',
  '\u007f',
  '\t',
  '\r\n',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u200e',
  '\u200f',
  '\u202b',
  '\u202e',
  '\u2067',
  '😀',
  '👨\u200d👩\u200d👧',
  '１２３',
  '０',
  '\ufeff',
  '\ufffe',
  '中文',
  'a',
  '1',
];
const evil = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 10 })
      .map((a) => a.join('')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...PIECES), fc.integer({ min: 2_000, max: 40_000 }))
      .map(([c, n]) => c.repeat(n)),
  },
);
/** Percent-encoding of the UTF-8 bytes (a lone surrogate becomes U+FFFD's), as a client encodes X-File-Name. */
const percentEncoded = (v: string) =>
  [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const fileName = fc.oneof(
  evil,
  evil.map(percentEncoded),
  fc.constantFrom(
    '%ED%A0%80',
    '%ED%BF%BF',
    '%C0%80',
    '%00',
    '%E4%B8',
    '%',
    '%%',
    '%zz',
    '%FF%FE',
    '..%2F..%2Fetc%2Fpasswd',
    'a%0D%0Ab',
  ),
);
/** JSON values whose strings (keys too) are evil. */
const { json: evilJson } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    evil,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(evil, fc.constantFrom('bundle', 'answers', 'form', 'name', 'reason', 'username')),
      tie('json'),
      { maxKeys: 4 },
    ),
  ),
}));

const body = fc.oneof(
  evilJson.map((v) => ({ kind: 'json' as const, value: v })),
  fc.anything({ maxDepth: 3, maxKeys: 6 }).map((v) => ({ kind: 'json' as const, value: v })),
  fc
    .dictionary(
      fc.constantFrom(
        'bundle',
        'answers',
        'form',
        'materials',
        'code',
        'name',
        'items',
        'action',
        'reason',
        'username',
        'password',
        'year',
        'holidays',
        'format',
        'regionCode',
        'version',
        'draftId',
      ),
      fc.anything({ maxDepth: 2 }),
      { maxKeys: 6 },
    )
    .map((v) => ({ kind: 'json' as const, value: v })),
  fc.string({ maxLength: 200 }).map((s) => ({ kind: 'raw' as const, value: s })),
  fc
    .constantFrom(
      '{',
      '{"a":',
      '[1,2',
      'null',
      '"str"',
      '123',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"x":1}}}',
    )
    .map((s) => ({ kind: 'raw' as const, value: s })),
);

const headers = fc.record(
  {
    'accept-language': fc.oneof(
      nasty,
      evil,
      fc.constantFrom('en', 'zh-CN', 'fr;q=abc', '*', 'zh-CN;q=０.９', 'en;q=1e999'),
    ),
    'idempotency-key': fc.oneof(nasty, evil),
    'x-request-id': fc.oneof(nasty, evil),
    'x-file-name': fileName,
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/pdf',
      'image/png',
    ),
  },
  { requiredKeys: ['content-type'] },
);

function who(url: string): string {
  if (url.includes('/admin/')) return 'admin';
  if (url.startsWith('/api/v1/cases')) return 'reviewer.health';
  return 'zhangsan';
}

let sent = 0;
const statuses = new Map<number, number>();

beforeAll(async () => {
  console.log(`fuzz: FUZZ_SEED=${SEED} (set it to replay this run)`);
  t = await createTestApp();
  for (const u of ['admin', 'reviewer.health', 'zhangsan']) tokens[u] = await t.login(u);
});
afterAll(async () => {
  // The counts CI shows: how many requests, and what they got.
  console.log(`fuzz: ${sent} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  await t?.close();
});

describe('every route under malformed input', () => {
  it('never answers 5xx, always answers JSON, and writes nothing', async () => {
    const before = await snapshot();
    const routes = t.app.apiRoutes.filter((r) => r.url !== '/api/v1/auth/logout');
    expect(routes.length).toBeGreaterThan(20);
    for (const [index, route] of routes.entries()) {
      await fc
        .assert(
          fc.asyncProperty(
            fc.array(fc.oneof(nasty, evil), { minLength: 1, maxLength: 3 }),
            fc.dictionary(fc.oneof(nasty, evil), fc.oneof(nasty, evil), { maxKeys: 4 }),
            body,
            headers,
            async (params, query, b, h) => {
              let i = 0;
              const url = route.url.replace(/:(\w+)/g, () => percentEncoded(params[i++ % params.length] ?? 'x'));
              const qs = Object.entries(query)
                .map(([k, v]) => `${percentEncoded(k)}=${percentEncoded(v)}`)
                .join('&');
              const payload =
                route.method === 'GET' || route.method === 'DELETE'
                  ? undefined
                  : b.kind === 'json'
                    ? (JSON.stringify(b.value) ?? 'null')
                    : b.value;
              const res = await t.app.inject({
                method: route.method as 'GET',
                url: qs ? `${url}?${qs}` : url,
                headers: { ...bearer(tokens[who(route.url)]!), ...h },
                ...(payload !== undefined ? { payload } : {}),
              });
              sent++;
              statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
              if (res.statusCode >= 500)
                throw new Error(`${route.method} ${route.url} → ${res.statusCode}: ${res.body.slice(0, 300)}`);
              if (res.statusCode >= 400 && !/^application\/problem\+json/.test(String(res.headers['content-type'])))
                throw new Error(
                  `${route.method} ${route.url} → ${res.statusCode} as ${res.headers['content-type']}, not problem+json`,
                );
            },
          ),
          { numRuns: 60, seed: SEED + index },
        )
        .catch((err: Error) => {
          throw new Error(`FUZZ_SEED=${SEED} replays this: ${route.method} ${route.url}: ${err.message}`);
        });
    }
    expect(await snapshot()).toEqual(before);
    expect(sent).toBeGreaterThanOrEqual(routes.length * 60);
  }, 300_000);
});

describe('valid requests with one field of hostile text', () => {
  // The malformed requests above mostly stop at the schema; these are whole, so the text reaches the services, the
  // database and the file store. They may be accepted (and write) or refused, but never with a 5xx.
  it('never answer 5xx, and refuse with problem+json', async () => {
    // Another person than the other tests' zhangsan: submissions are rate-limited per account.
    const zhangsan = bearer(await t.login('wangxiaoming'));
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
    const requests: Array<[string, (v: string, h: Record<string, string>) => InjectOptions]> = [
      [
        'upload named by X-File-Name',
        (v, h) => ({
          method: 'POST',
          url: '/api/v1/files',
          headers: { ...zhangsan, ...h, 'content-type': 'application/pdf', 'x-file-name': v },
          payload: Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n'),
        }),
      ],
      [
        'a draft with the child named so',
        (v, h) => ({
          method: 'POST',
          url: '/api/v1/application-drafts',
          headers: { ...zhangsan, ...h },
          payload: { bundle: 'newborn', form: { child: { name: v } } },
        }),
      ],
      [
        'a submission under this Idempotency-Key',
        (v, h) => ({
          method: 'POST',
          url: '/api/v1/applications',
          headers: { ...zhangsan, ...h, 'idempotency-key': v },
          payload: { bundle: 'newborn', answers: NEWBORN_ANSWERS, form: NEWBORN_FORM, materials },
        }),
      ],
      [
        'a submission with this address',
        (v, h) => ({
          method: 'POST',
          url: '/api/v1/applications',
          headers: { ...zhangsan, ...h },
          payload: {
            bundle: 'newborn',
            answers: NEWBORN_ANSWERS,
            form: { ...NEWBORN_FORM, household: { address: v } },
            materials,
          },
        }),
      ],
      ['the bundle search', (v, h) => ({ url: `/api/v1/catalogue/bundles?q=${percentEncoded(v)}`, headers: h })],
      [
        'a login as this username',
        (v, h) => ({ method: 'POST', url: '/api/v1/auth/login', headers: h, payload: { username: v, password: v } }),
      ],
      [
        'an ID number check',
        (v, h) => ({
          method: 'POST',
          url: '/api/v1/identifiers/validate',
          headers: { ...zhangsan, ...h },
          payload: { type: 'id_number', value: v },
        }),
      ],
    ];
    const extra = fc.record(
      { 'accept-language': fc.oneof(evil, fc.constant('en')), 'x-request-id': evil },
      { requiredKeys: [] },
    );
    for (const [index, [what, build]] of requests.entries()) {
      await fc
        .assert(
          fc.asyncProperty(fc.oneof(evil, fileName), extra, async (v, h) => {
            // A client address of its own for each request: logins are rate-limited per address.
            const n = ++sent;
            const res = await t.app.inject({
              ...build(v, h as Record<string, string>),
              remoteAddress: `10.77.${(n >> 8) & 255}.${n & 255}`,
            });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            if (res.statusCode >= 500) throw new Error(`${res.statusCode}: ${res.body.slice(0, 300)}`);
            if (res.statusCode >= 400 && !/^application\/problem\+json/.test(String(res.headers['content-type'])))
              throw new Error(`${res.statusCode} as ${res.headers['content-type']}, not problem+json`);
          }),
          { numRuns: 40, seed: SEED + 1000 + index },
        )
        .catch((err: Error) => {
          throw new Error(`FUZZ_SEED=${SEED} replays this: ${what}: ${err.message}`);
        });
    }
  }, 300_000);
});

describe('the text rule: NUL, other control characters and lone surrogates anywhere in a request', () => {
  // Each of these answered 500 before the rule: PostgreSQL refuses NUL in text and jsonb, and jsonb the escape
  // of a lone surrogate; the file name's percent-encoding was decoded unchecked.
  it('refuses each with a 400 naming the field, in both languages, and writes nothing', async () => {
    const zhangsan = bearer(await t.login('zhangsan'));
    const reviewer = bearer(await t.login('reviewer.health'));
    const draftId = (
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/application-drafts',
          headers: zhangsan,
          payload: { bundle: 'newborn' },
        })
      ).json() as { id: string }
    ).id;
    await submitNewborn(t, zhangsan, ['text-rule-1']);
    const caseId = (
      (await t.app.inject({ url: '/api/v1/cases', headers: reviewer })).json() as Array<{ id: string }>
    )[0]!.id;
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
    const NUL = '\u0000';
    const LONE = '\ud800';
    const cases: Array<{ request: InjectOptions; in: string; pointer: string }> = [
      // Without a session: the public bundle search, login, registration.
      {
        request: { url: `/api/v1/catalogue/bundles?q=${encodeURIComponent(`出生${NUL}`)}` },
        in: 'query',
        pointer: '/q',
      },
      {
        request: { method: 'POST', url: '/api/v1/auth/login', payload: { username: `zhangsan${NUL}`, password: 'x' } },
        in: 'body',
        pointer: '/username',
      },
      {
        request: {
          method: 'POST',
          url: '/api/v1/accounts/persons',
          payload: {
            username: `textrule${NUL}`,
            password: 'a-long-passphrase',
            realName: '张三',
            idNumber: '32010219880512123X',
            phone: '13800000001',
          },
        },
        in: 'body',
        pointer: '/username',
      },
      // Drafts, a submission, case actions, an upload's name.
      {
        request: {
          method: 'POST',
          url: '/api/v1/application-drafts',
          headers: zhangsan,
          payload: { bundle: 'newborn', form: { child: { name: `张${NUL}小宝` } } },
        },
        in: 'body',
        pointer: '/form/child/name',
      },
      {
        request: {
          method: 'POST',
          url: '/api/v1/application-drafts',
          headers: zhangsan,
          payload: { bundle: 'newborn', form: { [`x${LONE}`]: 'y' } },
        },
        in: 'body',
        pointer: `/form/x${LONE}`,
      },
      {
        request: {
          method: 'PUT',
          url: `/api/v1/application-drafts/${draftId}`,
          headers: zhangsan,
          payload: { form: { household: { address: `北京东路${LONE}` } } },
        },
        in: 'body',
        pointer: '/form/household/address',
      },
      {
        request: {
          method: 'POST',
          url: '/api/v1/applications',
          headers: { ...zhangsan, 'idempotency-key': 'text-rule-2' },
          payload: {
            bundle: 'newborn',
            answers: NEWBORN_ANSWERS,
            form: { ...NEWBORN_FORM, household: { address: `南京市${NUL}` } },
            materials,
          },
        },
        in: 'body',
        pointer: '/form/household/address',
      },
      {
        request: {
          method: 'POST',
          url: `/api/v1/cases/${caseId}/actions`,
          headers: reviewer,
          payload: { action: 'refuse', reason: `不符合${NUL}` },
        },
        in: 'body',
        pointer: '/reason',
      },
      {
        request: {
          method: 'POST',
          url: `/api/v1/cases/${caseId}/actions`,
          headers: reviewer,
          payload: { action: 'refuse', reason: `x\u0007${LONE}` },
        },
        in: 'body',
        pointer: '/reason',
      },
      {
        request: {
          method: 'POST',
          url: '/api/v1/files',
          headers: { ...zhangsan, 'content-type': 'application/pdf', 'x-file-name': '%E4%B8' },
          payload: Buffer.from('%PDF-1.4 text rule'),
        },
        in: 'headers',
        pointer: '/x-file-name',
      },
    ];
    const counts = async () =>
      (
        await t.db.query<{ n: string }>(
          `SELECT (SELECT count(*) FROM application_drafts) || '/' || (SELECT count(*) FROM applications) || '/' ||
                  (SELECT count(*) FROM case_events) || '/' || (SELECT count(*) FROM files) || '/' ||
                  (SELECT count(*) FROM login_attempts) || '/' || (SELECT count(*) FROM accounts) AS n`,
        )
      ).rows[0]!.n;
    const before = await counts();
    for (const c of cases) {
      const res = await t.app.inject(c.request);
      const what = `${c.request.method ?? 'GET'} ${c.request.url}`;
      expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
      expect(problem(res), what).toMatchObject({
        code: 'request.invalid_text',
        errors: [{ in: c.in, pointer: c.pointer }],
      });
    }
    expect(await counts()).toEqual(before);
    const en = await t.app.inject({
      url: `/api/v1/catalogue/bundles?q=${encodeURIComponent(`a${NUL}`)}`,
      headers: { 'accept-language': 'en' },
    });
    expect(problem(en)).toMatchObject({
      title: 'The request contains characters that are not allowed',
      errors: [{ code: 'request.control_character', detail: expect.stringContaining('NUL') }],
    });
    const zh = problem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: `a${LONE}`, password: 'x' },
      }),
    );
    expect(zh).toMatchObject({ title: '请求中含有不允许的字符', errors: [{ code: 'request.lone_surrogate' }] });
    // Tab, line breaks and paired surrogates (😀) are text.
    const fine = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/application-drafts/${draftId}`,
      headers: zhangsan,
      payload: { form: { household: { address: '南京市\t玄武区\r\n北京东路 😀' } } },
    });
    expect(fine.statusCode, fine.body).toBe(200);
  });
});
