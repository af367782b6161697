// Demo data for a fresh installation: the shipped working-day calendar, the seed catalogue (real bundles of
// Jiangsu's 一件事 with their sub-items and departments), sample population and enterprise registers of invented
// people and enterprises, and one demo account per role (the persons proved from that register), with an
// enterprise and its agent and an elderly person with a family proxy; then (seedDemoApplications) one application in several
// states. Idempotent: each part is added only where it is missing,
// so a restart never duplicates or overwrites anything (and an older demo database gains the newer accounts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Services } from './app.ts';
import type { AccountSpec } from './modules/identity/index.ts';
import type { Principal } from './platform/auth.ts';
import { contextFor } from './platform/request-context.ts';

const SEED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../seed');
export const SEED_CATALOGUE = path.join(SEED_DIR, 'catalogue.json');

/**
 * The sample registers (一人一档, 一企一档): invented people with checksum-valid ID numbers, the demo persons among
 * them, and enterprises with their legal representatives. Nothing here describes a real person.
 */
export const SEED_REGISTERS = {
  population: path.join(SEED_DIR, 'population-register.csv'),
  enterprise: path.join(SEED_DIR, 'enterprise-register.csv'),
} as const;
export const SEED_REGISTER_SOURCE = 'OneThing 演示数据：虚构的人员和企业 (sample data, invented people)';
export const SEED_REGISTER_AS_OF = '2026-12-01';

/** The demo password of every demo account; README lists the accounts. Never seed demo accounts in production. */
export const DEMO_PASSWORD = 'OneThing-demo-2026';

/** The demo enterprise: registered by its legal representative 王强; 赵敏 (`jinling-foods`) is its agent (经办人). */
export const DEMO_ENTERPRISE = {
  uscc: '91320104MA1WJLFD0Y',
  name: '南京金陵餐饮有限公司',
  legalRepresentative: 'wangqiang',
  agents: ['jinling-foods'],
};

/** 王奶奶 (born 1948) has authorised her grandson 王小明 to act for her in everything, for a year. */
export const DEMO_FAMILY_PROXY = { grantor: 'wangnainai', grantee: 'wangxiaoming' };

/** The national key items the seed catalogue's bundles deliver (企业注销 and 企业开办 are not on a national list). */
export const KEY_ITEM_BUNDLES: Record<string, string> = {
  '2024-1-newborn': 'newborn',
  '2024-1-restaurant': 'restaurant-opening',
  '2024-1-hiring': 'employee-hiring',
  '2024-1-retirement': 'retirement',
  '2024-1-enterprise-change': 'enterprise-change',
  'first33-after-death': 'after-death',
};

type DemoAccount = Omit<AccountSpec, 'password'>;

