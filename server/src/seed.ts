// Demo data for a fresh installation: the shipped working-day calendar, the seed catalogue (real bundles of
// Jiangsu's 一件事 with their sub-items and departments) and one demo account per role. Idempotent: each part
// is added only where it is missing, so a restart never duplicates or overwrites anything.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Services } from './app.ts';
import type { Role } from './platform/auth.ts';

export const SEED_CATALOGUE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../seed/catalogue.json');

/** The demo password of every demo account; README lists the accounts. Never seed demo accounts in production. */
export const DEMO_PASSWORD = 'OneThing-demo-2026';

export const DEMO_ACCOUNTS: Array<{ username: string; displayName: string; kind: 'person' | 'enterprise' | 'staff'; roles: Role[]; departmentCode?: string; regionCode?: string }> = [
  { username: 'admin', displayName: '省数据局管理员', kind: 'staff', roles: ['admin'], departmentCode: 'js-data-bureau', regionCode: '320000' },
  { username: 'reviewer.health', displayName: '南京市卫健委审核员', kind: 'staff', roles: ['reviewer'], departmentCode: 'nj-health', regionCode: '320100' },
  { username: 'reviewer.police', displayName: '南京市公安局户政审核员', kind: 'staff', roles: ['reviewer'], departmentCode: 'nj-public-security', regionCode: '320100' },
  { username: 'reviewer.hrss', displayName: '南京市人社局审核员', kind: 'staff', roles: ['reviewer'], departmentCode: 'nj-hrss', regionCode: '320100' },
  { username: 'reviewer.medical-insurance', displayName: '南京市医保局审核员', kind: 'staff', roles: ['reviewer'], departmentCode: 'nj-medical-insurance', regionCode: '320100' },
  { username: 'window.nanjing', displayName: '南京市政务服务中心综合窗口', kind: 'staff', roles: ['window_staff'], departmentCode: 'nj-data-bureau', regionCode: '320100' },
  { username: 'zhangsan', displayName: '张三', kind: 'person', roles: ['applicant'] },
  { username: 'jinling-foods', displayName: '南京金陵餐饮有限公司（经办人）', kind: 'enterprise', roles: ['enterprise_agent'], regionCode: '320100' },
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
  'jinling-foods': [
    ['enterprise.name', '南京金陵餐饮有限公司', '市场监管 企业登记信息'],
    ['enterprise.uscc', '91320104MA1WJLFD0Y', '市场监管 企业登记信息'],
    ['enterprise.address', '南京市秦淮区中山南路1号', '市场监管 企业登记信息'],
    ['enterprise.legalRepresentative.name', '王强', '市场监管 企业登记信息'],
  ],
};

export async function seedDemo(services: Services, log: (msg: string) => void = () => {}): Promise<void> {
  const years = await services.calendar.ensureShippedYears();
  if (years.length) log(`calendar: loaded ${years.join(', ')}`);

  const existing = await services.catalogue.listBundles({ limit: 1, offset: 0 });
  if (existing.total === 0) {
    const file = JSON.parse(fs.readFileSync(SEED_CATALOGUE, 'utf8')) as unknown;
    const summary = await services.catalogue.importCatalogue(file, { accountId: null, requestId: 'seed' });
    log(`catalogue: ${summary.departments} departments, ${summary.items.published} items, ${summary.bundles.published} bundles`);
  }

  if ((await services.identity.countAccounts()) === 0) {
    for (const a of DEMO_ACCOUNTS) {
      const id = await services.identity.createAccount({ ...a, password: DEMO_PASSWORD });
      for (const [attribute, value, source] of DEMO_PROFILES[a.username] ?? []) await services.applications.setProfileAttribute(id, attribute, value, source);
    }
    log(`accounts: ${DEMO_ACCOUNTS.map((a) => a.username).join(', ')}`);
  }
}
