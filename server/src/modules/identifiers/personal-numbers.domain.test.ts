import { describe, expect, it } from 'vitest';
import { idNumberCheckChar, usccCheckChar } from './identifiers.domain.ts';
import {
  containsPersonalNumber,
  findPersonalNumbers,
  maskPersonalNumbers,
  type PersonalNumberKind,
} from './personal-numbers.domain.ts';

/** A fake resident ID number with a valid check character (Nanjing Xuanwu, born 1990-03-07). */
const ID = `32010219900307234${idNumberCheckChar('32010219900307234')}`;
const ID_X = `32010419400808002${idNumberCheckChar('32010419400808002')}`; // ends in X
/** An all-digit unified social credit code with a valid check character (and a wrong one for an ID number). */
const USCC_DIGITS = (() => {
  for (let n = 0; ; n++) {
    const first17 = `9132010071${String(n).padStart(7, '0')}`;
    const c = usccCheckChar(first17);
    if (/[0-9]/.test(c) && idNumberCheckChar(first17) !== c) return first17 + c;
  }
})();
const USCC = `91320100MA1W2K3L4${usccCheckChar('91320100MA1W2K3L4')}`;

describe('personal numbers in free text', () => {
  it('has the fixtures the tables below rely on', () => {
    expect(ID).toMatch(/^[0-9]{18}$/);
    expect(ID_X).toMatch(/^[0-9]{17}X$/);
    expect(USCC_DIGITS).toMatch(/^[0-9]{18}$/);
  });

  it.each<[string, PersonalNumberKind, string, string]>([
    // mobile numbers, as people write them
    ['13800138000', 'mobile', '13800138000', '138****8000'],
    ['+86 138 0013 8000', 'mobile', '13800138000', '+86 138 **** 8000'],
    ['+86-138-0013-8000', 'mobile', '13800138000', '+86-138-****-8000'],
    ['+8613800138000', 'mobile', '13800138000', '+86138****8000'],
    ['8613800138000', 'mobile', '13800138000', '86138****8000'],
    ['0086 13800138000', 'mobile', '13800138000', '0086 138****8000'],
    ['0086-138-0013-8000', 'mobile', '13800138000', '0086-138-****-8000'],
    ['86-13800138000', 'mobile', '13800138000', '86-138****8000'],
    ['86 138 0013 8000', 'mobile', '13800138000', '86 138 **** 8000'],
    ['(+86) 138 0013 8000', 'mobile', '13800138000', '(+86) 138 **** 8000'],
    ['（+86）138-0013-8000', 'mobile', '13800138000', '（+86）138-****-8000'],
    ['138-0013-8000', 'mobile', '13800138000', '138-****-8000'],
    ['138 0013 8000', 'mobile', '13800138000', '138 **** 8000'],
    ['138.0013.8000', 'mobile', '13800138000', '138.****.8000'],
    ['1380013 8000', 'mobile', '13800138000', '138**** 8000'],
    ['138 00138000', 'mobile', '13800138000', '138 ****8000'],
    ['１３８００１３８０００', 'mobile', '13800138000', '１３８****８０００'],
    ['Tel-19951000001', 'mobile', '19951000001', 'Tel-199****0001'],
    // fixed lines with their area codes
    ['025-8888 6666', 'landline', '02588886666', '025-**** 6666'],
    ['(0510) 8123 4567', 'landline', '051081234567', '(0510) **** 4567'],
    ['（0510）81234567', 'landline', '051081234567', '（0510）****4567'],
    ['0512-6523 4567', 'landline', '051265234567', '0512-**** 4567'],
    ['0512 6523456', 'landline', '05126523456', '0512 ***3456'],
    ['010-6552 9988', 'landline', '01065529988', '010-**** 9988'],
    ['02588886666', 'landline', '02588886666', '025****6666'],
    ['+86 25 8888 6666', 'landline', '02588886666', '+86 25 **** 6666'],
    ['+86-10-6552-9988', 'landline', '01065529988', '+86-10-****-9988'],
    ['+86 (0)25 8888 6666', 'landline', '02588886666', '+86 (0)25 **** 6666'],
    ['0086 510 8123 4567', 'landline', '051081234567', '0086 510 **** 4567'],
    // ID numbers
    [ID, 'id_number', ID, `3201**********${ID.slice(-4)}`],
    [ID_X.toLowerCase(), 'id_number', ID_X, `3201**********${ID_X.slice(-4).toLowerCase()}`],
    [`${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`, 'id_number', ID, `3201** ******** ${ID.slice(14)}`],
    [`${ID.slice(0, 6)}-${ID.slice(6, 14)}-${ID.slice(14)}`, 'id_number', ID, `3201**-********-${ID.slice(14)}`],
    [`身份证_${ID}.pdf`, 'id_number', ID, `身份证_3201**********${ID.slice(-4)}.pdf`],
  ])('%s is a %s (%s), masked %s', (text, kind, normalized, masked) => {
    const found = findPersonalNumbers(text);
    expect(found.map((n) => [n.kind, n.normalized])).toEqual([[kind, normalized]]);
    expect(maskPersonalNumbers(text)).toBe(masked);
    expect(containsPersonalNumber(maskPersonalNumbers(text))).toBe(false);
  });

  it.each([
    // dates and times
    '2026-12-07',
    '2026.12.07',
    '20261207',
    '2026年12月07日',
    '2026-12-07 13:00',
    '2026-03-02T10:00:00.000Z',
    // amounts
    '13800138000.00',
    '1.13800138000',
    '¥13800138000',
    '￥ 13800138000',
    '13800138000元',
    '13800138000 万元',
    '1,380,013,800.00',
    '13 800 138 000',
    // application, case output and consent numbers
    'YJS2026120700000002',
    'YJS2026120700000002-birth',
    '2026120700000002',
    'QH-2026-0007',
    'No.202612070001',
    // credit codes
    USCC,
    USCC_DIGITS,
    // part of something longer: a letter or digit next to it, a UUID, an address
    '13800138000abc',
    'a13800138000',
    '138001380001',
    '1380013800',
    `1${ID}`,
    `${ID}0`,
    '13800138-0013-4000-8000-000000000000',
    '05123456-7890-4abc-8def-0123456789ab',
    '192.168.100.138',
    '1 3 8 0 0 1 3 8 0 0 0',
    // looks like a fixed line but is not one: no area code, a local number starting 0 or 1, a bare 86
    '8888 6666',
    '025-0888 6666',
    '010-1234567',
    '862588886666',
  ])('%s is not a personal number', (text) => {
    expect(findPersonalNumbers(text)).toEqual([]);
    expect(maskPersonalNumbers(text)).toBe(text);
  });

  it('finds each number in a sentence, and leaves what is around it', () => {
    const text = `2026-12-07 张三（身份证 ${ID}）电话 +86 138 0013 8000，座机 025-8888 6666 转 801；金额 ¥13800138000。`;
    expect(findPersonalNumbers(text).map((n) => n.kind)).toEqual(['id_number', 'mobile', 'landline']);
    expect(maskPersonalNumbers(text)).toBe(
      `2026-12-07 张三（身份证 3201**********${ID.slice(-4)}）电话 +86 138 **** 8000，座机 025-**** 6666 转 801；金额 ¥13800138000。`,
    );
    const [id] = findPersonalNumbers(text);
    expect(text.slice(id!.start, id!.end)).toBe(ID);
  });
});
