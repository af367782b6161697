// Pure validation of the identifiers residents and organisations give us: resident ID numbers (GB 11643-1999),
// unified social credit codes (GB 32100-2015) and administrative division codes (GB/T 2260).
// The only I/O is reading the division table once, on first use (built by server/scripts/build-divisions.mjs).
import { readFileSync } from 'node:fs';
import type {
  DivisionLevel,
  DivisionListItem,
  DivisionLookup,
  DivisionRef,
  DivisionValidation,
  IdNumberResult,
  Reason,
  UsccResult,
} from '@onething/shared/identifiers';

// The answers' shapes are the shared contract's (the API returns them as they are).
export type {
  CodeLabel,
  DivisionLevel,
  DivisionListItem,
  DivisionLookup,
  DivisionRef,
  DivisionValidation,
  IdNumberResult,
  Reason,
  UsccResult,
} from '@onething/shared/identifiers';

// ---------------------------------------------------------------------------------------------------------------
// Reasons: stable codes for programs, short messages for people.

const reasons = {
  idLength: (got: number): Reason => ({
    code: 'id_number.length',
    zh: `身份证号码应为18位，实际为${got}位`,
    en: `An ID number has 18 characters; this one has ${got}`,
  }),
  idCharset: (): Reason => ({
    code: 'id_number.charset',
    zh: '身份证号码前17位应为数字，最后一位应为数字或X',
    en: 'The first 17 characters of an ID number are digits and the last is a digit or X',
  }),
  idChecksum: (expected: string): Reason => ({
    code: 'id_number.checksum',
    zh: `身份证号码校验码错误，最后一位应为${expected}`,
    en: `The ID number's check character is wrong; it should be ${expected}`,
  }),
  idBirthInvalid: (digits: string): Reason => ({
    code: 'id_number.birth_date',
    zh: `身份证号码中的出生日期${digits}不是有效日期`,
    en: `The birth date ${digits} in the ID number is not a real date`,
  }),
  idBirthFuture: (date: string): Reason => ({
    code: 'id_number.birth_date',
    zh: `身份证号码中的出生日期${date}晚于今天`,
    en: `The birth date ${date} in the ID number is in the future`,
  }),
  idBirthTooEarly: (date: string): Reason => ({
    code: 'id_number.birth_date',
    zh: `身份证号码中的出生日期${date}早于1850年1月1日`,
    en: `The birth date ${date} in the ID number is before 1 January 1850`,
  }),
  idAddress: (code: string): Reason => ({
    code: 'id_number.address_code',
    zh: `身份证号码中的地址码${code}不是曾经使用过的行政区划代码`,
    en: `The address code ${code} in the ID number was never an administrative division code`,
  }),
  usccLength: (got: number): Reason => ({
    code: 'uscc.length',
    zh: `统一社会信用代码应为18位，实际为${got}位`,
    en: `A unified social credit code has 18 characters; this one has ${got}`,
  }),
  usccCharset: (bad: string): Reason => ({
    code: 'uscc.charset',
    zh: `统一社会信用代码含有不允许的字符“${bad}”（只可使用数字和除I、O、S、V、Z以外的大写字母）`,
    en: `The unified social credit code contains "${bad}", which is not allowed (digits and capital letters except I, O, S, V, Z only)`,
  }),
  usccChecksum: (expected: string): Reason => ({
    code: 'uscc.checksum',
    zh: `统一社会信用代码校验码错误，最后一位应为${expected}`,
    en: `The unified social credit code's check character is wrong; it should be ${expected}`,
  }),
  usccDepartment: (got: string): Reason => ({
    code: 'uscc.registration_department',
    zh: `统一社会信用代码第1位“${got}”不是有效的登记管理部门代码`,
    en: `The first character "${got}" of the unified social credit code is not a registration department code`,
  }),
  divisionFormat: (): Reason => ({
    code: 'division.format',
    zh: '行政区划代码应为6位数字',
    en: 'An administrative division code has 6 digits',
  }),
  divisionUnknown: (code: string): Reason => ({
    code: 'division.unknown',
    zh: `${code}不是行政区划代码`,
    en: `${code} is not an administrative division code`,
  }),
  divisionRetired: (code: string, name: string, end: number, successors: DivisionRef[]): Reason => {
    const zhNow = successors.map((s) => `${s.code} ${s.name}`).join('、');
    const enNow = successors.map((s) => `${s.code} ${s.name}`).join(', ');
    return {
      code: 'division.retired',
      zh: `行政区划代码${code}（${name}）已于${end}年停用${zhNow ? `，现为${zhNow}` : ''}`,
      en: `Division code ${code} (${name}) was retired in ${end}${enNow ? `; it is now ${enNow}` : ''}`,
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Division table (GB/T 2260, 1981-2024).

type Entry = { code: string; name: string; start: number; end?: number; succ: string[]; parent?: string };
type DivisionTable = { byCode: Map<string, Entry[]>; currentChildren: Map<string, Entry[]> };

const DIVISIONS_URL = new URL('../../../data/gbt2260/divisions.json', import.meta.url);
const ROOT = ''; // key of the provinces in currentChildren
let table: DivisionTable | undefined;

function asCode(value: unknown, what: string): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 100000 || value > 999999) {
    throw new Error(`divisions.json: bad ${what} ${JSON.stringify(value)}`);
  }
  return String(value);
}

function loadTable(): DivisionTable {
  if (table) return table;
  const raw: unknown = JSON.parse(readFileSync(DIVISIONS_URL, 'utf8'));
  const rows = (raw as { rows?: unknown }).rows;
  if (!Array.isArray(rows)) throw new Error('divisions.json: no rows');
  const byCode = new Map<string, Entry[]>();
  const currentChildren = new Map<string, Entry[]>();
  for (const row of rows as unknown[]) {
    if (!Array.isArray(row)) throw new Error('divisions.json: a row is not an array');
    const [code, name, start, end, succ, parent] = row as unknown[];
    if (typeof name !== 'string' || typeof start !== 'number')
      throw new Error(`divisions.json: bad row ${JSON.stringify(row)}`);
    const entry: Entry = { code: asCode(code, 'code'), name, start, succ: [] };
    if (typeof end === 'number' && end !== 0) entry.end = end;
    if (Array.isArray(succ)) entry.succ = succ.map((s) => asCode(s, 'successor'));
    if (parent !== undefined && parent !== 0) entry.parent = asCode(parent, 'parent');
    const same = byCode.get(entry.code);
    if (same) same.push(entry);
    else byCode.set(entry.code, [entry]);
    if (entry.end === undefined) {
      const key = entry.parent ?? ROOT;
      const siblings = currentChildren.get(key);
      if (siblings) siblings.push(entry);
      else currentChildren.set(key, [entry]);
    }
  }
  for (const list of currentChildren.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  table = { byCode, currentChildren };
  return table;
}

function levelOf(code: string): DivisionLevel {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'prefecture';
  return 'county';
}

/** The entry of `code` in use during `year`; codes are reused, so the year picks the right name. */
function entryAt(code: string, year: number): Entry | undefined {
  const entries = loadTable().byCode.get(code);
  if (!entries) return undefined;
  return (
    entries.find((e) => e.start <= year && (e.end === undefined || e.end > year)) ??
    entries.find((e) => e.end === undefined) ??
    latest(entries)
  );
}

function latest(entries: Entry[]): Entry | undefined {
  // The current entry if any, else the one that ended last.
  let best: Entry | undefined;
  for (const e of entries) {
    if (e.end === undefined) return e;
    if (!best || (best.end ?? 0) < e.end) best = e;
  }
  return best;
}

/** Follows successor chains (which may pass through several retirements) down to codes in use today. */
function currentSuccessors(entries: Entry[]): DivisionRef[] {
  const found = new Map<string, string>();
  const seen = new Set<Entry>();
  const visit = (entry: Entry): void => {
    if (entry.end === undefined) {
      found.set(entry.code, entry.name);
      return;
    }
    if (seen.has(entry)) return; // the data has codes that were split and re-merged; never loop
    seen.add(entry);
    for (const code of entry.succ) {
      const next = entryAt(code, entry.end);
      if (next) visit(next);
    }
  };
  for (const e of entries) if (e.end !== undefined) visit(e);
  return [...found].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code));
}

