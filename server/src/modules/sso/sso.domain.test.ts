import { describe, expect, it } from 'vitest';
import {
  accountClaims,
  authContext,
  clientInputProblems,
  isJurisdictionCode,
  providerMetadata,
  realNameLevel,
  redirectUriProblem,
  secretMatches,
  sha256Hex,
  type SsoAccount,
} from './sso.domain.ts';

describe('redirect URIs', () => {
  it.each([
    ['https://dept.example.gov.cn/oidc/callback', null],
    ['https://dept.example.gov.cn:8443/cb?x=1', null],
    ['http://localhost:5173/cb', null],
    ['http://127.0.0.1:9/callback', null],
    ['http://[::1]:8080/cb', null],
    ['http://dept.example.gov.cn/cb', 'sso.redirect_uri_insecure'],
    ['http://localhost.attacker.example/cb', 'sso.redirect_uri_insecure'],
    ['ftp://localhost/cb', 'sso.redirect_uri_insecure'],
    ['javascript:alert(1)', 'sso.redirect_uri_insecure'],
    ['https://dept.example.gov.cn/cb#x', 'sso.redirect_uri_fragment'],
    ['https://dept.example.gov.cn/cb#', 'sso.redirect_uri_fragment'],
    ['https://user:pw@dept.example.gov.cn/cb', 'sso.redirect_uri_credentials'],
    ['/relative/cb', 'sso.redirect_uri_not_absolute'],
  ])('%s → %s', (uri, code) => {
    expect(redirectUriProblem(uri)?.code ?? null).toBe(code);
  });

  it('reports every problem of a registration with a pointer', () => {
    const problems = clientInputProblems({
      redirectUris: ['https://a.example/cb', 'https://a.example/cb'],
      postLogoutRedirectUris: ['http://evil.example/'],
      scopes: ['profile'],
    });
    expect(problems.map((p) => `${p.pointer} ${p.code}`)).toEqual([
      '/redirectUris sso.duplicate_uri',
      '/postLogoutRedirectUris/0 sso.redirect_uri_insecure',
      '/scopes sso.openid_required',
    ]);
    // A change checks only what it changes.
    expect(clientInputProblems({ scopes: ['openid'] })).toEqual([]);
  });

  it.each([
    ['320000', true],
    ['320211', true],
    ['320104001', true],
    ['320104001001', true],
    ['3202', false],
    ['32020', false],
    ['3201040010', false],
    ['32a000', false],
  ])('jurisdiction %s → %s', (code, ok) => {
    expect(isJurisdictionCode(code)).toBe(ok);
  });
});

describe('real-name level (实名等级)', () => {
  it('is 3 for staff, the proofing level identity gives for persons, 1 for enterprises', () => {
    expect(realNameLevel({ kind: 'staff', realNameLevel: 1 })).toBe(3);
    expect(realNameLevel({ kind: 'person', realNameLevel: 3 })).toBe(3);
    expect(realNameLevel({ kind: 'person', realNameLevel: 2 })).toBe(2);
    expect(realNameLevel({ kind: 'person', realNameLevel: 1 })).toBe(1);
    expect(realNameLevel({ kind: 'enterprise', realNameLevel: 2 })).toBe(1);
  });
});

describe('login context', () => {
  it('adds the one-time code to acr and amr', () => {
    expect(authContext(['password'])).toEqual({ acr: 'urn:onething:acr:password', amr: ['pwd'] });
    expect(authContext(['password', 'otp'])).toEqual({ acr: 'urn:onething:acr:password+otp', amr: ['pwd', 'otp'] });
  });
});

describe('claims', () => {
  const staff: SsoAccount = {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'staff',
    username: 'reviewer.health',
    displayName: '审核员',
    roles: ['reviewer'],
    departmentCode: 'nj-health',
    regionCode: '320100',
    jurisdiction: '320100',
    realNameLevel: 1,
  };

  it('carry the jurisdiction of staff and leave it out for others', () => {
    expect(accountClaims(staff)).toMatchObject({
      sub: staff.id,
      real_name_level: 3,
      department_code: 'nj-health',
      jurisdiction: '320100',
      roles: ['reviewer'],
    });
    const person = accountClaims({
      ...staff,
      kind: 'person',
      roles: ['applicant'],
      departmentCode: null,
      jurisdiction: null,
      regionCode: '320102',
      realNameLevel: 2,
    });
    expect(person).toMatchObject({ real_name_level: 2, region_code: '320102' });
    expect(person).not.toHaveProperty('department_code');
    expect(person).not.toHaveProperty('jurisdiction');
  });
});

describe('client secrets', () => {
  it('are compared with their stored SHA-256 only', () => {
    const stored = sha256Hex('s3cret');
    expect(secretMatches('s3cret', stored)).toBe(true);
    expect(secretMatches('s3cret ', stored)).toBe(false);
    expect(secretMatches('s3cret', undefined)).toBe(false);
    // A stored value that is not a hash never matches, not even itself.
    expect(secretMatches('plain', 'plain')).toBe(false);
  });

  it('never reach oidc-provider in the clear', () => {
    const meta = providerMetadata({
      clientId: 'ot-x',
      name: 'x',
      departmentCode: null,
      jurisdiction: '320000',
      redirectUris: ['https://a.example/cb'],
      postLogoutRedirectUris: [],
      authMethod: 'client_secret_basic',
      secretSha256: sha256Hex('s3cret'),
      scopes: ['openid'],
      firstParty: true,
      createdBy: null,
      createdAt: new Date(),
    });
    expect(meta).toMatchObject({
      client_secret: sha256Hex('s3cret'),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      onething_first_party: true,
    });
  });
});
