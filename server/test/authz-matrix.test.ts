// The authorisation matrix: every API route × every role × { own, other's, other jurisdiction }, with the status
// each must get. Generated from app.apiRoutes: the test fails when a route has no row here, and when a row names a
// route that no longer exists, so a new route cannot ship without saying who may call it.
//
// Adding a route: add a row to MATRIX under 'METHOD /api/v1/path' (as Fastify spells it, with :params):
//   - `request(f, who, target)` builds the request. Routes about one resource (an application, a case, an
//     account …) get a target: 'own' (the role's own resource: its application, its department's case in its
//     jurisdiction), 'other' (someone else's, another department's) or 'otherJurisdiction' (its kind of resource
//     outside its jurisdiction). Return null where the role has no such resource; the cell must then say NA.
//     Creating and acting routes get a complete, valid body wherever a service checks more than the route's
//     permission (an owner, a jurisdiction): the check runs only on such a body, and a caller wrongly let through
//     then gets 2xx. Otherwise prefer requests that prove access without changing what later rows use (an action
//     the case's state refuses; an invalid body only where the permission is the whole rule, as for province-wide
//     ones); set `fresh: true` when a cell changes its session.
//   - `expect` gives each role a status, or [own, other, otherJurisdiction] for resource routes. The helpers
//     below keep rows short: open(s) for everyone, signedIn(s) for every signed-in role, only(s, {...}) for
//     "403 except these".
// A GET route that lists rows goes into LISTS too (how to tell the caller's rows), or into NOT_OWNED with the
// reason it lists nothing of anyone's.
// The fixtures (beforeAll) create the resources: read them before adding a kind of resource.
import type { ApplicationView, Guidance, UploadedFile } from '@onething/shared/applications';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../src/modules/identifiers/identifiers.domain.ts';
import { isWithinJurisdiction, SESSION_COOKIE } from '../src/platform/auth.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { bearer, createTestApp, loginWithCode, NEWBORN_ANSWERS, NEWBORN_FORM, type TestApp } from './helpers.ts';

const WHO = [
  'anonymous',
  'applicant',
  'enterprise_agent',
  'window_staff',
  'township_staff',
  'reviewer',
  'department_head',
  'hotline_agent',
  'admin',
  'city_admin',
  'auditor',
] as const;
type Who = (typeof WHO)[number];
type Target = 'own' | 'other' | 'otherJurisdiction';
const TARGETS: Target[] = ['own', 'other', 'otherJurisdiction'];

/** Who plays each role: a demo account (seed.ts); the enterprise agent acts for 南京金陵餐饮有限公司. */
const PLAYERS: Record<Exclude<Who, 'anonymous'>, string> = {
  applicant: 'zhangsan',
  enterprise_agent: 'jinling-foods',
  window_staff: 'window.nanjing',
  township_staff: 'township.qinhuai',
  reviewer: 'reviewer.health',
  department_head: 'head.health',
  hotline_agent: 'hotline.nanjing',
  admin: 'admin',
  city_admin: 'admin.wuxi',
  auditor: 'auditor.nanjing',
};

const NA = '—';
type Status = number | typeof NA;
type Cell = Status | readonly [own: Status, other: Status, otherJurisdiction: Status];
type Expectation = Record<Who, Cell>;