function parentOf(entry: Entry): DivisionRef | undefined {
  if (entry.parent === undefined) return undefined;
  const parent = entryAt(entry.parent, entry.end === undefined ? Number.MAX_SAFE_INTEGER : entry.end - 1);
  return parent ? { code: parent.code, name: parent.name } : undefined;
}

/** Accepts 6 digits, or the 12-digit form used by 政务服务 systems when it stops at county level (6 digits + 000000). */
function normaliseDivisionCode(value: string): string | undefined {
  const s = value.trim();
  if (/^\d{6}$/.test(s)) return s;
  if (/^\d{6}0{6}$/.test(s)) return s.slice(0, 6);
  return undefined;
}

export function lookupDivision(code: string): DivisionLookup {
  const normalised = normaliseDivisionCode(code);
  if (normalised === undefined) {
    return { code: code.trim(), status: 'invalid', successors: [], reason: reasons.divisionFormat() };
  }
  const entries = loadTable().byCode.get(normalised);
  const primary = entries && latest(entries);
  if (!entries || !primary) {
    return { code: normalised, status: 'unknown', successors: [], reason: reasons.divisionUnknown(normalised) };
  }
  const result: DivisionLookup = {
    code: normalised,
    status: primary.end === undefined ? 'current' : 'retired',
    name: primary.name,
    level: levelOf(normalised),
    start: primary.start,
    ...(primary.end === undefined ? {} : { end: primary.end }),
    successors: primary.end === undefined ? [] : currentSuccessors(entries),
  };
  const parent = parentOf(primary);
  if (parent) result.parent = parent;
  return result;
}

