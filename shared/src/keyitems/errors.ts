// Key items' (重点事项) error codes, with their HTTP status and their titles in both languages.
// Clients match a problem's code against these values; the codes never change once published.
import { defineFieldErrors, defineProblems } from '../problem/index.ts';

export const KeyItemErrors = defineProblems({
  notFound: {
    code: 'key_items.not_found',
    status: 404,
    title: { zh: '重点事项 {id} 不存在', en: 'Key item {id} not found' },
  },
  invalid: {
    code: 'key_items.invalid',
    status: 422,
    title: { zh: '重点事项的修改不符合要求', en: 'The change to the key item is not valid' },
  },
});

/** The messages of field errors. */
export const KeyItemFieldErrors = defineFieldErrors({
  unknownBundle: { code: 'key_items.unknown_bundle', detail: { zh: '一件事 {code} 不存在', en: 'No bundle {code}' } },
});
