// Identity proofing through the API: the registers (一人一档, 一企一档) imported as CSV; registration that binds no
// number and reveals nothing about it; the phone on record proving a claim (level 2); window staff binding from
// the ID card (level 3) and reclaiming a number an impostor holds, who is frozen; enterprises claimed only by the
// legal representative the register names.
import type { Me, PersonAccount, RegisterImport, RegisteredPerson, WindowProofResult } from '@onething/shared/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, loginWithCode, problem, type TestApp } from './helpers.ts';

let t: TestApp;
let ipSeq = 0;
const nextIp = () => `10.77.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
const PASSWORD = 'a-long-passphrase';

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** Imports a CSV extract as the province administrator. */
async function importRegister(register: 'population' | 'enterprises', csv: string, asOf = '2026-12-05') {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/registers/${register}?source=${encodeURIComponent('测试 公安人口库')}&asOf=${asOf}`,
    headers: { ...bearer(await t.login('admin')), 'content-type': 'text/csv', 'accept-language': 'en' },
    payload: csv,
  });
}

function register(body: { username: string; realName: string; idNumber: string; phone?: string }) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/accounts/persons',
    payload: { password: PASSWORD, phone: '13700000000', ...body },
    remoteAddress: nextIp(),
    headers: { 'accept-language': 'en' },
  });
}

const session = (username: string, password = PASSWORD) => loginWithCode(t.app, t.db, username, password, nextIp());

async function me(token: string): Promise<Me> {
  return (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).json() as Me;
}

/** The proofing code the outbox holds for a challenge, if one was sent. */
async function sentCode(challengeId: string): Promise<string | undefined> {
  const { rows } = await t.db.query<{ code: string }>(
    `SELECT payload->>'code' AS code FROM notifications WHERE kind = 'identity.proofing_code' AND payload->>'challengeId' = $1`,
    [challengeId],
  );
  return rows[0]?.code;
}

function verifyCode(challengeId: string, code: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/accounts/persons/proofing/verify',
    payload: { challengeId, code },
    remoteAddress: nextIp(),
    headers: { 'accept-language': 'en' },
  });
}

async function proveAtWindow(body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/proofing/window',
    headers: { ...bearer(await t.login('window.nanjing')), 'accept-language': 'en' },
    payload: body,
  });
}

