import { describe, it, expect } from 'vitest';
import {
  listDivisions,
  lookupDivision,
  maskIdNumber,
  maskUscc,
  validateDivision,
  validateIdNumber,
  validateUscc,
} from './identifiers.domain.ts';

// Check characters are computed here independently of the module, from a different statement of each rule,
// so a shared mistake in a weight table cannot make the tests pass.

/** GB 11643: weights are 2^(18-i) mod 11 for positions i = 1..17; the check value is (12 - Σ mod 11) mod 11. */
function withIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (2 ** (17 - i) % 11);
  const v = (12 - (sum % 11)) % 11;
  return first17 + (v === 10 ? 'X' : String(v));
}

/** GB 32100: weights are 3^(i-1) mod 31; the check value is 31 - Σ mod 31, with 31 written as 0. */
function withUsccCheck(first17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let sum = 0;
  let weight = 1;
  for (const c of first17) {
    sum += alphabet.indexOf(c) * weight;
    weight = (weight * 3) % 31;
  }
  return first17 + alphabet.charAt((31 - (sum % 31)) % 31);
}

const TODAY = new Date('2025-06-01T12:00:00+08:00');

describe('validateIdNumber', () => {
  it.each([
    {
      id: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      addressCode: '110105',
      addressName: '朝阳区',
      current: true,
    },
    {
      id: '440524188001010014',
      birthDate: '1880-01-01',
      sex: 'male',
      addressCode: '440524',
      addressName: '潮阳县',
      current: false,
    },
  ])('accepts the GB 11643 example $id', ({ id, birthDate, sex, addressCode, addressName, current }) => {
    expect(validateIdNumber(id, TODAY)).toEqual({
      valid: true,
      normalized: id,
      birthDate,
      sex,
      addressCode,
      addressName,
      addressCurrent: current,
    });
  });

  it('normalises a lowercase x and surrounding spaces', () => {
    const r = validateIdNumber(' 11010519491231002x ', TODAY);
    expect(r.valid && r.normalized).toBe('11010519491231002X');
  });

  it('accepts a Jiangsu number issued with the retired code 320103 (白下区), flagging the address as not current', () => {
    const id = withIdCheck('32010319850615002');
    expect(validateIdNumber(id, TODAY)).toEqual({
      valid: true,
      normalized: id,
      birthDate: '1985-06-15',
      sex: 'female',
      addressCode: '320103',
      addressName: '白下区',
      addressCurrent: false,
    });
  });

  it('accepts a number with a current Jiangsu address code', () => {
    const r = validateIdNumber(withIdCheck('32010419900101001'), TODAY);
    expect(r).toMatchObject({ valid: true, sex: 'male', addressName: '秦淮区', addressCurrent: true });
  });

  it.each([
    { name: 'too short (17)', id: '11010519491231002', code: 'id_number.length' },
    { name: 'too long (19)', id: '11010519491231002X1', code: 'id_number.length' },
    { name: 'legacy 15-digit number', id: '110105491231002', code: 'id_number.length' },
    { name: 'empty', id: '', code: 'id_number.length' },
    { name: 'letter in the body', id: '1101051949123100AX', code: 'id_number.charset' },
    { name: 'full-width digit', id: '１1010519491231002X', code: 'id_number.charset' },
    { name: 'wrong check digit', id: '110105194912310021', code: 'id_number.checksum', expected: 'X' },
    { name: 'letter other than X as check', id: '11010519491231002Y', code: 'id_number.checksum', expected: 'X' },
    { name: 'wrong check X', id: '44052418800101001X', code: 'id_number.checksum', expected: '4' },
    { name: '30 February', id: withIdCheck('11010519490230002'), code: 'id_number.birth_date' },
    { name: 'month 13', id: withIdCheck('11010519491301002'), code: 'id_number.birth_date' },
    {
      name: '29 February in a non-leap century year',
      id: withIdCheck('11010519000229002'),
      code: 'id_number.birth_date',
    },
    { name: 'born tomorrow', id: withIdCheck('11010520250602002'), code: 'id_number.birth_date' },
    { name: 'born before 1850', id: withIdCheck('11010518491231002'), code: 'id_number.birth_date' },
    { name: 'address code that never existed', id: withIdCheck('99999919800101001'), code: 'id_number.address_code' },
    { name: 'address code 000000', id: withIdCheck('00000019800101001'), code: 'id_number.address_code' },
  ])('rejects $name with $code', ({ id, code, expected }) => {
    const r = validateIdNumber(id, TODAY);
    expect(r.valid).toBe(false);
    if (r.valid) return;
    expect(r.reason.code).toBe(code);
    expect(r.reason.zh).not.toBe('');
    expect(r.reason.en).not.toBe('');
    if (expected !== undefined) {
      expect(r.reason.zh).toContain(`应为${expected}`);
      expect(r.reason.en).toContain(`should be ${expected}`);
    }
  });

  it('accepts 29 February in a leap year and the earliest allowed date', () => {
    expect(validateIdNumber(withIdCheck('11010520000229002'), TODAY).valid).toBe(true);
    expect(validateIdNumber(withIdCheck('11010518500101002'), TODAY).valid).toBe(true);
  });

  it("judges the future by China's date, whatever the server's time zone", () => {
    const bornToday = withIdCheck('11010520250601002');
    // 00:30 on 1 June in Beijing is still 31 May in UTC.
    expect(validateIdNumber(bornToday, new Date('2025-06-01T00:30:00+08:00')).valid).toBe(true);
    expect(validateIdNumber(bornToday, new Date('2025-05-31T23:30:00+08:00')).valid).toBe(false);
  });

  it('uses the current date when today is not given', () => {
    expect(validateIdNumber(withIdCheck('11010520990101002')).valid).toBe(false);
    expect(validateIdNumber('11010519491231002X').valid).toBe(true);
  });

  it('names the birth-date problem in both languages', () => {
    const r = validateIdNumber(withIdCheck('11010520250602002'), TODAY);
    expect(r).toMatchObject({ valid: false, reason: { code: 'id_number.birth_date' } });
    if (!r.valid) {
      expect(r.reason.zh).toContain('2025-06-02');
      expect(r.reason.en).toContain('future');
    }
  });
});