// Staff phone numbers receive the one-time codes; in development the codes are read at GET /api/v1/dev/otp.
export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    username: 'admin',
    displayName: '省数据局管理员',
    kind: 'staff',
    roles: ['admin'],
    departmentCode: 'js-data-bureau',
    jurisdiction: '320000',
    phone: '13951009001',
  },
  {
    username: 'admin.wuxi',
    displayName: '无锡市数据局管理员',
    kind: 'staff',
    roles: ['admin'],
    jurisdiction: '320200',
    phone: '13951009002',
  },
  {
    username: 'reviewer.health',
    displayName: '南京市卫健委审核员',
    kind: 'staff',
    roles: ['reviewer'],
    departmentCode: 'nj-health',
    jurisdiction: '320100',
    phone: '13951009011',
  },
  {
    username: 'reviewer.police',
    displayName: '南京市公安局户政审核员',
    kind: 'staff',
    roles: ['reviewer'],
    departmentCode: 'nj-public-security',
    jurisdiction: '320100',
    phone: '13951009012',
  },
  {
    username: 'reviewer.hrss',
    displayName: '南京市人社局审核员',
    kind: 'staff',
    roles: ['reviewer'],
    departmentCode: 'nj-hrss',
    jurisdiction: '320100',
    phone: '13951009013',
  },
  {
    username: 'reviewer.medical-insurance',
    displayName: '南京市医保局审核员',
    kind: 'staff',
    roles: ['reviewer'],
    departmentCode: 'nj-medical-insurance',
    jurisdiction: '320100',
    phone: '13951009014',
  },
  {
    username: 'reviewer.market',
    displayName: '南京市市场监管局审核员',
    kind: 'staff',
    roles: ['reviewer'],
    departmentCode: 'nj-market-regulation',
    jurisdiction: '320100',
    phone: '13951009015',
  },
  {
    username: 'head.health',
    displayName: '南京市卫健委政务服务处负责人',
    kind: 'staff',
    roles: ['department_head'],
    departmentCode: 'nj-health',
    jurisdiction: '320100',
    phone: '13951009021',
  },
  {
    username: 'window.nanjing',
    displayName: '南京市政务服务中心综合窗口',
    kind: 'staff',
    roles: ['window_staff'],
    departmentCode: 'nj-data-bureau',
    jurisdiction: '320100',
    phone: '13951009031',
  },
  {
    username: 'township.qinhuai',
    displayName: '秦淮区街道便民服务中心工作人员',
    kind: 'staff',
    roles: ['township_staff'],
    jurisdiction: '320104001',
    phone: '13951009041',
  },
  {
    username: 'hotline.nanjing',
    displayName: '南京 12345 热线坐席',
    kind: 'staff',
    roles: ['hotline_agent'],
    departmentCode: 'nj-data-bureau',
    jurisdiction: '320100',
    phone: '13951009051',
  },
  {
    username: 'auditor.nanjing',
    displayName: '南京市政务服务审计员',
    kind: 'staff',
    roles: ['auditor'],
    jurisdiction: '320100',
    phone: '13951009061',
  },
  {
    username: 'zhangsan',
    displayName: '张三',
    kind: 'person',
    roles: ['applicant'],
    idNumber: '32010219880512123X',
    phone: '13951000001',
    regionCode: '320102',
  },
  {
    username: 'jinling-foods',
    displayName: '赵敏',
    kind: 'person',
    roles: ['applicant'],
    idNumber: '320104199203040624',
    phone: '13951000003',
    regionCode: '320104',
  },
  {
    username: 'wangqiang',
    displayName: '王强',
    kind: 'person',
    roles: ['applicant'],
    idNumber: '320104197609080416',
    phone: '13951000004',
    regionCode: '320104',
  },
  {
    username: 'wangnainai',
    displayName: '王奶奶',
    kind: 'person',
    roles: ['applicant'],
    idNumber: '320104194803150525',
    phone: '13951000005',
    regionCode: '320104',
  },
  {
    username: 'wangxiaoming',
    displayName: '王小明',
    kind: 'person',
    roles: ['applicant'],
    idNumber: '32010419950621031X',
    phone: '13951000006',
    regionCode: '320104',
  },
];

/** What the government already holds about the demo applicants (一人一档 / 一企一档), with its source. */
export const DEMO_PROFILES: Record<string, Array<[string, unknown, string]>> = {
  zhangsan: [
    ['person.name', '张三', '公安 人口基础信息库'],
    ['person.idNumber', '32010219880512123X', '公安 人口基础信息库'],
    ['person.phone', '13951000001', '本人实名认证'],
    ['person.householdAddress', '南京市玄武区北京东路41号', '公安 户籍信息'],
    ['spouse.name', '李梅', '民政 婚姻登记信息'],
    ['spouse.idNumber', '320106199003082347', '民政 婚姻登记信息'],
  ],
  [DEMO_ENTERPRISE.uscc]: [
    ['enterprise.name', '南京金陵餐饮有限公司', '市场监管 企业登记信息'],
    ['enterprise.uscc', '91320104MA1WJLFD0Y', '市场监管 企业登记信息'],
    ['enterprise.address', '南京市秦淮区中山南路1号', '市场监管 企业登记信息'],
    ['enterprise.legalRepresentative.name', '王强', '市场监管 企业登记信息'],
  ],
  wangnainai: [
    ['person.name', '王奶奶', '公安 人口基础信息库'],
    ['person.idNumber', '320104194803150525', '公安 人口基础信息库'],
    ['person.householdAddress', '南京市秦淮区夫子庙街道贡院街1号', '公安 户籍信息'],
  ],
};