interface Req {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

interface Row {
  request(f: Fixtures, who: Who, target: Target | null): Req | null | Promise<Req | null>;
  /** Each cell runs in a new session of its role (the request changes the session: logout, acting-as). */
  fresh?: boolean;
  expect: Expectation;
}

/** Everyone, signed in or not, gets `status`. */
const open = (status: number): Expectation => Object.fromEntries(WHO.map((w) => [w, status])) as Expectation;
/** Every signed-in role gets `status`; anonymous callers 401. */
const signedIn = (status: Cell): Expectation => ({
  ...(Object.fromEntries(WHO.map((w) => [w, status])) as Expectation),
  anonymous: 401,
});
/** 403 for every signed-in role except those given; anonymous callers 401. */
const only = (cells: Partial<Expectation>): Expectation => ({ ...signedIn(403), ...cells });
/** Every role of `e` with the same cell for its targets. */
const forEachTarget = (e: Expectation, cell: Cell): Expectation =>
  Object.fromEntries(Object.keys(e).map((w) => [w, cell])) as Expectation;

interface Fixtures {
  tokens: Record<Exclude<Who, 'anonymous'>, string>;
  enterprise: { jinling: string; zhangsanCo: string };
  apps: { zhangsan: string; enterprise: string; zhangsanWithdrawn: string; enterpriseWithdrawn: string };
  cases: { health: string; police: string; market: string; healthWuxi: string };
  /** Uploaded files of cases (after-death's 逝者身份证明 serves nj-health's and the police's items), same places as `cases`. */
  caseFiles: {
    health: { case: string; file: string };
    police: { case: string; file: string };
    healthWuxi: { case: string; file: string };
  };
  drafts: { zhangsan: string; enterprise: string };
  accounts: Record<string, string>;
  notifications: Partial<Record<string, string>>;
  /** A new proxy the role is party to (to revoke or act under), or null. */
  proxyFor(who: Who): Promise<string | null>;
  seededProxy: string;
  /** SSO clients: Nanjing's (320100), Wuxi's (320200), Wuxi's first-party one, and one of Zhejiang (330100). */
  ssoClients: { nanjing: string; wuxi: string; wuxiFirstParty: string; zhejiang: string };
  /** A new (non-first-party) SSO client in a jurisdiction, for cells that remove one. */
  newSsoClient(jurisdiction: string): Promise<string>;
}

/** The subject a role owns things as. */
const OWNER: Partial<Record<Who, 'zhangsan' | 'enterprise'>> = {
  applicant: 'zhangsan',
  enterprise_agent: 'enterprise',
};
const otherOwner = (who: Who): 'zhangsan' | 'enterprise' => (who === 'applicant' ? 'enterprise' : 'zhangsan');
const READERS: Who[] = ['hotline_agent', 'auditor'];
const DEPARTMENT: Who[] = ['reviewer', 'department_head'];

function application(f: Fixtures, who: Who, target: Target | null, kind: 'main' | 'withdrawn' = 'main'): string | null {
  const pick = (o: 'zhangsan' | 'enterprise') =>
    kind === 'main' ? f.apps[o] : f.apps[o === 'zhangsan' ? 'zhangsanWithdrawn' : 'enterpriseWithdrawn'];
  if (target === null) return pick('zhangsan');
  if (target === 'own') return OWNER[who] ? pick(OWNER[who]) : null;
  if (target === 'other') return pick(otherOwner(who));
  return null;
}

function draftOwner(who: Who, target: Target | null): 'zhangsan' | 'enterprise' | null {
  if (target === null) return 'zhangsan';
  if (target === 'own') return OWNER[who] ?? null;
  if (target === 'other') return otherOwner(who);
  return null;
}

function draft(f: Fixtures, who: Who, target: Target | null): string | null {
  const owner = draftOwner(who, target);
  return owner ? f.drafts[owner] : null;
}

/** A new draft of the owner draft() would pick (for a row that deletes one, so that every run has one to delete). */
async function spareDraft(f: Fixtures, who: Who, target: Target | null): Promise<string | null> {
  const owner = draftOwner(who, target);
  if (!owner) return null;
  const token = owner === 'zhangsan' ? f.tokens.applicant : f.tokens.enterprise_agent;
  const res = await send(token, { method: 'POST', url: '/api/v1/application-drafts', payload: { bundle: 'newborn' } });
  return (res.json() as { id: string }).id;
}

/** Cases: 'health' is nj-health's in Nanjing (320100); 'healthWuxi' the same department's in 滨湖区, Wuxi (320211). */
function kase(f: Fixtures, who: Who, target: Target | null): string | null {
  if (target === null) return f.cases.health;
  if (target === 'own') {
    if (who === 'enterprise_agent') return f.cases.market;
    return who === 'applicant' || DEPARTMENT.includes(who) || READERS.includes(who) ? f.cases.health : null;
  }
  if (target === 'other') {
    if (who === 'applicant') return f.cases.market;
    if (who === 'enterprise_agent') return f.cases.health;
    return DEPARTMENT.includes(who) ? f.cases.police : null;
  }
  if (DEPARTMENT.includes(who) || READERS.includes(who)) return f.cases.healthWuxi;
  return who === 'township_staff' ? f.cases.health : null;
}

/** A case's uploaded file as kase() places cases: its department's reviewers in Nanjing, another department's, Wuxi. */
function caseFile(f: Fixtures, who: Who, target: Target | null): string | null {
  const at = (k: { case: string; file: string }) => `/api/v1/cases/${k.case}/files/${k.file}`;
  if (target === null) return at(f.caseFiles.health);
  if (target === 'own') return DEPARTMENT.includes(who) ? at(f.caseFiles.health) : null;
  if (target === 'other') return DEPARTMENT.includes(who) ? at(f.caseFiles.police) : null;
  if (DEPARTMENT.includes(who)) return at(f.caseFiles.healthWuxi);
  return who === 'township_staff' ? at(f.caseFiles.health) : null;
}

/** Staff accounts: within the role's jurisdiction ('own') or outside it ('otherJurisdiction'). */
function staffAccount(f: Fixtures, who: Who, target: Target | null): string | null {
  const within: Partial<Record<Who, string>> = {
    admin: 'reviewer.health',
    city_admin: 'admin.wuxi',
    auditor: 'reviewer.health',
  };
  const outside: Partial<Record<Who, string>> = { city_admin: 'reviewer.health', auditor: 'admin.wuxi' };
  if (target === null) return f.accounts['reviewer.health']!;
  const name = target === 'own' ? within[who] : target === 'otherJurisdiction' ? outside[who] : undefined;
  return name ? f.accounts[name]! : null;
}

function enterprise(f: Fixtures, who: Who, target: Target | null): string | null {
  if (target === null) return f.enterprise.jinling;
  if (target === 'own') return who === 'applicant' ? f.enterprise.zhangsanCo : null;
  if (target === 'other') return who === 'applicant' ? f.enterprise.jinling : null;
  return null;
}

function notification(f: Fixtures, who: Who, target: Target | null): string | null {
  if (target === null) return f.notifications.zhangsan!;
  if (target === 'own') return who === 'anonymous' ? null : (f.notifications[PLAYERS[who]] ?? null);
  if (target === 'other') return who === 'applicant' ? f.notifications['reviewer.health']! : f.notifications.zhangsan!;
  return null;
}

/**
 * SSO clients are managed within the administrator's jurisdiction, first-party ones only by the province's:
 * for the city administrator of Wuxi, Wuxi's first-party client is the "other" (its city's, not its to manage).
 */
function ssoClient(f: Fixtures, who: Who, target: Target | null): string | null {
  if (target === null) return f.ssoClients.nanjing;
  if (who === 'admin')
    return target === 'own' ? f.ssoClients.nanjing : target === 'other' ? null : f.ssoClients.zhejiang;
  if (who === 'city_admin')
    return target === 'own'
      ? f.ssoClients.wuxi
      : target === 'other'
        ? f.ssoClients.wuxiFirstParty
        : f.ssoClients.nanjing;
  return null;
}

const ID = (id: string | null, build: (id: string) => Req): Req | null => (id ? build(id) : null);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
const LATER = () => new Date(Date.now() + 30 * 86400_000).toISOString();
const PERSON = {
  zhangsan: { idNumber: '32010219880512123X', name: '张三' },
  wangnainai: { idNumber: '320104194803150525', name: '王奶奶' },
  wangxiaoming: { idNumber: '32010419950621031X', name: '王小明' },
  /** Registered in the fixtures: a person of 滨湖区, Wuxi, outside every Nanjing jurisdiction. */
  wuxi: { idNumber: '320211198506150024', name: '钱芳' },
};
/** For window consent: a person within the role's reach (own) and one outside it (otherJurisdiction). */
function personAtWindow(who: Who, target: Target | null): { idNumber: string; name: string } | null {
  if (target === 'other') return null;
  // The township of 秦淮区 reaches the persons of 秦淮区; the city's window, those of Nanjing.
  if (who === 'township_staff') return target === 'own' ? PERSON.wangnainai : PERSON.zhangsan;
  return target === 'own' ? PERSON.zhangsan : PERSON.wuxi;
}
/** Roles that may record consent at a window; for the others, the permission refuses before the person matters. */
const AT_WINDOW = { window_staff: [201, NA, 404], township_staff: [201, NA, 404] } as const;
const CATALOGUE_ADMIN = only({ admin: 200 });

let usccSeq = 0;
/** An enterprise not registered yet: a valid credit code of 秦淮区 (a new one each time). */
function newEnterprise() {
  const first17 = `91320104MA${String(++usccSeq).padStart(7, '0')}`;
  return { name: `矩阵测试有限公司${usccSeq}`, uscc: first17 + usccCheckChar(first17) };
}

/**
 * Where a new staff account goes: within the role's jurisdiction ('own') or outside it ('otherJurisdiction'). Roles
 * without accounts.manage get the province administrator's placement: the permission refuses them first.
 */
function staffPlacement(who: Who, target: Target | null) {
  if (target === 'other') return null;
  const at = {
    own: { departmentCode: 'nj-health', jurisdiction: '320100', roles: ['reviewer'] },
    // 福州: outside Jiangsu.
    otherJurisdiction: { departmentCode: null, jurisdiction: '350100', roles: ['window_staff'] },
  };
  if (who !== 'city_admin') return at[target ?? 'own'];
  return target === 'otherJurisdiction'
    ? at.own
    : { departmentCode: null, jurisdiction: '320211', roles: ['window_staff'] };
}
let staffSeq = 0;
/** A complete, valid new staff account (a new username and phone number each time) placed by staffPlacement. */
function newStaff(who: Who, target: Target | null) {
  const n = ++staffSeq;
  return {
    username: `matrix.staff${n}`,
    displayName: `矩阵测试人员${n}`,
    password: 'Matrix-staff-2026',
    phone: `1395108${String(n).padStart(4, '0')}`,
    ...staffPlacement(who, target)!,
  };
}
const ROLE_NAMES: Record<string, string> = { reviewer: '部门审核人员', window_staff: '综合窗口工作人员' };
/** The staff import workbook (its columns as the export writes them) with one new account. */
async function staffSheet(a: ReturnType<typeof newStaff>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工作人员');
  ws.addRow([
    '用户名',
    '姓名',
    '手机号码',
    '部门编码',
    '部门名称（仅供查看）',
    '辖区（区划代码）',
    '角色',
    '状态',
    '初始密码（仅新账号）',
  ]);
  ws.addRow([
    a.username,
    a.displayName,
    a.phone,
    a.departmentCode ?? '',
    '',
    a.jurisdiction,
    a.roles.map((r) => ROLE_NAMES[r]).join('、'),
    '正常',
    a.password,
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
// The seeded catalogue has no drafts: reading or publishing one is a 409 for the province's administrator.

const MATRIX: Record<string, Row> = {
  // ---- identity: login and sessions ----
  'POST /api/v1/auth/login': {
    request: () => ({ method: 'POST', url: '/api/v1/auth/login', payload: {} }),
    expect: open(400),
  },
  'POST /api/v1/auth/login/verify': {
    request: () => ({ method: 'POST', url: '/api/v1/auth/login/verify', payload: {} }),
    expect: open(400),
  },
  'POST /api/v1/auth/logout': {
    fresh: true,
    request: () => ({ method: 'POST', url: '/api/v1/auth/logout', payload: {} }),
    expect: signedIn(204),
  },
  'GET /api/v1/auth/me': { request: () => ({ url: '/api/v1/auth/me' }), expect: signedIn(200) },
  'PUT /api/v1/auth/acting-as': {
    fresh: true,
    // own: an enterprise the person represents or is an agent of, a consent recorded at the staff member's window;
    // other: an enterprise the person has nothing to do with (staff cannot act for enterprises at all).
    async request(f, who, target) {
      if (target === 'own') {
        if (who === 'applicant')
          return { method: 'PUT', url: '/api/v1/auth/acting-as', payload: { enterpriseId: f.enterprise.zhangsanCo } };
        if (who === 'enterprise_agent')
          return { method: 'PUT', url: '/api/v1/auth/acting-as', payload: { enterpriseId: f.enterprise.jinling } };
        const proxy = await f.proxyFor(who);
        return proxy ? { method: 'PUT', url: '/api/v1/auth/acting-as', payload: { proxyId: proxy } } : null;
      }
      if (target === 'other')
        return {
          method: 'PUT',
          url: '/api/v1/auth/acting-as',
          payload: { enterpriseId: who === 'applicant' ? f.enterprise.jinling : f.enterprise.zhangsanCo },
        };
      return target === null ? { method: 'PUT', url: '/api/v1/auth/acting-as', payload: {} } : null;
    },
    expect: {
      anonymous: 401,
      applicant: [200, 404, NA],
      enterprise_agent: [200, 404, NA],
      window_staff: [200, 403, NA],
      township_staff: [200, 403, NA],
      reviewer: [NA, 403, NA],
      department_head: [NA, 403, NA],
      hotline_agent: [NA, 403, NA],
      admin: [NA, 403, NA],
      city_admin: [NA, 403, NA],
      auditor: [NA, 403, NA],
    },
  },
  'DELETE /api/v1/auth/acting-as': {
    fresh: true,
    request: () => ({ method: 'DELETE', url: '/api/v1/auth/acting-as' }),
    expect: signedIn(200),
  },
  'PUT /api/v1/me/login-otp': {
    request: () => ({ method: 'PUT', url: '/api/v1/me/login-otp', payload: { enabled: false } }),
    expect: signedIn(204),
  },
  'GET /api/v1/dev/otp': { request: () => ({ url: '/api/v1/dev/otp?username=nobody' }), expect: open(404) },

  // ---- identity: accounts, enterprises, proxies ----
  'POST /api/v1/accounts/persons': {
    request: () => ({ method: 'POST', url: '/api/v1/accounts/persons', payload: {} }),
    expect: open(400),
  },
  'POST /api/v1/accounts/persons/proofing/verify': {
    request: () => ({ method: 'POST', url: '/api/v1/accounts/persons/proofing/verify', payload: {} }),
    expect: open(400),
  },
  // A person acting as themself may ask; the demo applicant is verified already (409). Staff and a session acting
  // for an enterprise are persons' accounts only in name: refused.
  'POST /api/v1/me/proofing': {
    request: () => ({ method: 'POST', url: '/api/v1/me/proofing' }),
    expect: only({ applicant: 409 }),
  },
  'POST /api/v1/proofing/window': {
    request: () => ({ method: 'POST', url: '/api/v1/proofing/window', payload: {} }),
    expect: only({ window_staff: 400, township_staff: 400 }),
  },
  'POST /api/v1/enterprises': {
    // The enterprise register (一企一档) names 张三 as the new enterprise's legal representative: his claim is granted.
    async request() {
      const e = newEnterprise();
      const csv = `统一社会信用代码,企业名称,法定代表人,法定代表人身份证号码\n${e.uscc},${e.name},张三,32010219880512123X\n`;
      await t.app.services.identity.importRegisterFile(
        { accountId: null, requestId: 'matrix' },
        'enterprise',
        Buffer.from(csv),
        { source: 'authz matrix', asOf: '2026-01-01' },
      );
      return { method: 'POST', url: '/api/v1/enterprises', payload: e };
    },
    expect: only({ applicant: 201 }),
  },
  'GET /api/v1/enterprises/:id/agents': {
    request: (f, who, target) => ID(enterprise(f, who, target), (id) => ({ url: `/api/v1/enterprises/${id}/agents` })),
    expect: only({ applicant: [200, 404, NA] }),
  },
  'POST /api/v1/enterprises/:id/agents': {
    // 王小明 becomes an agent; his agency from an earlier run of the row ends first, so that each run can add him.
    async request(f, who, target) {
      const id = enterprise(f, who, target);
      if (!id) return null;
      await t.db.query(
        'UPDATE enterprise_agents SET revoked_at = now() WHERE enterprise_id = $1 AND person_id = $2 AND revoked_at IS NULL',
        [id, f.accounts.wangxiaoming],
      );
      return { method: 'POST', url: `/api/v1/enterprises/${id}/agents`, payload: { person: PERSON.wangxiaoming } };
    },
    expect: only({ applicant: [201, 404, NA] }),
  },
  'DELETE /api/v1/enterprises/:id/agents/:personId': {
    // Removing the legal representative (zhangsan) is refused as a conflict: proof that access was granted.
    request: (f, who, target) =>
      ID(enterprise(f, who, target), (id) => ({
        method: 'DELETE',
        url: `/api/v1/enterprises/${id}/agents/${f.accounts.zhangsan}`,
      })),
    expect: only({ applicant: [409, 404, NA] }),
  },
  'GET /api/v1/me/proxies': { request: () => ({ url: '/api/v1/me/proxies' }), expect: signedIn(200) },
  'POST /api/v1/me/proxies': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/me/proxies',
      payload: { grantee: PERSON.wangxiaoming, scope: { bundles: ['retirement'] }, validUntil: LATER() },
    }),
    expect: only({ applicant: 201 }),
  },
  'DELETE /api/v1/me/proxies/:id': {
    // own: a new proxy the role is party to; other: 王奶奶's proxy for 王小明, which none of the roles is party to.
    async request(f, who, target) {
      const id =
        target === 'own' ? await f.proxyFor(who) : target === 'other' || target === null ? f.seededProxy : null;
      return id ? { method: 'DELETE', url: `/api/v1/me/proxies/${id}` } : null;
    },
    expect: {
      ...signedIn([NA, 404, NA]),
      applicant: [204, 404, NA],
      enterprise_agent: [204, 404, NA],
      window_staff: [204, 404, NA],
      township_staff: [204, 404, NA],
    },
  },
  'POST /api/v1/proxies/window-consent/code': {
    request: (_f, who, target) =>
      ID(target === 'other' ? null : 'x', () => ({
        method: 'POST',
        url: '/api/v1/proxies/window-consent/code',
        payload: { person: personAtWindow(who, target) },
      })),
    expect: { ...forEachTarget(only({}), [403, NA, 403]), anonymous: [401, NA, 401], ...AT_WINDOW },
  },
  'POST /api/v1/proxies/window-consent': {
    request: (_f, who, target) =>
      ID(target === 'other' ? null : 'x', () => ({
        method: 'POST',
        url: '/api/v1/proxies/window-consent',
        payload: {
          person: personAtWindow(who, target),
          scope: { bundles: ['newborn'] },
          consent: { method: 'id_card_reader', cardRead: true },
        },
      })),
    expect: { ...forEachTarget(only({}), [403, NA, 403]), anonymous: [401, NA, 401], ...AT_WINDOW },
  },
  'POST /api/v1/proxies/family': {
    // own: 王奶奶 of 秦淮区 authorises 王小明; otherJurisdiction: the person of Wuxi does, out of the window's reach.
    request: (_f, _who, target) =>
      ID(target === 'other' ? null : 'x', () => ({
        method: 'POST',
        url: '/api/v1/proxies/family',
        payload: {
          grantor: target === 'otherJurisdiction' ? PERSON.wuxi : PERSON.wangnainai,
          grantee: PERSON.wangxiaoming,
          scope: { bundles: ['after-death'] },
          validUntil: LATER(),
          consent: { method: 'signature' },
        },
      })),
    expect: { ...forEachTarget(only({}), [403, NA, 403]), anonymous: [401, NA, 401], ...AT_WINDOW },
  },

  // ---- identity: staff administration ----
  'GET /api/v1/admin/roles': {
    request: () => ({ url: '/api/v1/admin/roles' }),
    expect: only({ admin: 200, city_admin: 200, auditor: 200 }),
  },
  // The registers are province-wide data: the province's administrators import them (api test: test/proofing.test.ts).
  'GET /api/v1/admin/registers/imports': {
    request: () => ({ url: '/api/v1/admin/registers/imports' }),
    expect: only({ admin: 200 }),
  },
  'POST /api/v1/admin/registers/population': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/admin/registers/population?source=matrix&asOf=2026-12-01',
      payload: {},
    }),
    expect: only({ admin: 415 }),
  },
  'POST /api/v1/admin/registers/enterprises': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/admin/registers/enterprises?source=matrix&asOf=2026-12-01',
      payload: {},
    }),
    expect: only({ admin: 415 }),
  },
  'GET /api/v1/admin/accounts': {
    request: () => ({ url: '/api/v1/admin/accounts' }),
    expect: only({ admin: 200, city_admin: 200, auditor: 200 }),
  },
  // Aggregates within the caller's jurisdiction: no resource of anyone's to reach (api test: test/stats.test.ts).
  'GET /api/v1/stats/cases': {
    request: () => ({ url: '/api/v1/stats/cases' }),
    expect: only({ admin: 200, city_admin: 200, auditor: 200 }),
  },
  'GET /api/v1/admin/accounts/:id': {
    request: (f, who, target) => ID(staffAccount(f, who, target), (id) => ({ url: `/api/v1/admin/accounts/${id}` })),
    expect: only({ admin: [200, NA, NA], city_admin: [200, NA, 404], auditor: [200, NA, 404] }),
  },
  'POST /api/v1/admin/accounts': {
    // A complete account within the administrator's jurisdiction, or outside it (which the service refuses).
    request: (_f, who, target) =>
      ID(staffPlacement(who, target) ? 'x' : null, () => ({
        method: 'POST',
        url: '/api/v1/admin/accounts',
        payload: newStaff(who, target),
      })),
    expect: {
      ...forEachTarget(only({}), [403, NA, 403]),
      anonymous: [401, NA, 401],
      admin: [201, NA, 403],
      city_admin: [201, NA, 403],
    },
  },
  'PATCH /api/v1/admin/accounts/:id': {
    // Setting the name an account already has: changes nothing, proves access.
    request: (f, who, target) =>
      ID(staffAccount(f, who, target), (id) => ({
        method: 'PATCH',
        url: `/api/v1/admin/accounts/${id}`,
        payload: { displayName: id === f.accounts['admin.wuxi'] ? '无锡市数据局管理员' : '南京市卫健委审核员' },
      })),
    expect: only({ admin: [200, NA, NA], city_admin: [200, NA, 404] }),
  },

  // ---- catalogue: public reads, administration by the province ----
  'GET /api/v1/catalogue/stages': { request: () => ({ url: '/api/v1/catalogue/stages' }), expect: open(200) },
  'GET /api/v1/catalogue/bundles': { request: () => ({ url: '/api/v1/catalogue/bundles' }), expect: open(200) },
  'GET /api/v1/catalogue/bundles/:code': {
    request: () => ({ url: '/api/v1/catalogue/bundles/newborn' }),
    expect: open(200),
  },
  'GET /api/v1/catalogue/bundles/:code/versions': {
    request: () => ({ url: '/api/v1/catalogue/bundles/newborn/versions' }),
    expect: open(200),
  },
  'GET /api/v1/catalogue/items': { request: () => ({ url: '/api/v1/catalogue/items' }), expect: open(200) },
  'GET /api/v1/catalogue/items/:code': {
    request: () => ({ url: '/api/v1/catalogue/items/birth-medical-certificate' }),
    expect: open(200),
  },
  'GET /api/v1/catalogue/items/:code/versions': {
    request: () => ({ url: '/api/v1/catalogue/items/birth-medical-certificate/versions' }),
    expect: open(200),
  },
  'GET /api/v1/catalogue/departments': { request: () => ({ url: '/api/v1/catalogue/departments' }), expect: open(200) },
  'POST /api/v1/catalogue/bundles/:code/guidance': {
    request: () => ({ method: 'POST', url: '/api/v1/catalogue/bundles/newborn/guidance', payload: { answers: {} } }),
    expect: open(200),
  },
  'GET /api/v1/admin/catalogue/search-terms': {
    request: () => ({ url: '/api/v1/admin/catalogue/search-terms' }),
    expect: only({ admin: 200 }),
  },
  'PUT /api/v1/admin/catalogue/search-terms': {
    request: () => ({
      method: 'PUT',
      url: '/api/v1/admin/catalogue/search-terms',
      payload: { terms: [{ phrase: '开餐馆', means: '开办 餐饮店' }] },
    }),
    expect: only({ admin: 200 }),
  },
  'PUT /api/v1/admin/catalogue/departments/:code': {
    request: () => ({ method: 'PUT', url: '/api/v1/admin/catalogue/departments/nj-health', payload: {} }),
    expect: only({ admin: 400 }),
  },
  'PUT /api/v1/admin/catalogue/items/:code/draft': {
    request: () => ({
      method: 'PUT',
      url: '/api/v1/admin/catalogue/items/birth-medical-certificate/draft',
      payload: {},
    }),
    expect: only({ admin: 422 }),
  },
  'GET /api/v1/admin/catalogue/items/:code/draft': {
    request: () => ({ url: '/api/v1/admin/catalogue/items/birth-medical-certificate/draft' }),
    expect: only({ admin: 409 }),
  },
  'GET /api/v1/admin/catalogue/items/:code/versions': {
    request: () => ({ url: '/api/v1/admin/catalogue/items/birth-medical-certificate/versions' }),
    expect: CATALOGUE_ADMIN,
  },
  'POST /api/v1/admin/catalogue/items/:code/publish': {
    request: () => ({ method: 'POST', url: '/api/v1/admin/catalogue/items/birth-medical-certificate/publish' }),
    expect: only({ admin: 409 }),
  },
  'PUT /api/v1/admin/catalogue/bundles/:code/draft': {
    request: () => ({ method: 'PUT', url: '/api/v1/admin/catalogue/bundles/newborn/draft', payload: {} }),
    expect: only({ admin: 422 }),
  },
  'GET /api/v1/admin/catalogue/bundles/:code/draft': {
    request: () => ({ url: '/api/v1/admin/catalogue/bundles/newborn/draft' }),
    expect: only({ admin: 409 }),
  },
  'GET /api/v1/admin/catalogue/bundles/:code/versions': {
    request: () => ({ url: '/api/v1/admin/catalogue/bundles/newborn/versions' }),
    expect: CATALOGUE_ADMIN,
  },
  'POST /api/v1/admin/catalogue/bundles/:code/publish': {
    request: () => ({ method: 'POST', url: '/api/v1/admin/catalogue/bundles/newborn/publish' }),
    expect: only({ admin: 409 }),
  },
  'POST /api/v1/admin/catalogue/bundles/validate': {
    request: () => ({ method: 'POST', url: '/api/v1/admin/catalogue/bundles/validate', payload: {} }),
    expect: CATALOGUE_ADMIN,
  },
  'GET /api/v1/admin/catalogue/export': {
    request: () => ({ url: '/api/v1/admin/catalogue/export' }),
    expect: CATALOGUE_ADMIN,
  },
  'POST /api/v1/admin/catalogue/import': {
    request: () => ({ method: 'POST', url: '/api/v1/admin/catalogue/import', payload: {} }),
    expect: only({ admin: 422 }),
  },

  // ---- Excel files: staff as accounts.read / accounts.manage, departments and items as the catalogue's ----
  'GET /api/v1/admin/excel/accounts': {
    request: () => ({ url: '/api/v1/admin/excel/accounts' }),
    expect: only({ admin: 200, city_admin: 200, auditor: 200 }),
  },
  'POST /api/v1/admin/excel/accounts': {
    // A sheet of one new account within the administrator's jurisdiction, or outside it (all refused: 422).
    request: async (_f, who, target) => {
      if (!staffPlacement(who, target)) return null;
      const a = newStaff(who, target);
      return {
        method: 'POST',
        url: '/api/v1/admin/excel/accounts',
        headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        payload: await staffSheet(a),
      };
    },
    expect: {
      ...forEachTarget(only({}), [403, NA, 403]),
      anonymous: [401, NA, 401],
      admin: [200, NA, 422],
      city_admin: [200, NA, 422],
    },
  },
  'GET /api/v1/admin/excel/departments': {
    request: () => ({ url: '/api/v1/admin/excel/departments' }),
    expect: CATALOGUE_ADMIN,
  },
  'POST /api/v1/admin/excel/departments': {
    request: () => ({ method: 'POST', url: '/api/v1/admin/excel/departments', payload: {} }),
    expect: only({ admin: 415 }),
  },
  'GET /api/v1/admin/excel/items': { request: () => ({ url: '/api/v1/admin/excel/items' }), expect: CATALOGUE_ADMIN },

  // ---- the yearly key-item list: the province's catalogue administrators ----
  'GET /api/v1/admin/key-items': {
    request: () => ({ url: '/api/v1/admin/key-items?year=2024' }),
    expect: CATALOGUE_ADMIN,
  },
  'PUT /api/v1/admin/key-items/:id': {
    request: () => ({ method: 'PUT', url: '/api/v1/admin/key-items/2024-1-newborn', payload: { targetDate: 'soon' } }),
    expect: only({ admin: 400 }),
  },
  'GET /api/v1/admin/key-items/export': {
    request: () => ({ url: '/api/v1/admin/key-items/export?year=2026' }),
    expect: CATALOGUE_ADMIN,
  },
  'GET /api/v1/admin/key-items/export.xlsx': {
    request: () => ({ url: '/api/v1/admin/key-items/export.xlsx?year=2026' }),
    expect: CATALOGUE_ADMIN,
  },

  // ---- calendar and identifiers: any signed-in caller; loading a year is the province's ----
  'GET /api/v1/calendar/deadline': {
    request: () => ({ url: '/api/v1/calendar/deadline?start=2026-02-13&workdays=1' }),
    expect: signedIn(200),
  },
  'GET /api/v1/calendar/days/:date': {
    request: () => ({ url: '/api/v1/calendar/days/2026-02-14' }),
    expect: signedIn(200),
  },
  'GET /api/v1/calendar/years': { request: () => ({ url: '/api/v1/calendar/years' }), expect: signedIn(200) },
  'GET /api/v1/calendar/years/:year': {
    request: () => ({ url: '/api/v1/calendar/years/2026' }),
    expect: signedIn(200),
  },
  'PUT /api/v1/admin/calendar/years/:year': {
    request: () => ({ method: 'PUT', url: '/api/v1/admin/calendar/years/2030', payload: {} }),
    expect: only({ admin: 422 }),
  },
  'POST /api/v1/identifiers/validate': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/identifiers/validate',
      payload: { type: 'uscc', value: '91320104MA1WJLFD0Y' },
    }),
    expect: signedIn(200),
  },
  'GET /api/v1/divisions': { request: () => ({ url: '/api/v1/divisions?parent=320000' }), expect: signedIn(200) },
  'GET /api/v1/divisions/:code': { request: () => ({ url: '/api/v1/divisions/320104' }), expect: signedIn(200) },

  // ---- applications: the subject's own (the applicant's, or the enterprise's for its agent) ----
  'POST /api/v1/applications': {
    // A complete submission: the person's newborn bundle, the enterprise's restaurant opening (with its uploads).
    request: async (_f, who) => ({
      method: 'POST',
      url: '/api/v1/applications',
      payload: await submission(who === 'enterprise_agent' ? 'enterprise' : 'person'),
    }),
    expect: only({ applicant: 201, enterprise_agent: 201 }),
  },
  'GET /api/v1/applications': {
    request: () => ({ url: '/api/v1/applications' }),
    expect: only({ applicant: 200, enterprise_agent: 200 }),
  },
  'GET /api/v1/applications/prefill': {
    request: () => ({ url: '/api/v1/applications/prefill?bundle=newborn' }),
    expect: only({ applicant: 200, enterprise_agent: 200 }),
  },
  'GET /api/v1/applications/:id': {
    request: (f, who, target) => ID(application(f, who, target), (id) => ({ url: `/api/v1/applications/${id}` })),
    expect: only({ applicant: [200, 404, NA], enterprise_agent: [200, 404, NA] }),
  },
  'POST /api/v1/applications/:id/withdraw': {
    // Already withdrawn: 409 for its owner proves access without changing anything.
    request: (f, who, target) =>
      ID(application(f, who, target, 'withdrawn'), (id) => ({
        method: 'POST',
        url: `/api/v1/applications/${id}/withdraw`,
        payload: {},
      })),
    expect: only({ applicant: [409, 404, NA], enterprise_agent: [409, 404, NA] }),
  },
  'POST /api/v1/application-drafts': {
    request: () => ({ method: 'POST', url: '/api/v1/application-drafts', payload: { bundle: 'newborn' } }),
    expect: only({ applicant: 201, enterprise_agent: 201 }),
  },
  'GET /api/v1/application-drafts': {
    request: () => ({ url: '/api/v1/application-drafts' }),
    expect: only({ applicant: 200, enterprise_agent: 200 }),
  },
  'GET /api/v1/application-drafts/:id': {
    request: (f, who, target) => ID(draft(f, who, target), (id) => ({ url: `/api/v1/application-drafts/${id}` })),
    expect: only({ applicant: [200, 404, NA], enterprise_agent: [200, 404, NA] }),
  },
  'PUT /api/v1/application-drafts/:id': {
    request: (f, who, target) =>
      ID(draft(f, who, target), (id) => ({
        method: 'PUT',
        url: `/api/v1/application-drafts/${id}`,
        payload: { answers: {} },
      })),
    expect: only({ applicant: [200, 404, NA], enterprise_agent: [200, 404, NA] }),
  },
  'DELETE /api/v1/application-drafts/:id': {
    request: async (f, who, target) =>
      ID(await spareDraft(f, who, target), (id) => ({ method: 'DELETE', url: `/api/v1/application-drafts/${id}` })),
    expect: only({ applicant: [204, 404, NA], enterprise_agent: [204, 404, NA] }),
  },
  'POST /api/v1/files': {
    request: () => ({
      method: 'POST',
      url: '/api/v1/files',
      payload: PDF,
      headers: { 'content-type': 'application/pdf' },
    }),
    expect: only({ applicant: 201, enterprise_agent: 201 }),
  },

  // ---- cases: department and jurisdiction for staff, the applicant's own, read-only for hotline and auditors ----
  'GET /api/v1/cases': {
    request: () => ({ url: '/api/v1/cases' }),
    expect: only({ township_staff: 200, reviewer: 200, department_head: 200 }),
  },
  'GET /api/v1/cases/:id': {
    request: (f, who, target) => ID(kase(f, who, target), (id) => ({ url: `/api/v1/cases/${id}` })),
    expect: only({
      applicant: [200, 404, NA],
      enterprise_agent: [200, 404, NA],
      township_staff: [NA, NA, 404],
      reviewer: [200, 404, 404],
      department_head: [200, 404, 404],
      hotline_agent: [200, NA, 404],
      auditor: [200, NA, 404],
    }),
  },
  'GET /api/v1/cases/:id/files/:fileId': {
    // Only the reviewing department, within its jurisdiction; the applicant and read-only staff lack cases.review.
    request: (f, who, target) => ID(caseFile(f, who, target), (url) => ({ url })),
    expect: only({ township_staff: [NA, NA, 404], reviewer: [200, 404, 404], department_head: [200, 404, 404] }),
  },
  'POST /api/v1/cases/:id/actions': {
    // 办结 of a pending case: the transition table refuses it (409) once access is granted.
    request: (f, who, target) =>
      ID(kase(f, who, target), (id) => ({
        method: 'POST',
        url: `/api/v1/cases/${id}/actions`,
        payload: { action: 'conclude' },
      })),
    expect: only({
      applicant: [409, 404, NA],
      enterprise_agent: [409, 404, NA],
      township_staff: [NA, NA, 404],
      reviewer: [409, 404, 404],
      department_head: [409, 404, 404],
      hotline_agent: [403, NA, 403],
      auditor: [403, NA, 403],
    }),
  },

  // ---- notifications: the account's own inbox ----
  'GET /api/v1/notifications': { request: () => ({ url: '/api/v1/notifications' }), expect: signedIn(200) },
  'POST /api/v1/notifications/:id/read': {
    request: (f, who, target) =>
      ID(notification(f, who, target), (id) => ({ method: 'POST', url: `/api/v1/notifications/${id}/read` })),
    expect: { ...signedIn([204, 404, NA]), enterprise_agent: [NA, 404, NA] },
  },

  // ---- SSO clients (the OpenID Connect provider's registrations): administrators of their jurisdiction ----
  'POST /api/v1/admin/sso/clients': {
    request: () => ({ method: 'POST', url: '/api/v1/admin/sso/clients', payload: {} }),
    expect: only({ admin: 400, city_admin: 400 }),
  },
  // Filtered to the caller's jurisdiction (api test: test/sso.test.ts).
  'GET /api/v1/admin/sso/clients': {
    request: () => ({ url: '/api/v1/admin/sso/clients' }),
    expect: only({ admin: 200, city_admin: 200 }),
  },
  'GET /api/v1/admin/sso/clients/:clientId': {
    request: (f, who, target) => ID(ssoClient(f, who, target), (id) => ({ url: `/api/v1/admin/sso/clients/${id}` })),
    expect: only({ admin: [200, NA, 404], city_admin: [200, 404, 404] }),
  },
  'PATCH /api/v1/admin/sso/clients/:clientId': {
    // An empty change: proves access, changes nothing.
    request: (f, who, target) =>
      ID(ssoClient(f, who, target), (id) => ({
        method: 'PATCH',
        url: `/api/v1/admin/sso/clients/${id}`,
        payload: {},
      })),
    expect: only({ admin: [200, NA, 404], city_admin: [200, 404, 404] }),
  },
  'DELETE /api/v1/admin/sso/clients/:clientId': {
    // The own cells remove a client made for them; the others must leave theirs.
    request: async (f, who, target) => {
      const id =
        target === 'own' ? await f.newSsoClient(who === 'city_admin' ? '320200' : '320100') : ssoClient(f, who, target);
      return ID(id, (x) => ({ method: 'DELETE', url: `/api/v1/admin/sso/clients/${x}` }));
    },
    expect: only({ admin: [204, NA, 404], city_admin: [204, 404, 404] }),
  },
};

