// Single sign-on's error codes, with their HTTP status and their titles in both languages, and the messages of
// the field errors a client registration can have. Clients match a problem's code against these values; the codes
// never change once published.
import { defineFieldErrors, defineProblems } from '../problem/index.ts';

export const SsoErrors = defineProblems({
  clientNotFound: {
    code: 'sso.client_not_found',
    status: 404,
    title: { zh: '接入系统 {clientId} 不存在', en: 'Client {clientId} not found' },
  },
  invalidClient: {
    code: 'sso.invalid_client',
    status: 422,
    title: { zh: '接入系统的登记信息不符合要求', en: 'The client registration is not valid' },
  },
  departmentNotFound: {
    code: 'sso.department_not_found',
    status: 422,
    title: { zh: '部门 {code} 不存在', en: 'Department {code} not found' },
  },
  outsideJurisdiction: {
    code: 'sso.outside_jurisdiction',
    status: 403,
    title: { zh: '超出您的管辖范围', en: 'Outside your jurisdiction' },
  },
  firstPartyProvinceOnly: {
    code: 'sso.first_party_province_only',
    status: 403,
    title: {
      zh: '免授权确认的政务系统只能由省级管理员登记和管理',
      en: 'Only province-level administrators register and manage clients that skip the consent screen',
    },
  },
});

/** What is wrong with one field of a client registration. */
export const SsoFieldErrors = defineFieldErrors({
  redirectUriNotAbsolute: {
    code: 'sso.redirect_uri_not_absolute',
    detail: { zh: '须为完整的网址', en: 'must be an absolute URL' },
  },
  redirectUriInsecure: {
    code: 'sso.redirect_uri_insecure',
    detail: {
      zh: '须使用 https（本机开发可用 http://localhost 或 http://127.0.0.1）',
      en: 'must use https (http only for localhost or 127.0.0.1 in development)',
    },
  },
  redirectUriFragment: {
    code: 'sso.redirect_uri_fragment',
    detail: { zh: '不得包含片段（#）', en: 'must not contain a fragment (#)' },
  },
  redirectUriCredentials: {
    code: 'sso.redirect_uri_credentials',
    detail: { zh: '不得包含用户名或密码', en: 'must not contain credentials' },
  },
  duplicateUri: { code: 'sso.duplicate_uri', detail: { zh: '地址重复', en: 'contains duplicates' } },
  openidRequired: { code: 'sso.openid_required', detail: { zh: '须包含 openid', en: 'must include openid' } },
  departmentUnknown: { code: 'sso.department_not_found', detail: { zh: '部门不存在', en: 'no such department' } },
  jurisdictionInvalid: {
    code: 'sso.jurisdiction_invalid',
    detail: { zh: '管辖区域应为 6、9 或 12 位区划代码', en: 'a division code of 6, 9 or 12 digits' },
  },
  jurisdictionUnknown: {
    code: 'sso.jurisdiction_unknown',
    detail: { zh: '区划代码不是现行有效的代码', en: 'not a current division code' },
  },
  jurisdictionOutsideDepartment: {
    code: 'sso.jurisdiction_outside_department',
    detail: { zh: '管辖区域应在所属部门的区域之内', en: 'must lie within the department’s region' },
  },
  outsideJurisdiction: {
    code: 'sso.outside_jurisdiction',
    detail: { zh: '超出您的管辖范围', en: 'outside your jurisdiction' },
  },
  departmentOutsideJurisdiction: {
    code: 'sso.outside_jurisdiction',
    detail: { zh: '该部门超出您的管辖范围', en: 'the department is outside your jurisdiction' },
  },
  firstPartyProvinceOnly: {
    code: 'sso.first_party_province_only',
    detail: {
      zh: '只有省级管理员可以登记免授权确认的系统',
      en: 'only a province-level administrator may register a client without a consent screen',
    },
  },
});