export async function seedDemo(services: Services, log: (msg: string) => void = () => {}): Promise<void> {
  const years = await services.calendar.ensureShippedYears();
  if (years.length) log(`calendar: loaded ${years.join(', ')}`);

  const existing = await services.catalogue.listBundles({ limit: 1, offset: 0 });
  if (existing.total === 0) {
    const file = JSON.parse(fs.readFileSync(SEED_CATALOGUE, 'utf8')) as unknown;
    const summary = await services.catalogue.importCatalogue({ principal: null, requestId: 'seed' }, file);
    log(
      `catalogue: ${summary.departments} departments, ${summary.items.published} items, ${summary.bundles.published} bundles`,
    );
  }

  // Which seeded bundle delivers which national key item (migration 0010); an item an administrator has edited
  // is left as it is.
  const linked = await services.keyItems.linkSeeded(KEY_ITEM_BUNDLES);
  if (linked) log(`key items: ${linked} linked to seeded bundles`);

  const { identity, applications } = services;
  for (const [register, file] of Object.entries(SEED_REGISTERS) as Array<[keyof typeof SEED_REGISTERS, string]>) {
    const body = fs.readFileSync(file);
    if (await identity.hasImported(register, body)) continue;
    const r = await identity.importRegisterFile({ accountId: null, requestId: 'seed' }, register, body, {
      source: SEED_REGISTER_SOURCE,
      asOf: SEED_REGISTER_AS_OF,
    });
    log(`register ${register}: ${r.rows} rows (${r.created} new)`);
  }

  const added: string[] = [];
  const ensure = async (spec: AccountSpec): Promise<{ id: string; created: boolean }> => {
    const id = await identity.findAccountIdByUsername(spec.username);
    if (id) {
      // A demo database from before identity: staff need a phone for their one-time codes.
      await identity.fillMissing(id, { phone: spec.phone, idNumber: spec.idNumber, jurisdiction: spec.jurisdiction });
      return { id, created: false };
    }
    added.push(spec.username);
    return { id: await identity.createAccount(spec), created: true };
  };
  const ids = new Map<string, string>();
  for (const a of DEMO_ACCOUNTS) {
    const { id, created } = await ensure({ ...a, password: DEMO_PASSWORD });
    ids.set(a.username, id);
    // Real-name level 2, as a phone proof against the register would give (also for a demo database from before
    // identity proofing, whose persons' numbers became claims).
    if (a.kind === 'person') await identity.proveFromRegister(id);
    if (created)
      for (const [attribute, value, source] of DEMO_PROFILES[a.username] ?? [])
        await applications.setProfileAttribute({ accountId: id, attribute, value, source });
  }

  // The enterprise has no password of its own: people act for it.
  const enterprise = await ensure({
    kind: 'enterprise',
    username: DEMO_ENTERPRISE.uscc,
    displayName: DEMO_ENTERPRISE.name,
    uscc: DEMO_ENTERPRISE.uscc,
    regionCode: '320104',
    roles: ['applicant'],
  });
  if (enterprise.created)
    for (const [attribute, value, source] of DEMO_PROFILES[DEMO_ENTERPRISE.uscc] ?? [])
      await applications.setProfileAttribute({ accountId: enterprise.id, attribute, value, source });
  const representative = ids.get(DEMO_ENTERPRISE.legalRepresentative)!;
  await identity.linkAgent(enterprise.id, representative, 'legal_representative', representative);
  for (const agent of DEMO_ENTERPRISE.agents)
    await identity.linkAgent(enterprise.id, ids.get(agent)!, 'agent', representative);

  const grantor = ids.get(DEMO_FAMILY_PROXY.grantor)!;
  await identity.seedProxy({
    grantorId: grantor,
    granteeId: ids.get(DEMO_FAMILY_PROXY.grantee)!,
    kind: 'family',
    scope: { all: true },
    validUntil: new Date(Date.now() + 365 * 24 * 3600_000),
    consent: { method: 'online', recordedBy: grantor, recordedAt: new Date().toISOString() },
    createdBy: grantor,
  });

  if (added.length) log(`accounts: ${added.join(', ')}`);
}

/**
 * Applications in the demo database, so that a fresh `npm start` gives staff something to work on and the
 * dashboards something to count: 张三's newborn application (seven items for four departments, one uploaded
 * invoice and a tolerated gap), of which the health commission's reviewer has accepted the 出生医学证明 and asked
 * for a correction of the vaccination certificate. Made through the services, as the users would (each signs in
 * with the demo password, staff with their one-time code from the development sink, and signs out again), and only
 * while 张三 has no application: a restart adds nothing. Needs the development code sink (OTP_DELIVERY=dev); without
 * it nothing is made.
 */
