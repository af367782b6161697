// The reviewer's view of a case's materials (issue #6: "materials with a viewer"): how each material serving the
// case's item was given, and the uploaded files' bytes through GET /api/v1/cases/:id/files/:fileId — for the
// department reviewing that case only; another department, a file not among the case's materials and anyone
// without cases.review get nothing.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/platform/clock.ts';
import { bearer, createTestApp, problem, type TestApp } from './helpers.ts';

const clock = fixedClock('2026-03-02');
let t: TestApp;
const H: Record<string, Record<string, string>> = {};

const ANSWERS = { born_in_province: true, parents_married: true, register_with: 'mother', claim_maternity_expenses: true };
const FORM = {
  child: { name: '张小宝', gender: 'male', birthDate: '2026-02-20', birthInstitution: '南京市妇幼保健院', ethnicity: '汉族' },
  mother: { name: '李梅', idNumber: '320106199003082347', phone: '13951000002' },
  father: { name: '张三', idNumber: '32010219880512123X', phone: '13951000001' },
  household: { address: '南京市玄武区北京东路41号' },
  maternity: { bankName: '中国工商银行南京分行', bankAccount: '6222020200112233445' },
  contact: { phone: '13951000001', mailingAddress: '南京市玄武区北京东路41号' },
};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface Material {
  id: string;
  name: { zh: string; en: string };
  given: string;
  certificateType: string | null;
  files: Array<{ id: string; name: string; contentType: string; size: number }>;
  commitment: string | null;
}

async function call(user: string, url: string) {
  return t.app.inject({ method: 'GET', url, headers: H[user] });
}

async function upload(user: string, body: Buffer, type: string, name: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...H[user], 'content-type': type, 'x-file-name': encodeURIComponent(name) }, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
let invoice: string;
let summary: string;
let stray: string;
const caseOf: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ clock });
  for (const u of ['zhangsan', 'reviewer.health', 'reviewer.medical-insurance', 'hotline.nanjing']) H[u] = { ...bearer(await t.login(u)), 'accept-language': 'en' };
  invoice = await upload('zhangsan', PDF, 'application/pdf', '分娩费用票据 (1).pdf');
  summary = await upload('zhangsan', PNG, 'image/png', 'discharge.png');
  stray = await upload('zhangsan', PDF, 'application/pdf', 'not-submitted.pdf');
  const res = await t.app.inject({
    method: 'POST', url: '/api/v1/applications', headers: H.zhangsan,
    payload: {
      bundle: 'newborn', answers: ANSWERS, form: FORM,
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
  for (const c of (res.json() as { cases: Array<{ id: string; item: { code: string } }> }).cases) caseOf[c.item.code] = c.id;
});
afterAll(async () => t?.close());

describe('the materials of a case', () => {
  it('lists, for the maternity reimbursement, each material serving it with its uploaded files', async () => {
    const res = await call('reviewer.medical-insurance', `/api/v1/cases/${caseOf['maternity-expense-reimbursement']}`);
    expect(res.statusCode, res.body).toBe(200);
    const materials = (res.json() as { materials: Material[] }).materials;
    expect(materials.map((m) => [m.id, m.given])).toEqual([['maternity-medical-invoices', 'upload'], ['discharge-summary', 'upload']]);
    expect(materials[0]!.files).toEqual([{ id: invoice, name: '分娩费用票据 (1).pdf', contentType: 'application/pdf', size: PDF.length }]);
    expect(materials[1]!.files).toEqual([{ id: summary, name: 'discharge.png', contentType: 'image/png', size: PNG.length }]);
    expect(materials[0]!.name.zh).toBeTruthy();
  });

  it('says which were e-certificates by consent and which an earlier item produces', async () => {
    const birth = (await call('reviewer.health', `/api/v1/cases/${caseOf['birth-medical-certificate']}`)).json() as { materials: Material[] };
    expect(birth.materials.map((m) => [m.id, m.given, m.certificateType])).toEqual([
      ['parents-id-cards', 'certificate', 'resident-id-card'],
      ['parents-household-register', 'certificate', 'household-register'],
      ['marriage-certificate', 'certificate', 'marriage-certificate'],
    ]);
    expect(birth.materials.every((m) => m.files.length === 0)).toBe(true);
    const household = (await call('zhangsan', `/api/v1/cases/${caseOf['household-registration']}`)).json() as { materials: Material[] };
    expect(household.materials.find((m) => m.id === 'newborn-birth-medical-certificate')?.given).toBe('produced');
  });

  it("gives the reviewer the file's bytes as uploaded, inline, not cached, and audits the read", async () => {
    for (const [id, body, type] of [[invoice, PDF, 'application/pdf'], [summary, PNG, 'image/png']] as const) {
      const res = await call('reviewer.medical-insurance', `/api/v1/cases/${caseOf['maternity-expense-reimbursement']}/files/${id}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(sha256(res.rawPayload)).toBe(sha256(body));
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('private, no-store');
    }
    const res = await call('reviewer.medical-insurance', `/api/v1/cases/${caseOf['maternity-expense-reimbursement']}/files/${invoice}`);
    expect(res.headers['content-disposition']).toBe(`inline; filename*=UTF-8''${encodeURIComponent('分娩费用票据 ')}%281%29.pdf`);
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'file.read' AND subject_id = $1`, [invoice]);
    expect(rows[0]!.n).toBe(2);
  });

  it("is not found for another department's reviewer, for a file not among the case's materials, and forbidden without cases.review", async () => {
    const maternity = caseOf['maternity-expense-reimbursement'];
    // Another department: the case does not exist for them.
    expect(problem(await call('reviewer.health', `/api/v1/cases/${maternity}/files/${invoice}`))).toMatchObject({ status: 404, code: 'cases.not_found' });
    // The health reviewer's own case, but the invoice serves another item of the application.
    expect(problem(await call('reviewer.health', `/api/v1/cases/${caseOf['birth-medical-certificate']}/files/${invoice}`))).toMatchObject({ status: 404, code: 'cases.file_not_found' });
    // The applicant's upload that was never submitted, and a file id that does not exist.
    expect(problem(await call('reviewer.medical-insurance', `/api/v1/cases/${maternity}/files/${stray}`))).toMatchObject({ status: 404, code: 'cases.file_not_found' });
    expect(problem(await call('reviewer.medical-insurance', `/api/v1/cases/${maternity}/files/${crypto.randomUUID()}`))).toMatchObject({ status: 404, code: 'cases.file_not_found' });
    // The applicant and read-only staff do not review cases.
    expect((await call('zhangsan', `/api/v1/cases/${maternity}/files/${invoice}`)).statusCode).toBe(403);
    expect((await call('hotline.nanjing', `/api/v1/cases/${maternity}/files/${invoice}`)).statusCode).toBe(403);
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'file.read' AND subject_id = $1`, [stray]);
    expect(rows[0]!.n).toBe(0);
  });
});
