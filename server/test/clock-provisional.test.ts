// Late in a year, clocks run into the next one before the State Council's holiday notice for it is loaded (it is
// published in November, and a case accepted on 31 December ends in January). The clock then counts that year by
// the statutory solar-date holidays, marks the dates provisional, and computes them again from the notice once an
// administrator loads it: the due date moves, the case's timeline and the audit log say so, and the applicant is told.
import type { ApplicationView } from '@onething/shared/applications';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/platform/clock.ts';
import { verifyAuditChain } from '../src/ops/audit-verify.ts';
import {
  bearer,
  createTestApp,
  NEWBORN_FORM,
  NEWBORN_MATERNITY_ANSWERS,
  NEWBORN_MATERNITY_FORM,
  type TestApp,
} from './helpers.ts';

const clock = fixedClock('2026-12-31'); // a Thursday; 2027-01-01 is 元旦 by statute
let t: TestApp;
const H: Record<string, Record<string, string>> = {};

const call = (user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: H[user], ...(payload !== undefined ? { payload: payload as object } : {}) });

beforeAll(async () => {
  t = await createTestApp({ clock });
  for (const u of ['zhangsan', 'reviewer.health', 'admin']) H[u] = bearer(await t.login(u));
});
afterAll(async () => t?.close());

describe('a clock that runs into a year whose notice is not loaded', () => {
  let app: ApplicationView;
  const cert = () => app.cases.find((c) => c.item.code === 'birth-medical-certificate')!;
  const refresh = async () => {
    app = (await call('zhangsan', 'GET', `/api/v1/applications/${app.id}`)).json() as ApplicationView;
  };

  it('accepts a submission on 31 December with provisional dates in January', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/files',
      headers: { ...H.zhangsan, 'content-type': 'application/pdf', 'x-file-name': 'invoice.pdf' },
      payload: pdf,
    });
    expect(up.statusCode, up.body).toBe(201);
    const res = await call('zhangsan', 'POST', '/api/v1/applications', {
      bundle: 'newborn',
      answers: NEWBORN_MATERNITY_ANSWERS,
      // A daughter born on 20 December, eleven days before the submission.
      form: {
        ...NEWBORN_MATERNITY_FORM,
        child: { ...NEWBORN_FORM.child, name: '张元元', gender: 'female', birthDate: '2026-12-20' },
      },
      materials: [
        { id: 'parents-id-cards', kind: 'certificate', consent: true },
        { id: 'parents-household-register', kind: 'certificate', consent: true },
        { id: 'marriage-certificate', kind: 'certificate', consent: true },
        { id: 'maternity-medical-invoices', kind: 'upload', fileIds: [(up.json() as { id: string }).id] },
        { id: 'discharge-summary', kind: 'upload', fileIds: [(up.json() as { id: string }).id] },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    app = res.json() as ApplicationView;
    // 1 + 2 + 2 working days from Thu 12-31, with 1 January a holiday: Mon 01-04, Wed 01-06, Fri 01-08.
    expect(app.promisedDate).toBe('2027-01-08');
    expect(app.promisedDateProvisional).toBe(true);
  });

  it('gives the accepted case a provisional due date', async () => {
    const res = await call('reviewer.health', 'POST', `/api/v1/cases/${cert().id}/actions`, { action: 'accept' });
    expect(res.statusCode, res.body).toBe(200);
    await refresh();
    expect(cert()).toMatchObject({ status: 'accepted', dueDate: '2027-01-04', dueDateProvisional: true });
  });

  it('moves the due date when the notice is loaded, with an event, an audit row and a notice to the applicant', async () => {
    // A test notice (not the real one): 1–4 January off, so the certificate's one working day ends on the 5th.
    const notice = {
      year: 2027,
      source: { title: '测试用 2027 年节假日安排（非官方）', published: '2026-11-01' },
      holidays: [
        {
          name: { zh: '元旦', en: "New Year's Day" },
          days: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'],
          adjustedWorkdays: [],
        },
      ],
    };
    expect((await call('admin', 'PUT', '/api/v1/admin/calendar/years/2027', notice)).statusCode).toBe(200);
    const first = await t.app.services.cases.sweep();
    expect(first.recomputed).toBe(1);
    await refresh();
    expect(cert()).toMatchObject({ dueDate: '2027-01-05', dueDateProvisional: false });
    expect(app.promisedDate).toBe('2027-01-11');
    expect(app.promisedDateProvisional).toBe(false);
    expect(cert().timeline.at(-1)).toMatchObject({
      action: 'due_recomputed',
      data: { fromDue: '2027-01-04', toDue: '2027-01-05' },
    });
    const inbox = (await call('zhangsan', 'GET', '/api/v1/notifications')).json() as
      | Array<{ kind: string }>
      | { items: Array<{ kind: string }> };
    const kinds = (Array.isArray(inbox) ? inbox : inbox.items).map((n) => n.kind);
    expect(kinds).toContain('case.due_recomputed');
    // Once is enough: a second sweep finds nothing left to recompute.
    expect((await t.app.services.cases.sweep()).recomputed).toBe(0);
    const audit = await verifyAuditChain(t.db);
    expect(audit.brokenCount, JSON.stringify(audit.broken)).toBe(0);
    expect(audit.rows).toBeGreaterThan(0);
  });
});
