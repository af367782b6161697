import { defineErrors } from '../../platform/errors.ts';

export const SsoErrors = defineErrors({
  'sso.client_not_found': {
    status: 404,
    title: { zh: '接入系统 {clientId} 不存在', en: 'Client {clientId} not found' },
  },
  'sso.invalid_client': {
    status: 422,
    title: { zh: '接入系统的登记信息不符合要求', en: 'The client registration is not valid' },
  },
  'sso.department_not_found': { status: 422, title: { zh: '部门 {code} 不存在', en: 'Department {code} not found' } },
});