export async function seedDemoApplications(services: Services, log: (msg: string) => void = () => {}): Promise<void> {
  const { identity, applications } = services;
  const ctx = { ip: '127.0.0.1', requestId: 'seed', userAgent: 'OneThing seed' };
  const signIn = async (username: string) => {
    const step = await identity.beginLogin(username, DEMO_PASSWORD, ctx);
    if (step.next === 'otp' && !step.devCode)
      throw new Error(`${username}: no development code sink for the one-time code`);
    const issued = step.next === 'session' ? step : await identity.verifyOtp(step.challenge.id, step.devCode!, ctx);
    return { token: issued.token, principal: { ...issued.principal, via: 'bearer' as const } };
  };
  // Signed in, or undefined with the reason logged (no development code sink, a demo account disabled …).
  const trySignIn = (username: string) =>
    signIn(username).catch((err: unknown) => {
      log(`applications: none made (${err instanceof Error ? err.message : String(err)})`);
      return undefined;
    });
  const applicant = await trySignIn('zhangsan');
  if (!applicant) return;
  try {
    if ((await applications.list(contextFor(applicant.principal, 'seed'), { limit: 1, offset: 0 })).length > 0) return;
    const reviewer = await trySignIn('reviewer.health');
    if (!reviewer) return;
    try {
      log(`applications: ${await makeDemoApplication(services, applicant.principal, reviewer.principal)}`);
    } catch (err) {
      // Demo data never stops a start: an administrator may have changed the newborn bundle since, say.
      log(`applications: not made (${err instanceof Error ? err.message : String(err)})`);
    } finally {
      await identity.logout(reviewer.token);
    }
  } finally {
    await identity.logout(applicant.token);
  }
}

/** Submits 张三's newborn application and takes two of its cases a step on; says what it made. */
async function makeDemoApplication(services: Services, applicant: Principal, reviewer: Principal): Promise<string> {
  const { applications, cases } = services;
  const birth = new Date(Date.now() - 3 * 24 * 3600_000).toISOString().slice(0, 10);
  const asApplicant = contextFor(applicant, 'seed');
  const invoice = await applications.upload(asApplicant, {
    name: '住院医疗费用票据.pdf',
    contentType: 'application/pdf',
    body: DEMO_PDF,
  });
  const { application } = await applications.submit(asApplicant, {
    bundle: 'newborn',
    answers: {
      born_in_province: true,
      parents_married: true,
      register_with: 'mother',
      claim_maternity_expenses: true,
    },
    form: {
      child: {
        name: '张小满',
        gender: 'female',
        birthDate: birth,
        birthInstitution: '南京市妇幼保健院',
        ethnicity: '汉族',
      },
      mother: { name: '李梅', idNumber: '320106199003082347', phone: '13951000002' },
      father: { name: '张三', idNumber: '32010219880512123X', phone: '13951000001' },
      household: { address: '南京市玄武区北京东路41号' },
      maternity: { bankName: '中国工商银行南京分行', bankAccount: '6222020200112233445' },
      contact: { phone: '13951000001', mailingAddress: '南京市玄武区北京东路41号' },
    },
    materials: [
      { id: 'parents-id-cards', kind: 'certificate', consent: true },
      { id: 'parents-household-register', kind: 'certificate', consent: true },
      { id: 'marriage-certificate', kind: 'certificate', consent: true },
      { id: 'maternity-medical-invoices', kind: 'upload', fileIds: [invoice.id] },
      {
        id: 'discharge-summary',
        kind: 'gap',
        commitment: '本人承诺于 7 日内补交出院小结，逾期未补交的，同意终止办理。',
      },
    ],
  });
  const byItem = new Map(application.cases.map((c) => [c.item.code, c.id]));
  const birthCertificate = byItem.get('birth-medical-certificate');
  const vaccination = byItem.get('vaccination-certificate');
  // The seed acts as the demo reviewer with no request of its own; 'seed' as request id marks its audit rows.
  const asReviewer = contextFor(reviewer, 'seed');
  if (birthCertificate) await cases.act(asReviewer, birthCertificate, { action: 'accept' });
  if (vaccination) {
    await cases.act(asReviewer, vaccination, {
      action: 'request_correction',
      problems: [{ material: 'parents-id-cards', problem: '父亲身份证影像不清晰，请重新提供' }],
      note: '请补齐后重新提交',
    });
  }
  return `${application.number} (newborn, ${application.cases.length} cases)`;
}

/** A one-page PDF for the demo application's uploaded invoice. */
const DEMO_PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('1 0 obj << >> endobj\n%%EOF\n')]);
