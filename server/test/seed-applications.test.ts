// The demo applications of a fresh `npm start` (seed.ts seedDemoApplications): made through the services once,
// in the states the seed says, visible to the applicant and to the department, and never made twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createServices } from '../src/app.ts';
import { seedDemoApplications } from '../src/seed.ts';
import { bearer, createTestDb, loginWithCode, testConfig, type TestDb } from './helpers.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.close();
});

describe('demo applications', () => {
  it('makes nothing without the development code sink (staff could not sign in)', async () => {
    const messages: string[] = [];
    await seedDemoApplications(createServices({ config: testConfig({ OTP_DELIVERY: 'outbox' }), db: t.db }), (m) =>
      messages.push(m),
    );
    expect(messages.join('\n')).toMatch(/none made/);
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM applications');
    expect(rows[0]!.n).toBe(0);
  });

  it('logs and goes on when the submission is refused (the bundle changed, say), with both sessions ended', async () => {
    const services = createServices({ config: testConfig({ OTP_DELIVERY: 'dev' }), db: t.db });
    const refusing = {
      ...services,
      applications: { ...services.applications, submit: () => Promise.reject(new Error('newborn refused')) },
    } as typeof services;
    const messages: string[] = [];
    await seedDemoApplications(refusing, (m) => messages.push(m));
    expect(messages).toEqual(['applications: not made (newborn refused)']);
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM applications');
    expect(rows[0]!.n).toBe(0);
    const live = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sessions WHERE revoked_at IS NULL`);
    expect(live.rows[0]!.n).toBe(0);
  });

  it("makes zhangsan's newborn application with one case accepted and one awaiting correction, once", async () => {
    const config = testConfig({ OTP_DELIVERY: 'dev' });
    const messages: string[] = [];
    await seedDemoApplications(createServices({ config, db: t.db }), (m) => messages.push(m));
    await seedDemoApplications(createServices({ config, db: t.db }), (m) => messages.push(m));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^applications: YJS\d{16} \(newborn, 7 cases\)$/);

    const apps = await t.db.query<{ bundle_code: string; username: string }>(
      'SELECT a.bundle_code, acc.username FROM applications a JOIN accounts acc ON acc.id = a.applicant_id',
    );
    expect(apps.rows).toEqual([{ bundle_code: 'newborn', username: 'zhangsan' }]);
    const byItem = Object.fromEntries(
      (await t.db.query<{ item_code: string; status: string }>('SELECT item_code, status FROM cases')).rows.map((r) => [
        r.item_code,
        r.status,
      ]),
    );
    expect(byItem['birth-medical-certificate']).toBe('accepted');
    expect(byItem['vaccination-certificate']).toBe('awaiting_correction');
    expect(Object.keys(byItem)).toHaveLength(7);
    // The demo users' sessions were ended again.
    const live = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sessions WHERE revoked_at IS NULL`);
    expect(live.rows[0]!.n).toBe(0);

    // The department sees them in its queue, the applicant the correction to answer.
    const app = await buildApp({ config, db: t.db, logger: false });
    try {
      const login = (username: string) => loginWithCode(app, t.db, username);
      const queue = await app.inject({
        method: 'GET',
        url: '/api/v1/cases?limit=20',
        headers: bearer(await login('reviewer.health')),
      });
      expect(queue.headers['x-total-count']).toBe('3');
      const mine = (
        await app.inject({ method: 'GET', url: '/api/v1/applications', headers: bearer(await login('zhangsan')) })
      ).json() as unknown[];
      expect(mine).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