describe('validateUscc', () => {
  it('accepts the GB 32100 example and describes its parts', () => {
    expect(validateUscc('91350100M000100Y43')).toEqual({
      valid: true,
      normalized: '91350100M000100Y43',
      registrationDepartment: { code: '9', zh: '工商/市场监管', en: expect.any(String) as string },
      institutionType: { code: '1', zh: '企业', en: expect.any(String) as string },
      divisionCode: '350100',
      divisionName: '福州市',
      organisationCode: 'M000100Y4',
    });
  });

  it('normalises lowercase letters', () => {
    const r = validateUscc('91350100m000100y43');
    expect(r.valid && r.normalized).toBe('91350100M000100Y43');
  });

  it('accepts a central organ whose division part (100000) is no county code, without a division name', () => {
    const code = withUsccCheck('11100000000013044');
    const r = validateUscc(code);
    expect(r).toMatchObject({
      valid: true,
      registrationDepartment: { code: '1', zh: '机构编制' },
      divisionCode: '100000',
    });
    expect(r.valid && r.divisionName).toBeUndefined();
    expect(r.valid && r.institutionType).toBeUndefined();
  });

  it.each([
    { prefix: '92320102', type: '个体工商户', division: '玄武区' },
    { prefix: '93321300', type: '农民专业合作社', division: '宿迁市' },
  ])('reads institution type and division of $prefix', ({ prefix, type, division }) => {
    const r = validateUscc(withUsccCheck(`${prefix}MA1MX4R2K`));
    expect(r).toMatchObject({ valid: true, institutionType: { zh: type }, divisionName: division });
  });

  it.each([
    {
      name: 'the invalid example (Z is no check character)',
      code: '91350100M000100Y4Z',
      reason: 'uscc.checksum',
      expected: '3',
    },
    { name: 'wrong check character', code: '91350100M000100Y44', reason: 'uscc.checksum', expected: '3' },
    { name: 'too short', code: '91350100M000100Y4', reason: 'uscc.length' },
    { name: 'too long', code: '91350100M000100Y433', reason: 'uscc.length' },
    { name: 'letter I in the body', code: '91350100I000100Y43', reason: 'uscc.charset' },
    { name: 'letter O in the body', code: '91350100MO00100Y43', reason: 'uscc.charset' },
    { name: 'punctuation', code: '91350100-000100Y43', reason: 'uscc.charset' },
    {
      name: 'unknown registration department B',
      code: withUsccCheck('B1350100M000100Y4'),
      reason: 'uscc.registration_department',
    },
    {
      name: 'registration department 0',
      code: withUsccCheck('01350100M000100Y4'),
      reason: 'uscc.registration_department',
    },
  ])('rejects $name with $reason', ({ code, reason, expected }) => {
    const r = validateUscc(code);
    expect(r.valid).toBe(false);
    if (r.valid) return;
    expect(r.reason.code).toBe(reason);
    if (expected !== undefined) {
      expect(r.reason.zh).toContain(`应为${expected}`);
      expect(r.reason.en).toContain(`should be ${expected}`);
    }
  });
});

