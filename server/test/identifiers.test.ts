// Identifier checks through the API and `onething validate`.
import type { DivisionListItem } from '@onething/shared/identifiers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, cli, createTestApp, type TestApp } from './helpers.ts';

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

describe('GET /api/v1/identifiers/validate and divisions', () => {
  it('validates over the API for signed-in users only', async () => {
    expect((await t.app.inject('/api/v1/identifiers/validate?type=uscc&value=91350100M000100Y43')).statusCode).toBe(
      401,
    );
    const ok = await t.app.inject({
      url: '/api/v1/identifiers/validate?type=uscc&value=91350100M000100Y43',
      headers: auth,
    });
    expect(ok.json()).toMatchObject({ valid: true, divisionCode: '350100' });
    const bad = await t.app.inject({
      url: '/api/v1/identifiers/validate?type=id-number&value=11010519491231002Y',
      headers: auth,
    });
    expect(bad.json()).toMatchObject({ valid: false, reason: { code: expect.stringMatching(/^id_number\./) } });
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