export function validateDivision(code: string): DivisionValidation {
  const found = lookupDivision(code);
  if (
    found.status === 'current' &&
    found.name !== undefined &&
    found.level !== undefined &&
    found.start !== undefined
  ) {
    const ok: DivisionValidation = {
      valid: true,
      code: found.code,
      name: found.name,
      level: found.level,
      start: found.start,
    };
    if (found.parent) ok.parent = found.parent;
    return ok;
  }
  if (found.status === 'retired' && found.end !== undefined) {
    return {
      valid: false,
      reason: reasons.divisionRetired(found.code, found.name ?? '', found.end, found.successors),
      retired: { end: found.end, successors: found.successors },
    };
  }
  return { valid: false, reason: found.reason ?? reasons.divisionUnknown(found.code) };
}

/** Current divisions directly under `parentCode` (the provinces when omitted), in code order. */
export function listDivisions(parentCode?: string): DivisionListItem[] {
  let key = ROOT;
  if (parentCode !== undefined) {
    const normalised = normaliseDivisionCode(parentCode);
    if (normalised === undefined) return [];
    key = normalised;
  }
  const children = loadTable().currentChildren.get(key) ?? [];
  return children.map((e) => ({ code: e.code, name: e.name, level: levelOf(e.code) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Resident ID number (GB 11643-1999).

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432'; // indexed by the weighted sum mod 11 (ISO 7064 MOD 11-2)
const EARLIEST_BIRTH = '1850-01-01';

/** Check character for the first 17 digits of an ID number. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idNumberCheckChar needs 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS.charAt(sum % 11);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Today's date in China (UTC+8, no daylight saving since 1991), whatever the server's own time zone. */
function chinaDate(now: Date): string {
  const t = now.getTime();
  if (Number.isNaN(t)) throw new RangeError('today is not a valid date');
  return new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export function validateIdNumber(value: string, today: Date = new Date()): IdNumberResult {
  // Lowercase x is common when people type; the standard's check character is the capital X.
  const s = value.trim().toUpperCase();
  if (s.length !== 18) return { valid: false, reason: reasons.idLength(s.length) };
  // A wrong last character (even one that is never a check character) is reported as a checksum error, because
  // telling the person the expected character is more useful than telling them it is not a digit.
  if (!/^\d{17}$/.test(s.slice(0, 17))) return { valid: false, reason: reasons.idCharset() };
  const expected = idNumberCheckChar(s.slice(0, 17));
  if (s.charAt(17) !== expected) return { valid: false, reason: reasons.idChecksum(expected) };

  const digits = s.slice(6, 14);
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { valid: false, reason: reasons.idBirthInvalid(digits) };
  }
  const birthDate = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  if (birthDate < EARLIEST_BIRTH) return { valid: false, reason: reasons.idBirthTooEarly(birthDate) };
  if (birthDate > chinaDate(today)) return { valid: false, reason: reasons.idBirthFuture(birthDate) };

  // An ID number keeps the address code it was issued with, so any code that ever existed is acceptable.
  const addressCode = s.slice(0, 6);
  const entries = loadTable().byCode.get(addressCode);
  const address = entries && latest(entries);
  if (!address) return { valid: false, reason: reasons.idAddress(addressCode) };

  return {
    valid: true,
    normalized: s,
    birthDate,
    sex: Number(s.charAt(16)) % 2 === 1 ? 'male' : 'female',
    addressCode,
    addressName: address.name,
    addressCurrent: address.end === undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Unified social credit code (GB 32100-2015).

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // a character's value is its index; I, O, S, V, Z are not used
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]; // 3^(i-1) mod 31

const REGISTRATION_DEPARTMENTS: Record<string, { zh: string; en: string }> = {
  '1': { zh: '机构编制', en: 'Institutional establishment (机构编制) authorities' },
  '2': { zh: '外交', en: 'Foreign affairs authorities' },
  '3': { zh: '司法行政', en: 'Judicial administration authorities' },
  '4': { zh: '文化', en: 'Culture authorities' },
  '5': { zh: '民政', en: 'Civil affairs authorities' },
  '6': { zh: '旅游', en: 'Tourism authorities' },
  '7': { zh: '宗教', en: 'Religious affairs authorities' },
  '8': { zh: '工会', en: 'Trade unions' },
  '9': { zh: '工商/市场监管', en: 'Market regulation (formerly industry and commerce) authorities' },
  A: { zh: '中央军委改革和编制办公室', en: 'Reform and Establishment Office of the Central Military Commission' },
  N: { zh: '农业', en: 'Agriculture authorities' },
  Y: { zh: '其他', en: 'Other registration authorities' },
};

// Only the market-regulation types are recorded here; the other departments' tables were not in our sources,
// so for them institutionType is simply left out rather than guessed.
const INSTITUTION_TYPES: Record<string, Record<string, { zh: string; en: string }>> = {
  '9': {
    '1': { zh: '企业', en: 'Enterprise' },
    '2': { zh: '个体工商户', en: 'Individual business' },
    '3': { zh: '农民专业合作社', en: "Farmers' specialised cooperative" },
  },
};

/** Check character for the first 17 characters of a unified social credit code. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('usccCheckChar needs 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(first17.charAt(i));
    if (v < 0) throw new RangeError(`usccCheckChar: "${first17.charAt(i)}" is not a code character`);
    sum += v * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_CHARS.charAt((31 - (sum % 31)) % 31); // 31 - 0 = 31 wraps to 0
}

export function validateUscc(value: string): UsccResult {
  const s = value.trim().toUpperCase();
  if (s.length !== 18) return { valid: false, reason: reasons.usccLength(s.length) };
  // As for ID numbers, only the first 17 characters are checked here: any wrong last character is a checksum error.
  const bad = [...s.slice(0, 17)].find((c) => !USCC_CHARS.includes(c));
  if (bad !== undefined) return { valid: false, reason: reasons.usccCharset(bad) };
  const expected = usccCheckChar(s.slice(0, 17));
  if (s.charAt(17) !== expected) return { valid: false, reason: reasons.usccChecksum(expected) };

  const deptCode = s.charAt(0);
  const dept = REGISTRATION_DEPARTMENTS[deptCode];
  if (!dept) return { valid: false, reason: reasons.usccDepartment(deptCode) };

  const result: UsccResult = {
    valid: true,
    normalized: s,
    registrationDepartment: { code: deptCode, ...dept },
    divisionCode: s.slice(2, 8),
    organisationCode: s.slice(8, 17),
  };
  const type = INSTITUTION_TYPES[deptCode]?.[s.charAt(1)];
  if (type) result.institutionType = { code: s.charAt(1), ...type };
  // Not every division part is a county code (central organs use 100000), so an unknown one is not an error.
  const entries = /^\d{6}$/.test(result.divisionCode) ? loadTable().byCode.get(result.divisionCode) : undefined;
  const division = entries && latest(entries);
  if (division) result.divisionName = division.name;
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Masking for display and logs: keep enough to recognise a number, not enough to reuse it.

function maskMiddle(value: string, head: number, tail: number): string {
  if (value.length <= head + tail) return '*'.repeat(value.length);
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(value.length - tail);
}

/** '320102199001011234' → '3201**********1234'. */
export function maskIdNumber(value: string): string {
  return maskMiddle(value.trim().toUpperCase(), 4, 4);
}

/** '91350100M000100Y43' → '9135**********0Y43'. */
export function maskUscc(value: string): string {
  return maskMiddle(value.trim().toUpperCase(), 4, 4);
}
