// Data of the newborn journey (the demo account zhangsan and his spouse 李梅, as seeded) and the department
// side of a 补正 round, driven through the API.
import { api, login, PDF } from './harness.ts';

export const ANSWERS = {
  born_in_province: true,
  parents_married: true,
  register_with: 'mother',
  claim_maternity_expenses: true,
};

export const FORM = {
  child: {
    name: '张小宝',
    gender: 'male',
    birthDate: '2026-11-20',
    birthInstitution: '南京市妇幼保健院',
    ethnicity: '汉族',
  },
  mother: { name: '李梅', idNumber: '320106199003082347', phone: '13951000002' },
  father: { name: '张三', idNumber: '32010219880512123X', phone: '13951000001' },
  household: { address: '南京市玄武区北京东路41号' },
  maternity: { bankName: '中国工商银行南京分行', bankAccount: '6222020200112233445' },
  contact: { phone: '13951000001', mailingAddress: '南京市玄武区北京东路41号' },
};

export interface AppView {
  id: string;
  number: string;
  cases: Array<{ id: string; item: { code: string }; status: string }>;
}

/** A newborn application submitted by zhangsan through the API. */
export async function submitNewborn(base: string): Promise<{ app: AppView; token: string }> {
  const token = await login(base, 'zhangsan');
  const file = await api<{ id: string }>(base, token, 'POST', '/api/v1/files', new Uint8Array(PDF), {
    'content-type': 'application/pdf',
    'x-file-name': encodeURIComponent('分娩费用票据.pdf'),
  });
  const materials = [
    { id: 'parents-id-cards', kind: 'certificate', consent: true },
    { id: 'parents-household-register', kind: 'certificate', consent: true },
    { id: 'marriage-certificate', kind: 'certificate', consent: true },
    { id: 'maternity-medical-invoices', kind: 'upload', fileIds: [file.id] },
    { id: 'discharge-summary', kind: 'gap', commitment: '本人承诺补交出院小结。承诺人：张三' },
  ];
  const app = await api<AppView>(
    base,
    token,
    'POST',
    '/api/v1/applications',
    { bundle: 'newborn', answers: ANSWERS, form: FORM, materials },
    { 'idempotency-key': `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}` },
  );
  return { app, token };
}

/**
 * The departments' side: the health commission issues the birth certificate, which releases the household
 * registration; the police accept it and ask, in one notice, for two corrections.
 */
export async function requestCorrection(base: string, app: AppView): Promise<void> {
  const byItem = (code: string) => app.cases.find((c) => c.item.code === code)!.id;
  const health = await login(base, 'reviewer.health');
  const bmc = byItem('birth-medical-certificate');
  for (const body of [
    { action: 'accept' },
    { action: 'start_review' },
    { action: 'decide', decision: 'approve' },
    { action: 'conclude' },
  ]) {
    await api(base, health, 'POST', `/api/v1/cases/${bmc}/actions`, body);
  }
  const police = await login(base, 'reviewer.police');
  const hukou = byItem('household-registration');
  await api(base, police, 'POST', `/api/v1/cases/${hukou}/actions`, { action: 'accept' });
  await api(base, police, 'POST', `/api/v1/cases/${hukou}/actions`, { action: 'start_review' });
  await api(base, police, 'POST', `/api/v1/cases/${hukou}/actions`, {
    action: 'request_correction',
    problems: [
      { material: 'parents-household-register', problem: '户口簿首页影像不清晰，请重新提供' },
      { material: 'parents-id-cards', problem: '父亲身份证已过有效期，请上传新证件' },
    ],
    note: '请一次补齐以上材料',
  });
}
