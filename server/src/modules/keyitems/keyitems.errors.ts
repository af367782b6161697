import { defineErrors } from '../../platform/errors.ts';

export const KeyItemErrors = defineErrors({
  'key_items.not_found': { status: 404, title: { zh: '重点事项 {id} 不存在', en: 'Key item {id} not found' } },
  'key_items.invalid': {
    status: 422,
    title: { zh: '重点事项的修改不符合要求', en: 'The change to the key item is not valid' },
  },
});
