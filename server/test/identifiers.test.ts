// Identifier checks through the API and `onething validate`.
import type { DivisionListItem } from '@onething/shared/identifiers';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { bearer, cli, createTestApp, createTestDb, loginWithCode, testConfig, type TestApp } from './helpers.ts';

let t: TestApp;
let auth: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  auth = bearer(await t.login('window.nanjing'));
});
afterAll(async () => t?.close());

describe('onething validate', () => {
  it.each([
    ['id-number', '11010519491231002X', 0, 'valid'],
    ['id-number', '440524188001010014', 0, 'valid'],
    ['id-number', '110105194912310021', 1, 'id_number.checksum'],
    ['uscc', '91350100M000100Y43', 0, 'valid'],
    ['uscc', '91350100M000100Y4Z', 1, 'uscc.checksum'],
    ['division', '320100', 0, 'valid'],
    ['division', '320103', 1, 'division.retired'],
    ['division', '999999', 1, 'division.unknown'],
  ] as const)('%s %s exits %i (%s)', async (kind, value, code, expected) => {
    const out = await cli('validate', kind, value);
    expect(out.code, out.stderr).toBe(code);
    expect(out.stdout).toContain(expected);
  });

  it('names the successor of a retired Jiangsu county code', async () => {
    const out = await cli('validate', 'division', '320103', '--json');
    const body = JSON.parse(out.stdout) as {
      valid: boolean;
      retired: { end: number; successors: Array<{ code: string; name: string }> };
    };
    expect(body.valid).toBe(false);
    expect(body.retired.end).toBe(2013);
    expect(body.retired.successors).toEqual([{ code: '320104', name: '秦淮区' }]);
  });

  it('prints usage for a wrong call', async () => {
    expect((await cli('validate', 'passport', 'X')).code).toBe(2);
    expect((await cli('--help')).stdout).toContain('onething <command>');
  });
});

describe('POST /api/v1/identifiers/validate and divisions', () => {
  it('validates over the API for signed-in users only, the value in the body', async () => {
    const body = { type: 'uscc', value: '91350100M000100Y43' };
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/identifiers/validate', payload: body })).statusCode,
    ).toBe(401);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identifiers/validate',
      headers: auth,
      payload: body,
    });
    expect(ok.json()).toMatchObject({ valid: true, divisionCode: '350100' });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/identifiers/validate',
      headers: auth,
      payload: { type: 'id-number', value: '11010519491231002Y' },
    });
    expect(bad.json()).toMatchObject({ valid: false, reason: { code: expect.stringMatching(/^id_number\./) } });
    // The value no longer travels in a URL: the old form is not a route.
    const old = await t.app.inject({
      url: '/api/v1/identifiers/validate?type=id-number&value=11010519491231002X',
      headers: auth,
    });
    expect(old.statusCode).toBe(404);
  });

  it('keeps personal numbers and query values out of the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const tdb = await createTestDb();
    const app = await buildApp({ config: testConfig({ LOG_LEVEL: 'info' }), db: tdb.db, logger: { stream } });
    try {
      await app.ready();
      const token = bearer(await loginWithCode(app, tdb.db, 'window.nanjing'));
      const id = '11010519491231002X';
      const valid = await app.inject({
        method: 'POST',
        url: '/api/v1/identifiers/validate',
        headers: token,
        payload: { type: 'id-number', value: id },
      });
      expect(valid.json()).toMatchObject({ valid: true });
      await app.inject({ url: `/api/v1/identifiers/validate?type=id-number&value=${id}`, headers: token });
      await app.inject(`/api/v1/catalogue/bundles?q=${encodeURIComponent('张三')}&limit=5`);
      const log = lines.join('');
      expect(log).toContain('"url":"/api/v1/identifiers/validate?type=…&value=…"');
      expect(log).toContain('"url":"/api/v1/catalogue/bundles?q=…&limit=…"');
      for (const secret of [id, '张三', encodeURIComponent('张三'), 'id-number']) expect(log).not.toContain(secret);
    } finally {
      await app.close();
      await tdb.close();
    }
  });

  it('lists the 13 cities of Jiangsu and explains a retired code', async () => {
    const cities = (
      await t.app.inject({ url: '/api/v1/divisions?parent=320000', headers: auth })
    ).json() as DivisionListItem[];
    expect(cities.map((c) => c.code)).toEqual([
      '320100',
      '320200',
      '320300',
      '320400',
      '320500',
      '320600',
      '320700',
      '320800',
      '320900',
      '321000',
      '321100',
      '321200',
      '321300',
    ]);
    expect((await t.app.inject({ url: '/api/v1/divisions/320103', headers: auth })).json()).toMatchObject({
      status: 'retired',
      successors: [{ code: '320104' }],
    });
  });
});
