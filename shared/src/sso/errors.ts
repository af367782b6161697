// Single sign-on's error codes, with their HTTP status and their titles in both languages.
// Clients match a problem's code against these values; the codes never change once published.
import { defineProblems } from '../problem/index.ts';

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
});