// ---- list routes: every row a caller gets is one its access rule reaches ---------------------------------------
// A status code cannot tell a filtered list from one that lists everybody's rows. For each list route, every role
// the matrix gives 200 is asked again, and each row of the answer is looked up in the database and judged by the
// route's rule; the fixtures hold rows of others for every role (checked too), so a missing filter shows.

/** The caller as the access rules see it: who acts, whom for, department and jurisdiction. */
interface Caller {
  accountId: string;
  subjectId: string;
  departmentCode: string | null;
  jurisdiction: string | null;
}

/** A row of the database behind a list, with what the rule reads of it. */
type Owned = { id: string } & Record<string, string | null>;

interface ListCheck {
  /** The ids the answer lists, by the part of the answer they come from ('' for a plain list). */
  listed(res: LightMyRequestResponse): Promise<Record<string, string[]>> | Record<string, string[]>;
  /** Every row of the table behind each part, as the rule needs it. */
  sql: Record<string, string>;
  /** Whether the caller's rule reaches a row of that part. */
  reaches(part: string, row: Owned, c: Caller): boolean;
}

const ids = (res: LightMyRequestResponse) => ({ '': (res.json() as Array<{ id: string }>).map((r) => r.id) });
const bySubject: Pick<ListCheck, 'reaches'> = { reaches: (_p, row, c) => row.owner === c.subjectId };
const staffWithin: ListCheck['reaches'] = (_p, row, c) =>
  row.kind === 'staff' && isWithinJurisdiction(row.jurisdiction, c.jurisdiction);

