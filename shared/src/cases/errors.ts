// Cases' error codes, with their HTTP status and their titles in both languages.
// Clients match a problem's code against these values; the codes never change once published.
import { defineFieldErrors, defineProblems } from '../problem/index.ts';

export const CasesErrors = defineProblems({
  notFound: { code: 'cases.not_found', status: 404, title: { zh: '办件不存在', en: 'Case not found' } },
  fileNotFound: {
    code: 'cases.file_not_found',
    status: 404,
    title: { zh: '该办件没有此文件', en: "No such file among the case's materials" },
  },
  invalidTransition: {
    code: 'cases.invalid_transition',
    status: 409,
    title: {
      zh: '办件当前为“{statusZh}”，不能“{actionZh}”',
      en: 'The case is {statusEn}: “{actionEn}” is not possible now',
    },
  },
  reasonRequired: {
    code: 'cases.reason_required',
    status: 400,
    title: { zh: '必须填写理由', en: 'A reason is required' },
  },
  invalidGap: {
    code: 'cases.invalid_gap',
    status: 422,
    title: { zh: '容缺受理的内容不符合要求', en: 'The tolerated-gap acceptance is not valid' },
  },
  correctionLate: {
    code: 'cases.correction_late',
    status: 409,
    title: { zh: '已超过补正告知期限', en: 'Too late for a correction notice' },
  },
});

/** The messages of the field errors that come with them. */
export const CasesFieldErrors = defineFieldErrors({
  correctionLate: {
    code: 'cases.correction_late',
    detail: {
      zh: '已超过收到申请后 5 个工作日，视为受理',
      en: 'more than 5 working days after receipt: the application counts as accepted',
    },
  },
  reasonRequired: { code: 'cases.reason_required', detail: { zh: '必须说明理由', en: 'a reason is required' } },
});
