// The reviewer's view of a case's materials (issue #6: "materials with a viewer"): how each material serving the
// case's item was given, and the uploaded files' bytes through GET /api/v1/cases/:id/files/:fileId — for the
// department reviewing that case only; another department, a file not among the case's materials and anyone
// without cases.review get nothing.
import crypto from 'node:crypto';
import type { ApplicationView } from '@onething/shared/applications';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '@onething/shared/cases';
import { fixedClock } from '../src/platform/clock.ts';
import {
  createTestApp,
  loginHeaders,
  NEWBORN_MATERNITY_ANSWERS as ANSWERS,
  NEWBORN_MATERNITY_FORM as FORM,
  problem,
  uploadFile,
  type TestApp,
} from './helpers.ts';

const clock = fixedClock('2026-03-02');
let t: TestApp;
const H: Record<string, Record<string, string>> = {};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

async function call(user: string, url: string) {
  return t.app.inject({ method: 'GET', url, headers: H[user] });
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
let invoice: string;
let summary: string;
let stray: string;
const caseOf: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ clock });
  Object.assign(
    H,
    await loginHeaders(t, ['zhangsan', 'reviewer.health', 'reviewer.medical-insurance', 'hotline.nanjing'], {
      'accept-language': 'en',
    }),
  );
  invoice = await uploadFile(t, H.zhangsan!, PDF, 'application/pdf', '分娩费用票据 (1).pdf');
  summary = await uploadFile(t, H.zhangsan!, PNG, 'image/png', 'discharge.png');
  stray = await uploadFile(t, H.zhangsan!, PDF, 'application/pdf', 'not-submitted.pdf');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/applications',
    headers: H.zhangsan,
    payload: {
      bundle: 'newborn',
      answers: ANSWERS,
      form: FORM,
      materials: [
        { id: 'parents-id-cards', kind: 'certificate', consent: true },
        { id: 'parents-household-register', kind: 'certificate', consent: true },
        { id: 'marriage-certificate', kind: 'certificate', consent: true },
        { id: 'maternity-medical-invoices', kind: 'upload', fileIds: [invoice] },
        { id: 'discharge-summary', kind: 'upload', fileIds: [summary] },
      ],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  for (const c of (res.json() as ApplicationView).cases) caseOf[c.item.code] = c.id;
});
afterAll(async () => t?.close());

describe('the materials of a case', () => {
  it('lists, for the maternity reimbursement, each material serving it with its uploaded files', async () => {
    const res = await call('reviewer.medical-insurance', `/api/v1/cases/${caseOf['maternity-expense-reimbursement']}`);
    expect(res.statusCode, res.body).toBe(200);
    const materials = (res.json() as CaseView).materials;
    expect(materials.map((m) => [m.id, m.given])).toEqual([
      ['maternity-medical-invoices', 'upload'],
      ['discharge-summary', 'upload'],
    ]);
    expect(materials[0]!.files).toEqual([
      { id: invoice, name: '分娩费用票据 (1).pdf', contentType: 'application/pdf', size: PDF.length },
    ]);
    expect(materials[1]!.files).toEqual([
      { id: summary, name: 'discharge.png', contentType: 'image/png', size: PNG.length },
    ]);
    expect(materials[0]!.name.zh).toBeTruthy();
  });

  it('says which were e-certificates by consent and which an earlier item produces', async () => {
    const birth = (
      await call('reviewer.health', `/api/v1/cases/${caseOf['birth-medical-certificate']}`)
    ).json() as CaseView;
    expect(birth.materials.map((m) => [m.id, m.given, m.certificateType])).toEqual([
      ['parents-id-cards', 'certificate', 'resident-id-card'],
      ['parents-household-register', 'certificate', 'household-register'],
      ['marriage-certificate', 'certificate', 'marriage-certificate'],
    ]);
    expect(birth.materials.every((m) => m.files.length === 0)).toBe(true);
    const household = (await call('zhangsan', `/api/v1/cases/${caseOf['household-registration']}`)).json() as CaseView;
    expect(household.materials.find((m) => m.id === 'newborn-birth-medical-certificate')?.given).toBe('produced');
  });

  it("gives the reviewer the file's bytes as uploaded, inline, not cached, and audits the read", async () => {
    for (const [id, body, type] of [
      [invoice, PDF, 'application/pdf'],
      [summary, PNG, 'image/png'],
    ] as const) {
      const res = await call(
        'reviewer.medical-insurance',
        `/api/v1/cases/${caseOf['maternity-expense-reimbursement']}/files/${id}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(sha256(res.rawPayload)).toBe(sha256(body));
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('private, no-store');
    }
    const res = await call(
      'reviewer.medical-insurance',
      `/api/v1/cases/${caseOf['maternity-expense-reimbursement']}/files/${invoice}`,
    );
    expect(res.headers['content-disposition']).toBe(
      `inline; filename*=UTF-8''${encodeURIComponent('分娩费用票据 ')}%281%29.pdf`,
    );
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'file.read' AND subject_id = $1`,
      [invoice],
    );
    expect(rows[0]!.n).toBe(2);
  });

  it("is not found for another department's reviewer, for a file not among the case's materials, and forbidden without cases.review", async () => {
    const maternity = caseOf['maternity-expense-reimbursement'];
    // Another department: the case does not exist for them.
    expect(problem(await call('reviewer.health', `/api/v1/cases/${maternity}/files/${invoice}`))).toMatchObject({
      status: 404,
      code: 'cases.not_found',
    });
    // The health reviewer's own case, but the invoice serves another item of the application.
    expect(
      problem(await call('reviewer.health', `/api/v1/cases/${caseOf['birth-medical-certificate']}/files/${invoice}`)),
    ).toMatchObject({ status: 404, code: 'cases.file_not_found' });
    // The applicant's upload that was never submitted, and a file id that does not exist.
    expect(
      problem(await call('reviewer.medical-insurance', `/api/v1/cases/${maternity}/files/${stray}`)),
    ).toMatchObject({ status: 404, code: 'cases.file_not_found' });
    expect(
      problem(await call('reviewer.medical-insurance', `/api/v1/cases/${maternity}/files/${crypto.randomUUID()}`)),
    ).toMatchObject({ status: 404, code: 'cases.file_not_found' });
    // The applicant and read-only staff do not review cases.
    expect((await call('zhangsan', `/api/v1/cases/${maternity}/files/${invoice}`)).statusCode).toBe(403);
    expect((await call('hotline.nanjing', `/api/v1/cases/${maternity}/files/${invoice}`)).statusCode).toBe(403);
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'file.read' AND subject_id = $1`,
      [stray],
    );
    expect(rows[0]!.n).toBe(0);
  });
});
