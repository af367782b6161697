// Pure rules of identity and of authorize(): jurisdiction "within and below", permission scopes, proxies'
// bundles, who needs a one-time code, the password policy and masking. No database.
import { describe, expect, it } from 'vitest';
import {
  authorize,
  divisionPrefix,
  isProvinceWide,
  isWithinJurisdiction,
  type Principal,
} from '../../platform/auth.ts';
import {
  isRealName,
  isSameEnterpriseName,
  isSameName,
  maskPhone,
  needsOtp,
  newOtpCode,
  otpHash,
  otpMatches,
  passwordProblems,
  realNameLevelOf,
  unusableOtpCode,
} from './identity.domain.ts';

describe('jurisdiction', () => {
  it.each([
    ['320000', '32'],
    ['320200', '3202'],
    ['320104', '320104'],
    ['320104001', '320104001'],
    ['320104001001', '320104001001'],
    ['320104001000', '320104001'],
    ['320104000000', '320104'],
    ['320100000000', '3201'],
    ['320000000000', '32'],
    ['32010', null],
    ['3201040010', null],
    ['abcdef', null],
  ])('the significant prefix of %s is %s', (code, prefix) => {
    expect(divisionPrefix(code)).toBe(prefix);
  });

  it.each([
    // region, jurisdiction, within
    ['320104', '320104', true], // itself
    ['320104', '320100', true], // a county within its city
    ['320104', '320000', true], // and its province
    ['320100', '320000', true], // a city within its province
    ['320100', '320104', false], // a city is not within one of its counties
    ['320000', '320100', false], // nor a province within a city
    ['320211', '320100', false], // another city's county
    ['320104001', '320104', true], // a township within its county
    ['320104001001', '320104001', true], // a village within its township
    ['320104', '320104001', false], // a county is not within one of its townships
    ['320104002', '320104001', false], // a neighbouring township
    ['320104001000', '320104001', true], // the 12-digit form of the township itself
    ['110105', '320000', false],
    ['', '320000', false],
    ['320104', '', false],
  ])('%s within %s: %s', (region, jurisdiction, within) => {
    expect(isWithinJurisdiction(region, jurisdiction)).toBe(within);
  });

  it('counts only a whole province (or more) as province-wide', () => {
    expect(isProvinceWide('320000')).toBe(true);
    expect(isProvinceWide('320200')).toBe(false);
    expect(isProvinceWide('320104001')).toBe(false);
    expect(isProvinceWide(null)).toBe(false);
  });
});

function principal(over: Partial<Principal>): Principal {
  return {
    accountId: 'a',
    subjectId: 'a',
    acting: null,
    sessionKey: 'k',
    kind: 'staff',
    username: 'u',
    displayName: 'U',
    roles: [],
    accountRoles: [],
    permissions: [],
    departmentCode: null,
    regionCode: null,
    jurisdiction: null,
    via: 'bearer',
    ...over,
  };
}

describe('authorize', () => {
  const reviewer = principal({
    roles: ['reviewer'],
    permissions: ['cases.review'],
    departmentCode: 'nj-health',
    jurisdiction: '320100',
  });

  it('needs the permission first', () => {
    expect(authorize(null, 'cases.review')).toBe(false);
    expect(authorize(reviewer, 'cases.read')).toBe(false);
    expect(authorize(reviewer, 'cases.review')).toBe(true);
  });

  it('reaches cases of the own department within the jurisdiction (department scope)', () => {
    expect(authorize(reviewer, 'cases.review', { departmentCode: 'nj-health', regionCode: '320100' })).toBe(true);
    expect(authorize(reviewer, 'cases.review', { departmentCode: 'nj-health', regionCode: '320104' })).toBe(true);
    expect(authorize(reviewer, 'cases.review', { departmentCode: 'nj-police', regionCode: '320100' })).toBe(false);
    expect(authorize(reviewer, 'cases.review', { departmentCode: 'nj-health', regionCode: '320200' })).toBe(false);
    expect(authorize(reviewer, 'cases.review', { departmentCode: 'nj-health', regionCode: '320000' })).toBe(false);
    const noDepartment = principal({ permissions: ['cases.review'], jurisdiction: '320104001' });
    expect(authorize(noDepartment, 'cases.review', { departmentCode: null, regionCode: '320104' })).toBe(false);
  });

  it('reaches resources within the jurisdiction (jurisdiction scope)', () => {
    const auditor = principal({ permissions: ['cases.read'], jurisdiction: '320100' });
    expect(authorize(auditor, 'cases.read', { departmentCode: 'nj-police', regionCode: '320104' })).toBe(true);
    expect(authorize(auditor, 'cases.read', { regionCode: '320211' })).toBe(false);
  });

  it('holds province-wide permissions only with a province-wide jurisdiction', () => {
    expect(
      authorize(principal({ permissions: ['catalogue.manage'], jurisdiction: '320000' }), 'catalogue.manage'),
    ).toBe(true);
    expect(
      authorize(principal({ permissions: ['catalogue.manage'], jurisdiction: '320200' }), 'catalogue.manage'),
    ).toBe(false);
  });

  it('reaches the subject’s own resources, and under a proxy only the bundles it covers', () => {
    const self = principal({ kind: 'person', accountId: 'p', subjectId: 'p', permissions: ['applications.read'] });
    expect(authorize(self, 'applications.read', { ownerId: 'p', bundle: 'newborn' })).toBe(true);
    expect(authorize(self, 'applications.read', { ownerId: 'q', bundle: 'newborn' })).toBe(false);
    expect(authorize(self, 'applications.read', { ownerId: null })).toBe(false);
    const proxy = principal({
      kind: 'person',
      accountId: 'g',
      subjectId: 'p',
      permissions: ['applications.read'],
      acting: {
        kind: 'proxy',
        subjectId: 'p',
        displayName: 'P',
        proxyId: 'x',
        proxyKind: 'family',
        bundles: ['retirement'],
        ended: null,
      },
    });
    expect(authorize(proxy, 'applications.read', { ownerId: 'p', bundle: 'retirement' })).toBe(true);
    expect(authorize(proxy, 'applications.read', { ownerId: 'p', bundle: 'newborn' })).toBe(false);
    expect(authorize(proxy, 'applications.read', { ownerId: 'g', bundle: 'retirement' })).toBe(false);
    expect(
      authorize({ ...proxy, acting: { ...proxy.acting!, ended: 'revoked' } }, 'applications.read', {
        ownerId: 'p',
        bundle: 'retirement',
      }),
    ).toBe(false);
  });
});

