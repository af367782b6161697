// The complete newborn submission the benchmark sends (the same answers, form and materials as
// server/test/intake.test.ts): seven items for four departments, one uploaded file, one tolerated gap.

export const NEWBORN_ANSWERS = {
  born_in_province: true,
  parents_married: true,
  register_with: 'mother',
  claim_maternity_expenses: true,
};

/** The shared form; the child was born a few days before the submission. */
export function newbornForm(birthDate: string) {
  return {
    child: { name: '张小宝', gender: 'male', birthDate, birthInstitution: '南京市妇幼保健院', ethnicity: '汉族' },
    mother: { name: '李梅', idNumber: '320106199003082347', phone: '13951000002' },
    father: { name: '张三', idNumber: '32010219880512123X', phone: '13951000001' },
    household: { address: '南京市玄武区北京东路41号' },
    maternity: { bankName: '中国工商银行南京分行', bankAccount: '6222020200112233445' },
    contact: { phone: '13951000001', mailingAddress: '南京市玄武区北京东路41号' },
  };
}

export function newbornMaterials(uploadedFileId: string) {
  return [
    { id: 'parents-id-cards', kind: 'certificate', consent: true },
    { id: 'parents-household-register', kind: 'certificate', consent: true },
    { id: 'marriage-certificate', kind: 'certificate', consent: true },
    { id: 'maternity-medical-invoices', kind: 'upload', fileIds: [uploadedFileId] },
    { id: 'discharge-summary', kind: 'gap', commitment: '本人承诺于 7 日内补交出院小结，逾期未补交的，同意终止办理。' },
  ];
}

export function newbornSubmission(uploadedFileId: string, birthDate: string, version: number) {
  return {
    bundle: 'newborn',
    version,
    answers: NEWBORN_ANSWERS,
    form: newbornForm(birthDate),
    materials: newbornMaterials(uploadedFileId),
  };
}

/** A small valid PDF to upload as the maternity invoices. */
export const SAMPLE_PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('1 0 obj << >> endobj\n%%EOF\n')]);

/** YYYY-MM-DD, `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