describe('lookupDivision', () => {
  it('reports 320103 (白下区) as retired in 2013 with successor 320104 秦淮区', () => {
    expect(lookupDivision('320103')).toEqual({
      code: '320103',
      status: 'retired',
      name: '白下区',
      level: 'county',
      start: 1983,
      end: 2013,
      successors: [{ code: '320104', name: '秦淮区' }],
      parent: { code: '320100', name: '南京市' },
    });
  });

  it('follows successor chains through several retirements to current codes', () => {
    // 随州市 420681 (1990) became 429001 in 1994, then 421302 曾都区 in 2000, which was split in 2009.
    expect(lookupDivision('420681').successors).toEqual([
      { code: '421303', name: '曾都区' },
      { code: '421321', name: '随县' },
    ]);
  });

  it('reports 320000 as a current province and 320100 南京市 as a current prefecture', () => {
    expect(lookupDivision('320000')).toEqual({
      code: '320000',
      status: 'current',
      name: '江苏省',
      level: 'province',
      start: 1981,
      successors: [],
    });
    expect(lookupDivision('320100')).toMatchObject({
      status: 'current',
      name: '南京市',
      level: 'prefecture',
      parent: { code: '320000', name: '江苏省' },
    });
  });

  it('uses the current name when a code was reused (120110: 东郊区 until 1992, then 东丽区)', () => {
    expect(lookupDivision('120110')).toMatchObject({ status: 'current', name: '东丽区' });
  });

  it('accepts the 12-digit form that stops at county level', () => {
    expect(lookupDivision('320100000000')).toMatchObject({ code: '320100', status: 'current', name: '南京市' });
  });

  it.each([
    { code: '000000', status: 'unknown', reason: 'division.unknown' },
    { code: '999999', status: 'unknown', reason: 'division.unknown' },
    { code: '12345', status: 'invalid', reason: 'division.format' },
    { code: '32010A', status: 'invalid', reason: 'division.format' },
    { code: '320100001000', status: 'invalid', reason: 'division.format' },
    { code: '', status: 'invalid', reason: 'division.format' },
  ])('reports $code as $status', ({ code, status, reason }) => {
    const r = lookupDivision(code);
    expect(r.status).toBe(status);
    expect(r.reason?.code).toBe(reason);
    expect(r.successors).toEqual([]);
    expect(r.name).toBeUndefined();
  });
});

const JIANGSU_CITIES = [
  ['320100', '南京市'],
  ['320200', '无锡市'],
  ['320300', '徐州市'],
  ['320400', '常州市'],
  ['320500', '苏州市'],
  ['320600', '南通市'],
  ['320700', '连云港市'],
  ['320800', '淮安市'],
  ['320900', '盐城市'],
  ['321000', '扬州市'],
  ['321100', '镇江市'],
  ['321200', '泰州市'],
  ['321300', '宿迁市'],
] as const;

describe('validateDivision', () => {
  it.each(JIANGSU_CITIES)('Jiangsu city %s %s is current', (code, name) => {
    expect(validateDivision(code)).toEqual({
      valid: true,
      code,
      name,
      level: 'prefecture',
      start: expect.any(Number) as number,
      parent: { code: '320000', name: '江苏省' },
    });
  });

  it('rejects a retired code and names where it went', () => {
    const r = validateDivision('320107'); // 下关区, merged into 鼓楼区 in 2013
    expect(r).toMatchObject({
      valid: false,
      reason: { code: 'division.retired' },
      retired: { end: 2013, successors: [{ code: '320106', name: '鼓楼区' }] },
    });
    if (!r.valid) expect(r.reason.zh).toContain('320106');
  });

  it('rejects malformed and unknown codes with their reasons', () => {
    expect(validateDivision('12345')).toMatchObject({ valid: false, reason: { code: 'division.format' } });
    expect(validateDivision('000000')).toMatchObject({ valid: false, reason: { code: 'division.unknown' } });
    expect(validateDivision('000000')).not.toHaveProperty('retired');
  });
});

describe('listDivisions', () => {
  it('lists the 13 cities of Jiangsu in code order', () => {
    expect(listDivisions('320000').map((d) => [d.code, d.name])).toEqual(JIANGSU_CITIES.map(([c, n]) => [c, n]));
  });

  it('lists the 34 provincial-level divisions when no parent is given', () => {
    const provinces = listDivisions();
    expect(provinces).toHaveLength(34);
    expect(provinces).toContainEqual({ code: '320000', name: '江苏省', level: 'province' });
    expect(provinces.every((p) => p.level === 'province')).toBe(true);
  });

  it('lists only current counties of Nanjing (no 白下区 or 下关区)', () => {
    const codes = listDivisions('320100').map((d) => d.code);
    expect(codes).toContain('320104');
    expect(codes).not.toContain('320103');
    expect(codes).not.toContain('320107');
    expect(codes).toHaveLength(11);
  });

  it('returns nothing for unknown or malformed parents', () => {
    expect(listDivisions('999999')).toEqual([]);
    expect(listDivisions('32')).toEqual([]);
  });
});

describe('masking', () => {
  it.each([
    { value: '320102199001011234', masked: '3201**********1234' },
    { value: '11010519491231002x', masked: '1101**********002X' },
    { value: '12345678', masked: '********' },
    { value: '', masked: '' },
  ])('maskIdNumber($value) is $masked', ({ value, masked }) => {
    expect(maskIdNumber(value)).toBe(masked);
  });

  it('masks a unified social credit code the same way', () => {
    expect(maskUscc('91350100M000100Y43')).toBe('9135**********0Y43');
    expect(maskUscc('91350100m000100y43')).toBe('9135**********0Y43');
  });
});