const LISTS: Record<string, ListCheck> = {
  'GET /api/v1/applications': {
    listed: ids,
    sql: { '': 'SELECT id::text, applicant_id::text AS owner FROM applications' },
    ...bySubject,
  },
  'GET /api/v1/application-drafts': {
    listed: ids,
    sql: { '': 'SELECT id::text, applicant_id::text AS owner FROM application_drafts' },
    ...bySubject,
  },
  'GET /api/v1/cases': {
    listed: ids,
    sql: { '': 'SELECT id::text, department_code AS department, region_code AS region FROM cases' },
    reaches: (_p, row, c) =>
      !!c.departmentCode && row.department === c.departmentCode && isWithinJurisdiction(row.region, c.jurisdiction),
  },
  'GET /api/v1/notifications': {
    listed: ids,
    sql: { '': 'SELECT id::text, recipient_id::text AS recipient FROM notifications' },
    reaches: (_p, row, c) => row.recipient === c.accountId,
  },
  'GET /api/v1/me/proxies': {
    listed: (res) => {
      const body = res.json() as { granted: Array<{ id: string }>; received: Array<{ id: string }> };
      return { granted: body.granted.map((x) => x.id), received: body.received.map((x) => x.id) };
    },
    sql: {
      granted: 'SELECT id::text, grantor_id::text AS party FROM proxies',
      received: 'SELECT id::text, grantee_id::text AS party FROM proxies',
    },
    reaches: (_p, row, c) => row.party === c.accountId,
  },
  'GET /api/v1/admin/accounts': {
    listed: ids,
    sql: { '': 'SELECT id::text, kind, jurisdiction FROM accounts' },
    reaches: staffWithin,
  },
  'GET /api/v1/admin/excel/accounts': {
    // The workbook names accounts by username (its first column).
    async listed(res) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const usernames: string[] = [];
      wb.worksheets[0]!.eachRow((r, n) => {
        if (n > 1) usernames.push(String((r.values as unknown[])[1]));
      });
      return { '': usernames };
    },
    sql: { '': 'SELECT username AS id, kind, jurisdiction FROM accounts' },
    reaches: staffWithin,
  },
};