describe('the registers (一人一档, 一企一档)', () => {
  it('imports a CSV extract with its source and date, sealed, and refuses a file with bad rows whole', async () => {
    const bad = problem(
      await importRegister(
        'population',
        '公民身份号码,姓名,手机号码,户籍地区划代码\n' +
          '320104199001010011,钱一,13900000001,320104\n' +
          '320104199001010013,钱二,1390000,999999\n' +
          '320104199001010013,钱三,,320104\n',
      ),
    );
    expect(bad).toMatchObject({ status: 422, code: 'identity.import_invalid' });
    expect(bad.errors?.map((e) => `${e.pointer} ${e.code}`)).toEqual([
      '/2/idNumber identifiers.id_number.checksum',
      '/3/phone identity.phone_invalid',
      '/3/region identity.region_invalid',
      '/4/idNumber identity.id_number_repeated',
    ]);
    const none = await t.db.query(`SELECT 1 FROM person_register WHERE name LIKE '钱%'`);
    expect(none.rows).toHaveLength(0);

    const missing = problem(await importRegister('population', 'id_number,name\n320104199001010013,钱二\n'));
    expect(missing).toMatchObject({ status: 422, code: 'csv.missing_columns' });

    // English aliases, quotes, CRLF; a later extract of an older date leaves the newer row alone.
    const ok = await importRegister(
      'population',
      'id_number,name,phone,region\r\n"320104199001010013","钱二",13900000002,320104\r\n',
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      register: 'population',
      source: '测试 公安人口库',
      asOf: '2026-12-05',
      rows: 1,
      created: 1,
      updated: 0,
      skipped: 0,
    });
    const older = await importRegister(
      'population',
      '公民身份号码,姓名,手机号码,户籍地区划代码\n320104199001010013,钱贰,13900000002,320104\n',
      '2026-11-01',
    );
    expect(older.json()).toMatchObject({ rows: 1, created: 0, updated: 0, skipped: 1 });
    const stored = await t.db.query<{ name: string; id_number_enc: string; phone_enc: string }>(
      `SELECT name, id_number_enc, phone_enc FROM person_register WHERE name LIKE '钱%'`,
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]!.name).toBe('钱二');
    expect(stored.rows[0]!.id_number_enc).toMatch(/^pii1\./);
    expect(t.pii.decrypt(stored.rows[0]!.id_number_enc)).toBe('320104199001010013');
    expect(JSON.stringify(stored.rows)).not.toContain('13900000002');

    const list = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/admin/registers/imports',
        headers: bearer(await t.login('admin')),
      })
    ).json() as RegisterImport[];
    expect(list.map((i) => `${i.register} ${i.asOf} ${i.source}`)).toEqual(
      expect.arrayContaining([
        'population 2026-12-05 测试 公安人口库',
        'population 2026-11-01 测试 公安人口库',
        expect.stringMatching(/^population 2026-12-01 OneThing 演示数据/),
        expect.stringMatching(/^enterprise 2026-12-01 OneThing 演示数据/),
      ]),
    );
  });

  it('reads a file Excel saved as GB 18030', async () => {
    // 公民身份号码,姓名,手机号码,户籍地区划代码 / 320104199001020019,孙三,,320104 in GB 18030 (iconv -t gb18030).
    const gb18030 = Buffer.from(
      'b9abc3f1c9edb7ddbac5c2eb2cd0d5c3fb2ccad6bbfabac5c2eb2cbba7bcaeb5d8c7f8bbaeb4fac2eb0a3332303130343139393030313032303031392ccbefc8fd2c2c3332303130340a',
      'hex',
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/registers/population?source=gb&asOf=2026-12-05`,
      headers: { ...bearer(await t.login('admin')), 'content-type': 'text/csv' },
      payload: gb18030,
    });
    expect(res.statusCode, res.body).toBe(200);
    const row = await t.db.query<{ name: string }>(`SELECT name FROM person_register WHERE name = '孙三'`);
    expect(row.rows).toHaveLength(1);
  });
});

describe('registration and the phone on record', () => {
  it('gives an impostor level 1 only: a wrong name gets no code, and no code proves the claim', async () => {
    // 陈静 is in the seed's register with a phone; she has no account.
    const res = await register({ username: 'fake.chenjing', realName: '陈假', idNumber: '320102198503162044' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as RegisteredPerson;
    expect(body).toMatchObject({ realNameLevel: 1, idNumber: '3201**********2044' });
    expect(await sentCode(body.proofing.challengeId)).toBeUndefined();
    for (const code of ['000000', '123456', '999999', '111111']) {
      const wrong = problem(await verifyCode(body.proofing.challengeId, code));
      expect(wrong.code).toBe('identity.proofing_code_incorrect');
    }
    expect(problem(await verifyCode(body.proofing.challengeId, '222222')).code).toBe('identity.proofing_code_expired');
    const token = await session('fake.chenjing');
    expect(await me(token)).toMatchObject({ realNameLevel: 1 });
    // The number is not bound to it: it cannot be named as an agent or a family member by it.
    const bound = await t.db.query(
      `SELECT 1 FROM accounts WHERE username = 'fake.chenjing' AND id_number_hash IS NOT NULL`,
    );
    expect(bound.rows).toHaveLength(0);
  });

  it('binds the number at level 2 when the name matches the register and the code from the phone on record is given', async () => {
    const res = await register({ username: 'chenjing', realName: '陈静', idNumber: '320102198503162044' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as RegisteredPerson;
    expect(body.realNameLevel).toBe(1);
    // The code went to the register's phone, not the one typed at registration: the relay reads it, sealed.
    const code = await sentCode(body.proofing.challengeId);
    expect(code).toMatch(/^\d{6}$/);
    const destination = await t.db.query<{ destination_enc: string }>(
      'SELECT destination_enc FROM login_challenges WHERE id = $1',
      [body.proofing.challengeId],
    );
    expect(t.pii.decrypt(destination.rows[0]!.destination_enc)).toBe('13951000011');
    // In development the sink shows it, as the SMS would have.
    const sink = await t.app.inject({ method: 'GET', url: '/api/v1/dev/otp?username=chenjing' });
    expect(sink.json()).toMatchObject({ code, challengeId: body.proofing.challengeId });
    // A proofing code never opens a session.
    const asLogin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/verify',
      payload: { challengeId: body.proofing.challengeId, code },
      remoteAddress: nextIp(),
    });
    expect(problem(asLogin).code).toBe('auth.otp_expired');
    const ok = await verifyCode(body.proofing.challengeId, code!);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      realNameLevel: 2,
      idNumber: '3201**********2044',
    } satisfies Partial<PersonAccount>);
    expect(await me(await session('chenjing'))).toMatchObject({ realNameLevel: 2 });
    // The impostor's claim of the number is gone.
    const claims = await t.db.query<{ username: string }>(
      `SELECT username FROM accounts WHERE claimed_id_number_hash IS NOT NULL AND username LIKE '%chenjing'`,
    );
    expect(claims.rows).toEqual([]);
    expect(problem(await verifyCode(body.proofing.challengeId, code!)).code).toBe('identity.proofing_code_expired');
  });

  it('answers alike for a free and a taken number, and tells the holder by SMS instead', async () => {
    const normalise = (r: { statusCode: number; json(): unknown }) => {
      const b = r.json() as RegisteredPerson;
      return {
        status: r.statusCode,
        keys: Object.keys(b).sort(),
        body: {
          ...b,
          id: '*',
          username: '*',
          displayName: '*',
          createdAt: '*',
          idNumber: b.idNumber?.replace(/[\dX]/g, '9'),
          proofing: { ...b.proofing, challengeId: '*', expiresAt: '*' },
        },
      };
    };
    const zhangsan = (await t.db.query<{ id: string }>(`SELECT id FROM accounts WHERE username = 'zhangsan'`)).rows[0]!
      .id;
    const noticesBefore = await t.db.query(
      `SELECT 1 FROM notifications WHERE recipient_id = $1 AND kind = 'identity.registration_attempt'`,
      [zhangsan],
    );
    // Taken (张三 proved it), free and in the register under this name (刘洋), free and in no register.
    const taken = await register({ username: 'oracle.taken', realName: '张三', idNumber: '32010219880512123X' });
    const free = await register({ username: 'oracle.free', realName: '刘洋', idNumber: '320105197911223015' });
    const unknown = await register({ username: 'oracle.unknown', realName: '郑九', idNumber: '320104199005052210' });
    expect(normalise(taken)).toEqual(normalise(free));
    expect(normalise(taken)).toEqual(normalise(unknown));
    expect(taken.headers['content-type']).toBe(free.headers['content-type']);
    const notices = await t.db.query(
      `SELECT 1 FROM notifications WHERE recipient_id = $1 AND kind = 'identity.registration_attempt'`,
      [zhangsan],
    );
    expect(notices.rows.length).toBe(noticesBefore.rows.length + 1);
    // Only the free number in the register under the same name got a code.
    expect(await sentCode((taken.json() as RegisteredPerson).proofing.challengeId)).toBeUndefined();
    expect(await sentCode((free.json() as RegisteredPerson).proofing.challengeId)).toMatch(/^\d{6}$/);
    expect(await sentCode((unknown.json() as RegisteredPerson).proofing.challengeId)).toBeUndefined();
    // 张三 keeps the number and level 2.
    expect(await me(await t.login('zhangsan'))).toMatchObject({ realNameLevel: 2, idNumber: '3201**********123X' });
  });

  it('sends a new code on request, a few a day, and not to a verified account', async () => {
    const token = await session('oracle.unknown');
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/me/proofing', headers: bearer(token) });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ method: 'sms_on_record' });
    for (let i = 0; i < 3; i++)
      expect(
        (await t.app.inject({ method: 'POST', url: '/api/v1/me/proofing', headers: bearer(token) })).statusCode,
      ).toBe(201);
    expect(
      problem(await t.app.inject({ method: 'POST', url: '/api/v1/me/proofing', headers: bearer(token) })).code,
    ).toBe('http.rate_limited');
    expect(
      problem(
        await t.app.inject({ method: 'POST', url: '/api/v1/me/proofing', headers: bearer(await t.login('zhangsan')) }),
      ).code,
    ).toBe('identity.already_verified');
  });
});

describe('reclaiming a number at a window', () => {
  // 孔令伟 is in the register with a phone that now belongs to someone else: whoever has it can prove his number.
  const victim = { idNumber: '320106198808084126', name: '孔令伟' };

  it('freezes the impostor who held the number, ends their sessions and enterprise, and binds it to its holder', async () => {
    expect(
      (
        await importRegister(
          'population',
          `公民身份号码,姓名,手机号码,户籍地区划代码\n${victim.idNumber},${victim.name},13900000088,320106\n`,
        )
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await importRegister(
          'enterprises',
          `统一社会信用代码,企业名称,法定代表人,法定代表人身份证号码\n91320106MA1XKLW00J,南京孔氏茶叶有限公司,${victim.name},${victim.idNumber}\n`,
        )
      ).statusCode,
    ).toBe(200);
    // The impostor registers under the name and proves with the recycled phone.
    const impostor = (
      await register({ username: 'impostor.kong', realName: victim.name, idNumber: victim.idNumber })
    ).json() as RegisteredPerson;
    const code = await sentCode(impostor.proofing.challengeId);
    expect((await verifyCode(impostor.proofing.challengeId, code!)).statusCode).toBe(200);
    const impostorToken = await session('impostor.kong');
    const claimed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/enterprises',
      headers: bearer(impostorToken),
      payload: { uscc: '91320106MA1XKLW00J' },
    });
    expect(claimed.statusCode, claimed.body).toBe(201);

    // The real 孔令伟 registers (level 1: the number is held) and goes to a window with his ID card.
    const real = await register({ username: 'kong', realName: victim.name, idNumber: victim.idNumber });
    expect(real.json()).toMatchObject({ realNameLevel: 1 });
    const refused = problem(
      await proveAtWindow({ username: 'kong', person: victim, idCard: { check: 'id_card_reader' } }),
    );
    expect(refused).toMatchObject({ status: 409, code: 'identity.number_held' });
    expect(refused.errors?.[0]).toMatchObject({ pointer: '/reclaim' });
    const wrongName = problem(
      await proveAtWindow({ username: 'kong', person: { ...victim, name: '孔令武' }, idCard: { check: 'visual' } }),
    );
    expect(wrongName.errors?.[0]).toMatchObject({ pointer: '/person/name', code: 'identity.person_mismatch' });

    const done = await proveAtWindow({
      username: 'kong',
      person: victim,
      idCard: { check: 'id_card_reader', reference: '读卡 NJ-0042' },
      reclaim: true,
    });
    expect(done.statusCode, done.body).toBe(200);
    const result = done.json() as WindowProofResult;
    expect(result).toMatchObject({
      account: { username: 'kong', realNameLevel: 3, idNumber: '3201**********4126' },
      reclaimedFrom: { username: 'impostor.kong' },
    });

    // The impostor: session gone, login refused saying why, nothing left of the number or the enterprise.
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(impostorToken) })).statusCode,
    ).toBe(401);
    const login = problem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'impostor.kong', password: PASSWORD },
        remoteAddress: nextIp(),
      }),
    );
    expect(login).toMatchObject({ status: 403, code: 'auth.account_frozen' });
    const wrongPassword = problem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'impostor.kong', password: 'not-the-password' },
        remoteAddress: nextIp(),
      }),
    );
    expect(wrongPassword.code).toBe('auth.invalid_credentials');
    const frozen = await t.db.query<{ disabled: boolean; frozen_reason: string; id_number_hash: string | null }>(
      `SELECT disabled, frozen_reason, id_number_hash FROM accounts WHERE username = 'impostor.kong'`,
    );
    expect(frozen.rows[0]).toEqual({ disabled: true, frozen_reason: 'id_number_reclaimed', id_number_hash: null });

    // The holder: level 3, the enterprise's legal representative now.
    const mine = await me(await session('kong'));
    expect(mine).toMatchObject({ realNameLevel: 3, displayName: victim.name });
    expect(mine.enterprises).toEqual([
      expect.objectContaining({ creditCode: '91320106MA1XKLW00J', role: 'legal_representative' }),
    ]);

    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE subject_id IN (SELECT id::text FROM accounts WHERE username IN ('kong', 'impostor.kong'))
          OR (action = 'identity.legal_representative_changed') ORDER BY id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'identity.account_frozen',
        'identity.legal_representative_changed',
        'identity.real_name_verified',
      ]),
    );
  });

  it('binds a level-1 account at a window from the ID card, and refuses an unknown username naming it', async () => {
    const res = await proveAtWindow({
      username: 'oracle.unknown',
      person: { idNumber: '320104199005052210', name: '郑九' },
      idCard: { check: 'visual' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ account: { realNameLevel: 3 }, reclaimedFrom: null });
    const unknown = problem(
      await proveAtWindow({
        username: 'nobody.here',
        person: { idNumber: '320104199005052210', name: '郑九' },
        idCard: { check: 'visual' },
      }),
    );
    expect(unknown).toMatchObject({ status: 404 });
    expect(unknown.errors?.[0]).toMatchObject({ pointer: '/username' });
  });
});

describe('claiming an enterprise', () => {
  it('is refused to anyone the enterprise register does not name as legal representative, naming the field', async () => {
    // 王强 (level 2) is not the legal representative of 张三's noodle shop.
    const wangqiang = await t.login('wangqiang');
    const notHis = problem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/enterprises',
        headers: { ...bearer(wangqiang), 'accept-language': 'en' },
        payload: { uscc: '91320102MA2YHN1A0H' },
      }),
    );
    expect(notHis).toMatchObject({ status: 403, code: 'identity.not_legal_representative' });
    expect(notHis.errors?.[0]).toMatchObject({ pointer: '/uscc', code: 'identity.not_legal_representative' });

    const notInRegister = problem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/enterprises',
        headers: bearer(wangqiang),
        payload: { uscc: '91350100M000100Y43' },
      }),
    );
    expect(notInRegister.errors?.[0]).toMatchObject({ pointer: '/uscc', code: 'identity.uscc_not_in_register' });

    // 刘洋's company, claimed with the wrong name by 刘洋 himself (proved above as oracle.free? no: still level 1).
    const level1 = problem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/enterprises',
        headers: bearer(await session('oracle.free')),
        payload: { uscc: '91320105MA1XCJ8K2P' },
      }),
    );
    expect(level1).toMatchObject({ status: 403, code: 'identity.real_name_required' });
  });
});