describe('one-time codes and login policy', () => {
  it('makes six-digit codes and matches them only within their own challenge', () => {
    const code = newOtpCode();
    expect(code).toMatch(/^\d{6}$/);
    const hash = otpHash('c1', code);
    expect(otpMatches('c1', code, hash)).toBe(true);
    expect(otpMatches('c2', code, hash)).toBe(false);
    expect(otpMatches('c1', code === '000000' ? '000001' : '000000', hash)).toBe(false);
  });

  it.each([
    ['staff', 'staff', false, true],
    ['staff', 'person', false, false],
    ['staff', 'person', true, true],
    ['all', 'person', false, true],
    ['off', 'staff', true, false],
  ] as const)('LOGIN_OTP=%s asks a %s (opted in: %s): %s', (policy, kind, loginOtp, asked) => {
    expect(needsOtp(policy, { kind, loginOtp })).toBe(asked);
  });

  it('wants passwords of at least 10 characters, not the username, not one character repeated', () => {
    expect(passwordProblems('a-long-passphrase', 'lisi')).toEqual([]);
    expect(passwordProblems('short', 'lisi').map((p) => p.code)).toEqual(['identity.password_too_short']);
    expect(passwordProblems('wangxiaoming', 'WangXiaoMing').map((p) => p.code)).toEqual([
      'identity.password_is_username',
    ]);
    expect(passwordProblems('aaaaaaaaaaaa', 'lisi').map((p) => p.code)).toEqual(['identity.password_repetitive']);
    // Characters, not UTF-16 units: ten Chinese characters are ten.
    expect(passwordProblems('一二三四五六七八九十', 'lisi')).toEqual([]);
  });

  it('takes real names as on the ID card and masks phone numbers', () => {
    expect(isRealName('王奶奶')).toBe(true);
    expect(isRealName('阿依古丽·买买提')).toBe(true);
    expect(isRealName('x')).toBe(false);
    expect(isRealName('<script>')).toBe(false);
    expect(maskPhone('13951000001')).toBe('139****0001');
  });
});

describe('identity proofing', () => {
  it.each([
    ['张三', ' 张 三 ', true],
    ['阿卜杜·热合曼', '阿卜杜•热合曼', true],
    ['阿卜杜·热合曼', '阿卜杜.热合曼', true],
    ['ＬＩ Ｍｉｎｇ', 'LIMing', true],
    ['张三', '张叁', false],
    ['王小明', '王明', false],
  ])('compares names as on the card: %s / %s → %s', (a, b, same) => {
    expect(isSameName(a, b)).toBe(same);
  });

  it('compares enterprise names across full- and half-width forms', () => {
    expect(isSameEnterpriseName('南京金陵餐饮（集团）有限公司', '南京金陵餐饮(集团)有限公司')).toBe(true);
    expect(isSameEnterpriseName('南京金陵餐饮有限公司', '南京金陵饮食有限公司')).toBe(false);
  });

  it.each([
    ['staff', 1, 3],
    ['person', 1, 1],
    ['person', 2, 2],
    ['person', 3, 3],
    ['enterprise', 3, 1],
  ] as const)('gives a %s stored at level %d real-name level %d', (kind, stored, level) => {
    expect(realNameLevelOf({ kind, realNameLevel: stored })).toBe(level);
  });

  it('hashes an unusable code that no six digits can match', () => {
    const code = unusableOtpCode();
    expect(code).not.toMatch(/^\d{6}$/);
    expect(otpMatches('c', code, otpHash('c', code))).toBe(true);
    expect(otpMatches('c', '000000', otpHash('c', code))).toBe(false);
  });
});