/**
 * GET routes without a resource in their path that list nothing of anyone's: the reason each is not in LISTS. A new
 * list route must go into one of the two.
 */
const NOT_OWNED: Record<string, string> = {
  'GET /api/v1/auth/me': 'the session itself',
  'GET /api/v1/dev/otp': 'development only; 404 in tests',
  'GET /api/v1/admin/roles': 'the permission table, the same for everyone allowed',
  'GET /api/v1/stats/cases': 'aggregates (test/stats.test.ts checks their jurisdiction)',
  'GET /api/v1/admin/catalogue/search-terms': 'province-wide catalogue data',
  'GET /api/v1/admin/catalogue/export': 'province-wide catalogue data',
  'GET /api/v1/admin/excel/departments': 'province-wide catalogue data',
  'GET /api/v1/admin/excel/items': 'province-wide catalogue data',
  'GET /api/v1/admin/key-items': 'province-wide catalogue data',
  'GET /api/v1/admin/key-items/export': 'province-wide catalogue data',
  'GET /api/v1/admin/key-items/export.xlsx': 'province-wide catalogue data',
  'GET /api/v1/calendar/deadline': 'public calendar data',
  'GET /api/v1/calendar/years': 'public calendar data',
  'GET /api/v1/divisions': 'public division codes',
  'GET /api/v1/applications/prefill': "the caller's own profile, one object (test/intake.test.ts)",
  'GET /api/v1/admin/sso/clients': "per jurisdiction; sso.test.ts shows a city administrator only its city's clients",
  'GET /api/v1/admin/registers/imports': 'the register imports, for province administrators only (registers.import)',
};

