// Applications' (intake) error codes, with their HTTP status and their titles in both languages.
// Clients match a problem's code against these values; the codes never change once published.
import { defineFieldErrors, defineMessages, defineProblems } from '../problem/index.ts';

export const ApplicationsErrors = defineProblems({
  notFound: { code: 'applications.not_found', status: 404, title: { zh: '申请不存在', en: 'Application not found' } },
  draftNotFound: {
    code: 'applications.draft_not_found',
    status: 404,
    title: { zh: '草稿不存在', en: 'Draft not found' },
  },
  invalid: {
    code: 'applications.invalid',
    status: 422,
    title: { zh: '申请内容不符合要求，未提交', en: 'The application is not valid; nothing was submitted' },
  },
  noItems: {
    code: 'applications.no_items',
    status: 422,
    title: { zh: '根据您的回答没有需要办理的事项', en: 'Your answers select no service item' },
  },
  idempotencyMismatch: {
    code: 'applications.idempotency_mismatch',
    status: 422,
    title: {
      zh: '同一个幂等键（Idempotency-Key）不能用于不同的申请内容',
      en: 'This Idempotency-Key was used for a different request',
    },
  },
  notOpen: {
    code: 'applications.not_open',
    status: 409,
    title: { zh: '申请已结束，不能撤回', en: 'The application is closed and cannot be withdrawn' },
  },
  fileUnsupportedType: {
    code: 'files.unsupported_type',
    status: 415,
    title: { zh: '只接受 PDF、JPEG 或 PNG 文件', en: 'Only PDF, JPEG or PNG files are accepted' },
  },
  fileContentMismatch: {
    code: 'files.content_mismatch',
    status: 422,
    title: { zh: '文件内容与声明的类型不符', en: 'The file content does not match its declared type' },
  },
});

/** The messages of field errors. The form's own checks carry `applications.form_<JSON Schema keyword>`. */
export const ApplicationsFieldErrors = defineFieldErrors({
  formRequired: { code: 'applications.form_required', detail: { zh: '必填', en: 'required' } },
  formInvalid: { code: 'applications.form_invalid', detail: { zh: '不符合要求：{message}', en: '{message}' } },
  noItems: {
    code: 'applications.no_items',
    detail: { zh: '根据这些回答，没有需要办理的事项', en: 'these answers select no service item' },
  },
});

export const ApplicationsMessages = defineMessages({
  /** A service item's own check, named after the item it comes from. */
  ofItem: { zh: '{detail}（{item}）', en: '{detail} ({item})' },
});
