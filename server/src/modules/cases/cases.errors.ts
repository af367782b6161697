import { defineErrors } from '../../platform/errors.ts';

export const CasesErrors = defineErrors({
  'cases.not_found': { status: 404, title: { zh: '办件不存在', en: 'Case not found' } },
  'cases.file_not_found': {
    status: 404,
    title: { zh: '该办件没有此文件', en: "No such file among the case's materials" },
  },
  'cases.invalid_transition': {
    status: 409,
    title: {
      zh: '办件当前为“{statusZh}”，不能“{actionZh}”',
      en: 'The case is {statusEn}: “{actionEn}” is not possible now',
    },
  },
  'cases.reason_required': { status: 400, title: { zh: '必须填写理由', en: 'A reason is required' } },
  'cases.invalid_gap': {
    status: 422,
    title: { zh: '容缺受理的内容不符合要求', en: 'The tolerated-gap acceptance is not valid' },
  },
  'cases.correction_late': { status: 409, title: { zh: '已超过补正告知期限', en: 'Too late for a correction notice' } },
});