// ---------------------------------------------------------------------------------------------------------------

let t: TestApp;
let f: Fixtures;
let ipSeq = 0;
const nextIp = () => `10.30.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

async function sessionOf(who: Exclude<Who, 'anonymous'>): Promise<string> {
  const token = await loginWithCode(t.app, t.db, PLAYERS[who], DEMO_PASSWORD, nextIp());
  if (who === 'enterprise_agent') {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/auth/acting-as',
      headers: bearer(token),
      payload: { enterpriseId: f.enterprise.jinling },
    });
    if (res.statusCode !== 200) throw new Error(`acting as the enterprise: ${res.body}`);
  }
  return token;
}

/** The site as the browser knows it: the Host it sends, and the Origin of its pages. */
const SITE = { host: 'onething.test', origin: 'https://onething.test' };

/**
 * The request as the web sends it: the session in its cookie instead of a bearer token, with `origin` (or
 * without one where `origin` is null, as a request from another site or a plain link may come).
 */
async function sendWithCookie(token: string | null, req: Req, site: { host: string; origin: string | null }) {
  return t.app.inject({
    method: req.method ?? 'GET',
    url: req.url,
    headers: {
      host: site.host,
      ...(site.origin ? { origin: site.origin } : {}),
      ...(token ? { cookie: `${SESSION_COOKIE}=${token}` } : {}),
      ...req.headers,
    },
    ...(req.payload !== undefined ? { payload: req.payload as object } : {}),
  });
}

async function send(token: string | null, req: Req) {
  return t.app.inject({
    method: req.method ?? 'GET',
    url: req.url,
    headers: { ...(token ? bearer(token) : {}), ...req.headers },
    ...(req.payload !== undefined ? { payload: req.payload as object } : {}),
  });
}

/** A complete submission as the person (newborn) or the enterprise agent (restaurant opening, uploads its files). */
async function submission(as: 'person' | 'enterprise') {
  const { body } =
    as === 'person'
      ? await submissionBody(f.tokens.applicant, 'newborn', NEWBORN_ANSWERS, NEWBORN_FORM)
      : await submissionBody(f.tokens.enterprise_agent, 'restaurant-opening', RESTAURANT_ANSWERS, RESTAURANT_FORM);
  return body;
}

async function submissionBody(
  token: string,
  bundle: string,
  answers: Record<string, unknown>,
  form: Record<string, unknown>,
): Promise<{ body: Record<string, unknown>; files: Record<string, string> }> {
  const g = (
    await t.app.inject({ method: 'POST', url: `/api/v1/catalogue/bundles/${bundle}/guidance`, payload: { answers } })
  ).json() as Guidance;
  const materials: unknown[] = [];
  const files: Record<string, string> = {};
  for (const m of g.materials.filter((x) => x.required && x.provision !== 'produced')) {
    if (m.provision === 'certificate') materials.push({ id: m.id, kind: 'certificate', consent: true });
    else {
      const up = await send(token, {
        method: 'POST',
        url: '/api/v1/files',
        payload: PDF,
        headers: { 'content-type': 'application/pdf' },
      });
      files[m.id] = (up.json() as UploadedFile).id;
      materials.push({ id: m.id, kind: 'upload', fileIds: [files[m.id]] });
    }
  }
  return { body: { bundle, answers, form, materials }, files };
}

async function submit(
  token: string,
  bundle: string,
  answers: Record<string, unknown>,
  form: Record<string, unknown>,
): Promise<ApplicationView & { files: Record<string, string> }> {
  const { body, files } = await submissionBody(token, bundle, answers, form);
  const res = await send(token, {
    method: 'POST',
    url: '/api/v1/applications',
    payload: body,
  });
  if (res.statusCode !== 201) throw new Error(`submit ${bundle}: ${res.body}`);
  return { ...(res.json() as ApplicationView), files };
}

const AFTER_DEATH_ANSWERS = { has_deposits: false, was_pension_insured: false };
const AFTER_DEATH_FORM = {
  deceased: {
    name: '王爷爷',
    idNumber: '320104194501010017',
    dateOfDeath: '2026-01-05',
    placeOfDeath: '南京市第一医院',
  },
  applicant: { name: '张三', idNumber: '32010219880512123X', relationship: 'child', phone: '13951000001' },
};
const RESTAURANT_ANSWERS = { has_outdoor_sign: false, sells_tobacco: false };
const RESTAURANT_FORM = {
  entity: {
    name: '南京金陵餐饮有限公司',
    uscc: '91320104MA1WJLFD0Y',
    legalRepresentative: { name: '王强', idNumber: '320104197609080416' },
  },
  premises: { address: '南京市秦淮区中山南路1号', areaSqm: 120, seatCount: 40, plannedOpeningDate: '2026-06-01' },
  food: { businessItems: '热食类食品制售', safetyManagerName: '赵敏' },
  fire: { managerName: '王强' },
  contact: { name: '赵敏', phone: '13951000003' },
};

beforeAll(async () => {
  t = await createTestApp();
  const ids = async (usernames: string[]) => {
    const { rows } = await t.db.query<{ id: string; username: string }>(
      'SELECT id, username FROM accounts WHERE username = ANY($1::text[])',
      [usernames],
    );
    return Object.fromEntries(rows.map((r) => [r.username, r.id]));
  };
  const accounts = await ids([...Object.values(PLAYERS), 'wangnainai', 'wangxiaoming', '91320104MA1WJLFD0Y']);
  const jinling = accounts['91320104MA1WJLFD0Y']!;
  f = { enterprise: { jinling, zhangsanCo: '' }, accounts } as Fixtures;
  const tokens = {} as Fixtures['tokens'];
  for (const who of WHO) if (who !== 'anonymous') tokens[who] = await sessionOf(who);
  f.tokens = tokens;

  // A person of Wuxi registers and proves the number by the phone the population register holds for it (only a
  // bound number is found at a window): outside the reach of Nanjing's window and township staff.
  const extract = `公民身份号码,姓名,手机号码,户籍地区划代码\n${PERSON.wuxi.idNumber},${PERSON.wuxi.name},13951007001,320211\n`;
  const imported = await t.app.inject({
    method: 'POST',
    url: '/api/v1/admin/registers/population?source=matrix&asOf=2026-12-01',
    headers: { ...bearer(tokens.admin), 'content-type': 'text/csv' },
    payload: extract,
  });
  if (imported.statusCode !== 200) throw new Error(`import the Wuxi person: ${imported.statusCode} ${imported.body}`);
  const wuxi = await t.app.inject({
    method: 'POST',
    url: '/api/v1/accounts/persons',
    payload: {
      username: 'qianfang',
      password: 'a-long-passphrase',
      realName: PERSON.wuxi.name,
      idNumber: PERSON.wuxi.idNumber,
      phone: '13951007001',
    },
    remoteAddress: '10.9.9.9',
  });
  if (wuxi.statusCode !== 201) throw new Error(`register the Wuxi person: ${wuxi.statusCode} ${wuxi.body}`);
  const challengeId = (wuxi.json() as { proofing: { challengeId: string } }).proofing.challengeId;
  const sent = await t.db.query<{ code: string }>(
    `SELECT payload->>'code' AS code FROM notifications WHERE kind = 'identity.proofing_code' AND payload->>'challengeId' = $1`,
    [challengeId],
  );
  const proved = await t.app.inject({
    method: 'POST',
    url: '/api/v1/accounts/persons/proofing/verify',
    payload: { challengeId, code: sent.rows[0]?.code },
    remoteAddress: '10.9.9.9',
  });
  if (proved.statusCode !== 200) throw new Error(`prove the Wuxi person: ${proved.statusCode} ${proved.body}`);

  // zhangsan registers an enterprise of his own (the seed's enterprise register names him its legal representative).
  const co = await send(tokens.applicant, {
    method: 'POST',
    url: '/api/v1/enterprises',
    payload: { uscc: '91320102MA2YHN1A0H' },
  });
  expect(co.statusCode, co.body).toBe(201);
  f.enterprise.zhangsanCo = (co.json() as { id: string }).id;

  const a1 = await submit(tokens.applicant, 'newborn', NEWBORN_ANSWERS, NEWBORN_FORM);
  const a2 = await submit(tokens.applicant, 'newborn', NEWBORN_ANSWERS, NEWBORN_FORM);
  const a3 = await submit(tokens.applicant, 'newborn', NEWBORN_ANSWERS, NEWBORN_FORM);
  await send(tokens.applicant, { method: 'POST', url: `/api/v1/applications/${a3.id}/withdraw`, payload: {} });
  const e1 = await submit(tokens.enterprise_agent, 'restaurant-opening', RESTAURANT_ANSWERS, RESTAURANT_FORM);
  const e2 = await submit(tokens.enterprise_agent, 'restaurant-opening', RESTAURANT_ANSWERS, RESTAURANT_FORM);
  await send(tokens.enterprise_agent, { method: 'POST', url: `/api/v1/applications/${e2.id}/withdraw`, payload: {} });
  const caseOf = (a: typeof a1, item: string) => a.cases.find((c) => c.item.code === item)!.id;
  f.apps = { zhangsan: a1.id, enterprise: e1.id, zhangsanWithdrawn: a3.id, enterpriseWithdrawn: e2.id };
  f.cases = {
    health: caseOf(a1, 'birth-medical-certificate'),
    police: caseOf(a1, 'household-registration'),
    market: caseOf(e1, 'business-licence-verification'),
    healthWuxi: caseOf(a2, 'birth-medical-certificate'),
  };
  // The same department's case, handled in 滨湖区 of Wuxi: outside every Nanjing jurisdiction.
  await t.db.query(`UPDATE cases SET region_code = '320211' WHERE id = $1`, [f.cases.healthWuxi]);
  const d1 = await submit(tokens.applicant, 'after-death', AFTER_DEATH_ANSWERS, AFTER_DEATH_FORM);
  const d2 = await submit(tokens.applicant, 'after-death', AFTER_DEATH_ANSWERS, AFTER_DEATH_FORM);
  const idCard = (a: typeof d1, item: string) => ({ case: caseOf(a, item), file: a.files['deceased-id-card']! });
  f.caseFiles = {
    health: idCard(d1, 'death-medical-certificate'),
    police: idCard(d1, 'household-cancellation'),
    healthWuxi: idCard(d2, 'death-medical-certificate'),
  };
  await t.db.query(`UPDATE cases SET region_code = '320211' WHERE id = $1`, [f.caseFiles.healthWuxi.case]);

  const newDraft = async (token: string) =>
    (
      (
        await send(token, { method: 'POST', url: '/api/v1/application-drafts', payload: { bundle: 'newborn' } })
      ).json() as { id: string }
    ).id;
  f.drafts = {
    zhangsan: await newDraft(tokens.applicant),
    enterprise: await newDraft(tokens.enterprise_agent),
  };

  // The newest notification of each account: staff have their one-time codes, zhangsan his submissions.
  const { rows } = await t.db.query<{ username: string; id: string }>(
    `SELECT DISTINCT ON (a.username) a.username, n.id FROM notifications n JOIN accounts a ON a.id = n.recipient_id ORDER BY a.username, n.created_at DESC`,
  );
  f.notifications = Object.fromEntries(rows.map((r) => [r.username, r.id]));

  f.seededProxy = (
    await t.db.query<{ id: string }>('SELECT id FROM proxies WHERE grantor_id = $1 AND grantee_id = $2', [
      accounts.wangnainai,
      accounts.wangxiaoming,
    ])
  ).rows[0]!.id;
  // SSO clients of three jurisdictions, Wuxi's with a department of the city (the seed has none).
  await t.db.query(
    `INSERT INTO departments (code, name_zh, name_en, region_code, sector) VALUES ('wx-data-bureau', '无锡市数据局', 'Wuxi Data Bureau', '320200', 'data')`,
  );
  let clients = 0;
  const ssoClientIn = async (jurisdiction: string, departmentCode: string | null, firstParty = false) => {
    const id = `ot-matrix-${++clients}`;
    await t.db.query(
      `INSERT INTO sso_clients (client_id, name, department_code, jurisdiction, redirect_uris, auth_method, scopes, first_party)
       VALUES ($1, $1, $2, $3, '{https://dept.example.gov.cn/cb}', 'none', '{openid}', $4)`,
      [id, departmentCode, jurisdiction, firstParty],
    );
    return id;
  };
  f.ssoClients = {
    nanjing: await ssoClientIn('320100', 'nj-health'),
    wuxi: await ssoClientIn('320200', 'wx-data-bureau'),
    wuxiFirstParty: await ssoClientIn('320200', 'wx-data-bureau', true),
    zhejiang: await ssoClientIn('330100', null),
  };
  f.newSsoClient = (jurisdiction) =>
    ssoClientIn(jurisdiction, jurisdiction === '320200' ? 'wx-data-bureau' : 'nj-health');

  // A staff account of 福州 (Fujian): outside even the province administrator's jurisdiction, for the list checks.
  await t.db.query(
    `INSERT INTO accounts (id, kind, username, display_name, jurisdiction)
     VALUES (gen_random_uuid(), 'staff', 'reviewer.fuzhou', '福州市审核员', '350100')`,
  );
  let n = 0;
  f.proxyFor = async (who) => {
    // A fresh proxy each time (revoking or acting under it must not touch another cell's).
    const until = new Date(Date.now() + 86400_000 + ++n * 1000);
    const grant = async (grantor: string, grantee: string, kind: 'window_consent' | 'family') => {
      await t.db.query(
        `UPDATE proxies SET revoked_at = now() WHERE grantor_id = $1 AND grantee_id = $2 AND revoked_at IS NULL`,
        [grantor, grantee],
      );
      return t.app.services.identity.seedProxy({
        grantorId: grantor,
        granteeId: grantee,
        kind,
        scope: { all: true },
        validUntil: until,
        consent: { method: 'signature' },
        createdBy: grantor,
      });
    };
    if (who === 'applicant') return grant(accounts.zhangsan!, accounts.wangxiaoming!, 'family');
    if (who === 'enterprise_agent') return grant(accounts.wangnainai!, accounts['jinling-foods']!, 'family');
    if (who === 'window_staff' || who === 'township_staff')
      return grant(accounts.zhangsan!, accounts[PLAYERS[who]]!, 'window_consent');
    return null;
  };
  // Proxies zhangsan granted, one of them to the city's window: rows of their own in the proxy lists.
  await f.proxyFor('applicant');
  await f.proxyFor('window_staff');
}, 300_000);
afterAll(async () => t?.close());

describe('the authorisation matrix', () => {
  it('has a row for every API route, and no row for a route that does not exist', () => {
    const routes = new Set(t.app.apiRoutes.map((r) => `${r.method} ${r.url}`));
    const rows = new Set(Object.keys(MATRIX));
    expect(
      [...routes].filter((r) => !rows.has(r)),
      'routes without a row in MATRIX',
    ).toEqual([]);
    expect(
      [...rows].filter((r) => !routes.has(r)),
      'rows for routes that do not exist',
    ).toEqual([]);
  });

  it('names every role in every row', () => {
    for (const [route, row] of Object.entries(MATRIX))
      expect(Object.keys(row.expect).sort(), route).toEqual([...WHO].sort());
  });

  for (const [route, row] of Object.entries(MATRIX)) it(route, () => checkRow(route, row, 'bearer'));
});

/**
 * Every cell of a row, each in the session of its role carried as a bearer token or as the web's session cookie
 * (with the Origin of the site, as a browser sends on its writes).
 */
async function checkRow(route: string, row: Row, via: 'bearer' | 'cookie') {
  const got: string[] = [];
  const wanted: string[] = [];
  for (const who of WHO) {
    const cell = row.expect[who];
    const cells: Array<[Target | null, Status]> = Array.isArray(cell)
      ? TARGETS.map((target, i) => [target, (cell as readonly Status[])[i]!])
      : [[null, cell as Status]];
    for (const [target, status] of cells) {
      const req = await row.request(f, who, target);
      const label = `${who}${target ? `/${target}` : ''}`;
      if (status === NA) {
        // Where a dimension does not apply, the row must not be able to build a request for it either.
        expect(req, `${route} ${label}: marked ${NA} but a request exists`).toBeNull();
        continue;
      }
      if (!req) throw new Error(`${route} ${label}: expects ${status} but no request could be built`);
      const token = who === 'anonymous' ? null : row.fresh ? await sessionOf(who) : f.tokens[who];
      const res = via === 'bearer' ? await send(token, req) : await sendWithCookie(token, req, SITE);
      wanted.push(`${label} ${status}`);
      got.push(`${label} ${res.statusCode}${res.statusCode !== status ? ` (${res.body.slice(0, 160)})` : ''}`);
    }
  }
  // One comparison per route, so a failure lists every cell that differs (with the answer's start).
  expect(got).toEqual(wanted);
}

describe('list routes: only rows the caller may see', () => {
  const isResourceFree = (route: string) => route.startsWith('GET ') && !route.includes('/:');
  const isOpen = (row: Row) => WHO.every((w) => row.expect[w] === 200);

  it('has a check (or a reason for none) for every GET route that lists something', () => {
    const listing = Object.entries(MATRIX)
      .filter(([route, row]) => isResourceFree(route) && !isOpen(row))
      .map(([route]) => route);
    expect(
      listing.filter((r) => !(r in LISTS) && !(r in NOT_OWNED)),
      'GET routes in neither LISTS nor NOT_OWNED',
    ).toEqual([]);
    expect(
      [...Object.keys(LISTS), ...Object.keys(NOT_OWNED)].filter((r) => !listing.includes(r)),
      'entries for routes that are not such GET routes of MATRIX',
    ).toEqual([]);
  });

  async function callerOf(who: Exclude<Who, 'anonymous'>): Promise<Caller> {
    const { rows } = await t.db.query<{ id: string; department_code: string | null; jurisdiction: string | null }>(
      'SELECT id, department_code, jurisdiction FROM accounts WHERE username = $1',
      [PLAYERS[who]],
    );
    const a = rows[0]!;
    // sessionOf has the enterprise agent act for 南京金陵餐饮有限公司.
    const subjectId = who === 'enterprise_agent' ? f.enterprise.jinling : a.id;
    return { accountId: a.id, subjectId, departmentCode: a.department_code, jurisdiction: a.jurisdiction };
  }

  for (const [route, check] of Object.entries(LISTS)) {
    it(route, async () => {
      const row = MATRIX[route]!;
      const readers = WHO.filter((w): w is Exclude<Who, 'anonymous'> => w !== 'anonymous' && row.expect[w] === 200);
      expect(readers.length, `${route}: no role gets 200`).toBeGreaterThan(0);
      const problems: string[] = [];
      let listedAny = 0;
      for (const who of readers) {
        const caller = await callerOf(who);
        const res = await send(f.tokens[who], (await row.request(f, who, null))!);
        expect(res.statusCode, `${route} ${who}: ${res.body.slice(0, 200)}`).toBe(200);
        const listed = await check.listed(res);
        for (const [part, sql] of Object.entries(check.sql)) {
          const all = new Map((await t.db.query<Owned>(sql)).rows.map((r) => [r.id, r]));
          const others = [...all.values()].filter((r) => !check.reaches(part, r, caller));
          // Without rows of others in the database, the check could not fail for this role.
          if (!others.length) problems.push(`${who}${part ? ` ${part}` : ''}: the fixtures hold no rows of others`);
          for (const id of listed[part] ?? []) {
            listedAny++;
            const found = all.get(id);
            if (!found) problems.push(`${who}${part ? ` ${part}` : ''}: lists ${id}, which is not in the table`);
            else if (!check.reaches(part, found, caller))
              problems.push(`${who}${part ? ` ${part}` : ''}: lists ${id} ${JSON.stringify(found)}, not the caller's`);
          }
        }
      }
      expect(problems).toEqual([]);
      // A route whose lists are all empty proves nothing: some role must see rows of its own.
      expect(listedAny, `${route}: every role's list was empty`).toBeGreaterThan(0);
    });
  }
});

describe('the matrix over the session cookie', () => {
  // The web's session is a cookie: every row again with it (and the site's Origin), expecting the same statuses.
  for (const [route, row] of Object.entries(MATRIX)) it(route, () => checkRow(route, row, 'cookie'));

  // What a refused write could have changed.
  const writes = async () =>
    (
      await t.db.query<{ n: string }>(
        `SELECT concat_ws('/', (SELECT count(*) FROM audit_events), (SELECT count(*) FROM applications),
                (SELECT count(*) FROM application_drafts), (SELECT count(*) FROM accounts),
                (SELECT count(*) FROM proxies WHERE revoked_at IS NULL), (SELECT count(*) FROM enterprise_agents),
                (SELECT count(*) FROM files), (SELECT count(*) FROM case_events),
                (SELECT count(*) FROM notifications WHERE read_at IS NOT NULL),
                (SELECT count(*) FROM sessions WHERE revoked_at IS NOT NULL)) AS n`,
      )
    ).rows[0]!.n;

  it('refuses every write of a cookie session without the site’s Origin, or with another site’s, and writes nothing', async () => {
    const publicRoutes = new Set(
      t.app.apiRoutes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`),
    );
    const unsafe = Object.entries(MATRIX).filter(([route]) => !route.startsWith('GET ') && !publicRoutes.has(route));
    expect(unsafe.length).toBeGreaterThan(30);
    const wrong: string[] = [];
    for (const [route, row] of unsafe) {
      for (const who of WHO) {
        if (who === 'anonymous') continue;
        const cell = row.expect[who];
        const target = Array.isArray(cell) ? (TARGETS[cell.findIndex((c) => c !== NA)] ?? null) : null;
        if (Array.isArray(cell) && !target) continue;
        const req = await row.request(f, who, target);
        if (!req) continue;
        for (const origin of [null, 'https://evil.example', 'null']) {
          const before = await writes();
          const res = await sendWithCookie(f.tokens[who], req, { host: SITE.host, origin });
          const after = await writes();
          const code = res.statusCode === 403 ? (res.json() as { code?: string }).code : undefined;
          if (res.statusCode !== 403 || code !== 'auth.forbidden' || after !== before)
            wrong.push(`${route} ${who} origin ${origin}: ${res.statusCode} ${code ?? res.body.slice(0, 120)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the OpenID Connect provider (/oidc): outside /api/v1, guarded by the protocol', () => {
  // The platform's session, as bearer token or cookie, must neither open nor change any of these answers: the
  // provider knows its own access tokens, client credentials and interaction cookie only.
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
  const OIDC: Array<{ req: Req; status: number; type: RegExp }> = [
    { req: { url: '/.well-known/openid-configuration' }, status: 200, type: /^application\/json/ },
    { req: { url: '/oidc/.well-known/openid-configuration' }, status: 200, type: /^application\/json/ },
    { req: { url: '/oidc/jwks' }, status: 200, type: /^application\/jwk-set\+json/ },
    // The authorisation endpoint without a client, the token and revocation endpoints without client credentials.
    { req: { url: '/oidc/auth' }, status: 400, type: /^text\/html/ },
    {
      req: { method: 'POST', url: '/oidc/token', headers: FORM, payload: 'grant_type=authorization_code&code=x' },
      status: 400,
      type: /^application\/json/,
    },
    {
      req: { method: 'POST', url: '/oidc/token/revocation', headers: FORM, payload: 'token=x' },
      status: 400,
      type: /^application\/json/,
    },
    // userinfo takes the provider's access tokens only.
    { req: { url: '/oidc/me' }, status: 401, type: /^application\/json/ },
    // The interaction pages without the provider's interaction cookie; a foreign Origin is refused before that.
    { req: { url: '/oidc/interaction/no-such-uid' }, status: 400, type: /^text\/html/ },
    ...['login', 'otp', 'confirm', 'abort'].flatMap((step) => [
      {
        req: {
          method: 'POST' as const,
          url: `/oidc/interaction/no-such-uid/${step}`,
          headers: FORM,
          payload: 'username=zhangsan&password=x&code=123456',
        },
        status: 400,
        type: /^text\/html/,
      },
      {
        req: {
          method: 'POST' as const,
          url: `/oidc/interaction/no-such-uid/${step}`,
          headers: { ...FORM, origin: 'https://evil.example' },
          payload: 'username=zhangsan&password=x&code=123456',
        },
        status: 403,
        type: /^text\/html/,
      },
    ]),
  ];

  it('answers every caller alike, with or without a platform session', async () => {
    const attempts = async () =>
      Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM login_attempts')).rows[0]!.n);
    const before = await attempts();
    const wrong: string[] = [];
    for (const who of WHO) {
      const token = who === 'anonymous' ? null : f.tokens[who];
      for (const via of ['bearer', 'cookie'] as const) {
        if (!token && via === 'cookie') continue;
        for (const { req, status, type } of OIDC) {
          const res =
            via === 'bearer'
              ? await send(token, req)
              : await sendWithCookie(token, req, { host: SITE.host, origin: req.headers?.origin ?? null });
          if (res.statusCode !== status || !type.test(String(res.headers['content-type'])))
            wrong.push(
              `${who} ${via} ${req.method ?? 'GET'} ${req.url}: ${res.statusCode} ${res.headers['content-type']}`,
            );
        }
      }
    }
    expect(wrong).toEqual([]);
    // No password was tried: a login step without its interaction reads nothing.
    expect(await attempts()).toBe(before);
  });

  it('shows the login page only to the browser holding the interaction, and refuses its posts from elsewhere', async () => {
    const reg = await send(f.tokens.admin, {
      method: 'POST',
      url: '/api/v1/admin/sso/clients',
      payload: {
        name: '矩阵测试系统',
        departmentCode: 'nj-health',
        redirectUris: ['https://dept.example/callback'],
        authMethod: 'none',
        scopes: ['openid'],
        firstParty: true,
      },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const clientId = (reg.json() as { clientId: string }).clientId;
    const auth = await t.app.inject({
      url: `/oidc/auth?${new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        redirect_uri: 'https://dept.example/callback',
        scope: 'openid',
        state: 'matrix',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      })}`,
    });
    expect(auth.statusCode, auth.body).toBe(303);
    const page = String(auth.headers.location);
    const uid = /\/oidc\/interaction\/([^/?]+)$/.exec(page)?.[1];
    expect(uid, page).toBeTruthy();
    const cookies = [auth.headers['set-cookie']]
      .flat()
      .filter((c): c is string => !!c)
      .map((c) => c.split(';')[0])
      .join('; ');
    const at = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET') =>
      t.app.inject({
        method,
        url,
        headers: { ...headers, ...(method === 'POST' ? FORM : {}) },
        ...(method === 'POST' ? { payload: 'username=zhangsan&password=wrong' } : {}),
      });
    expect((await at(page, { cookie: cookies })).statusCode).toBe(200);
    // Without the interaction's cookie, or with it for another interaction: the page has expired.
    expect((await at(page)).statusCode).toBe(400);
    expect((await at(page, { cookie: `${SESSION_COOKIE}=${f.tokens.applicant}` })).statusCode).toBe(400);
    expect((await at('/oidc/interaction/another-uid', { cookie: cookies })).statusCode).toBe(400);
    // Its cookie posted from another site: refused before the password is looked at.
    const foreign = await at(`${page}/login`, { cookie: cookies, origin: 'https://evil.example' }, 'POST');
    expect(foreign.statusCode).toBe(403);
    const ownSite = await at(`${page}/login`, { cookie: cookies }, 'POST');
    // The password is checked: wrong, so the login page again with the reason.
    expect(ownSite.statusCode).toBe(401);
  });
});
