// Personal numbers in free text: resident ID numbers (GB 11643), mainland mobile numbers and fixed lines with
// their area codes, in the spellings people type: +86, 0086, 86-, (+86); spaces, dashes, dots, parentheses;
// full-width digits. What the platform seals, masks for auditors and redacts from logs is decided here
// (platform/pii.ts calls these), so that every place agrees on what a personal number is.
//
// A number is made of whole digit groups of one "run" (digit groups joined by a space, a dash, a dot or a
// parenthesis), so that a date, an amount or an application number next to it is not read into it. A run right
// after a letter or digit, a group right before one, a UUID, a decimal continuation (13800138000.00) and a
// currency sign or unit (¥…, …元) rule a phone out.
import { idNumberCheckChar, usccCheckChar } from './identifiers.domain.ts';

export type PersonalNumberKind = 'id_number' | 'mobile' | 'landline';

export interface PersonalNumber {
  kind: PersonalNumberKind;
  /** Where it is in the text (UTF-16 offsets, end exclusive), its prefix sign or parenthesis included. */
  start: number;
  end: number;
  /** The number as written. */
  text: string;
  /** One spelling per number: 18 characters with a capital X; 11 mobile digits; 0 + area code + local number. */
  normalized: string;
  /** How many digits were written before the national number without its 0: a country code (86, 0086), (0). */
  countryDigits: number;
}

const SPACE = '[ \\u00a0\\u3000]';
const DASH = '[-.~\\u2010-\\u2014]';
/** Between two groups: up to two spaces, or a dash or dot, or a parenthesis, with a space around. */
const SEP = `(?:(?=[ \\u00a0\\u3000()\\-.~\\u2010-\\u2014])${SPACE}{0,2}\\)?${DASH}?\\(?${SPACE}{0,2})`;
const GROUP = '[0-9]+[Xx]?';
const RUN = new RegExp(`(?<![0-9A-Za-z])[+(]{0,2}${GROUP}(?:${SEP}${GROUP})*`, 'g');
const GROUPS = /[0-9]+[Xx]?/g;
const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;
const CURRENCY_BEFORE = /[¥￥$€£]\s*$/;
const UNIT_AFTER = /^\s*[元圆万亿块]/;
const MAX_GROUPS = 7;

/** Full-width digits and signs as their ASCII twins (one UTF-16 unit each, so offsets stay). */
function fold(text: string): string {
  return text.replace(/[\uff08\uff09\uff0b\uff0d\uff0e\uff10-\uff19]/g, (c) =>
    String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

interface Group {
  start: number;
  end: number;
  digits: string;
  /** A letter or digit follows right after it: it is part of a longer token. */
  tainted: boolean;
}

/** Every personal number in the text, left to right, none overlapping. */
export function findPersonalNumbers(text: string): PersonalNumber[] {
  // UUIDs (ids of files, cases, accounts) are never personal numbers, whatever digit groups they hold.
  const folded = fold(text).replace(UUID, (m) => 'u'.repeat(m.length));
  const found: PersonalNumber[] = [];
  for (const run of folded.matchAll(RUN)) {
    const runStart = run.index;
    const runText = run[0];
    const plus = /^[+(]*\+/.test(runText);
    const groups: Group[] = [...runText.matchAll(GROUPS)].map((g) => ({
      start: runStart + g.index,
      end: runStart + g.index + g[0].length,
      digits: g[0].toUpperCase(),
      tainted: false,
    }));
    const last = groups[groups.length - 1]!;
    last.tainted = /[0-9A-Za-z]/.test(folded.charAt(last.end));
    for (let i = 0; i < groups.length; ) {
      const hit = longestAt(folded, groups, i, plus && i === 0, runStart);
      if (!hit) {
        i++;
        continue;
      }
      const start = i === 0 ? runStart : groups[i]!.start;
      const end = groups[hit.j]!.end;
      found.push({ ...hit.number, start, end, text: text.slice(start, end) });
      i = hit.j + 1;
    }
  }
  return found;
}

function longestAt(
  folded: string,
  groups: Group[],
  i: number,
  plus: boolean,
  runStart: number,
): { j: number; number: Pick<PersonalNumber, 'kind' | 'normalized' | 'countryDigits'> } | undefined {
  for (let j = Math.min(groups.length - 1, i + MAX_GROUPS - 1); j >= i; j--) {
    const part = groups.slice(i, j + 1);
    if (part.some((g) => g.tainted)) continue;
    // 13800138000.00, 1.13800138000: a decimal number, not a phone or ID number.
    if (i > 0 && folded.slice(groups[i - 1]!.end, groups[i]!.start).includes('.')) continue;
    if (j < groups.length - 1 && folded.slice(groups[j]!.end, groups[j + 1]!.start).includes('.')) continue;
    const id = asIdNumber(part);
    if (id) return { j, number: { kind: 'id_number', normalized: id, countryDigits: 0 } };
    const before = folded.slice(0, i === 0 ? runStart : groups[i]!.start);
    const after = folded.slice(groups[j]!.end);
    if (CURRENCY_BEFORE.test(before) || UNIT_AFTER.test(after)) continue;
    const phone = asPhone(part, plus);
    if (phone) return { j, number: phone };
  }
  return undefined;
}

function asIdNumber(part: Group[]): string | undefined {
  const s = part.map((g) => g.digits).join('');
  if (!/^[0-9]{17}[0-9X]$/.test(s)) return undefined;
  if (part.some((g, k) => g.digits.length < 2 || (k < part.length - 1 && g.digits.endsWith('X')))) return undefined;
  // An all-digit unified social credit code has the shape of an ID number; its own check character (and a wrong
  // one for an ID number) tells them apart. A mistyped ID number still counts as one.
  if (usccCheckChar(s.slice(0, 17)) === s.charAt(17) && idNumberCheckChar(s.slice(0, 17)) !== s.charAt(17))
    return undefined;
  return s;
}

const MOBILE = /^1[3-9][0-9]{9}$/;

/**
 * A mobile or fixed-line number made of these groups, after an optional country code (+86, 0086, 86). Groups are
 * at least three digits, except an area code written after the country code (+86 25 …); an area code is a group
 * of its own unless the whole number is one.
 */
function asPhone(
  part: Group[],
  plus: boolean,
): { kind: 'mobile' | 'landline'; normalized: string; countryDigits: number } | undefined {
  if (part.some((g) => g.digits.endsWith('X'))) return undefined;
  const all = part.map((g) => g.digits).join('');
  const country = /^0086/.test(all) ? 4 : /^86/.test(all) ? 2 : 0;
  // The national part's groups, with the country code cut off the first.
  for (const cut of country ? [country, 0] : [0]) {
    const national: string[] = [];
    let left = cut;
    for (const g of part) {
      const d = g.digits.slice(Math.min(left, g.digits.length));
      left -= g.digits.length - d.length;
      if (d) national.push(d);
    }
    const n = national.join('');
    if (MOBILE.test(n) && national.every((d) => d.length >= 3))
      return { kind: 'mobile', normalized: n, countryDigits: cut };
    // A fixed line after a bare 86 only when the 86 stands apart: 862588886666 is no telephone number to go by.
    if (cut > 0 && !plus && part[0]!.digits.length !== cut) continue;
    // +86 (0)25 …: the trunk 0 written in parentheses after the country code.
    const trunk = cut > 0 && national[0] === '0' ? 1 : 0;
    const line = asLandline(national.slice(trunk), cut > 0);
    if (line) return { kind: 'landline', normalized: line, countryDigits: cut + trunk };
  }
  return undefined;
}

/** 010, 020–029: three digits and an 8-digit number; 0xxx (03–09): four digits and 7 or 8. Locals start 2–9. */
function asLandline(national: string[], afterCountryCode: boolean): string | undefined {
  const n = national.join('');
  const withZero = afterCountryCode ? `0${n}` : n;
  const m = /^(0(?:10|2[0-9])|0[3-9][0-9]{2})([2-9][0-9]{6,7})$/.exec(withZero);
  if (!m) return undefined;
  const [, area, local] = m as unknown as [string, string, string];
  if (area.length === 3 && local.length !== 8) return undefined;
  if (national.length === 1) return afterCountryCode ? undefined : withZero;
  // The area code is the first group, and the local number is made of groups of three or more.
  if (national[0] !== (afterCountryCode ? area.slice(1) : area)) return undefined;
  if (national.slice(1).some((d) => d.length < 3)) return undefined;
  return withZero;
}

export function containsPersonalNumber(text: string): boolean {
  return findPersonalNumbers(text).length > 0;
}

/**
 * The number with the digits that identify it starred, as written otherwise: 3201**********1234 (first and last
 * four of an ID number), +86 138 **** 8000 (first three and last four of a mobile number), 025-**** 6666 (the
 * area code and the last four of a fixed line).
 */
export function maskPersonalNumber(n: PersonalNumber): string {
  const digits = [...n.text].filter((c) => /[0-9０-９Xx]/.test(c)).length;
  const keep = keptDigits(n, digits);
  let k = 0;
  return [...n.text]
    .map((c) => {
      if (!/[0-9０-９Xx]/.test(c)) return c;
      return keep(k++) ? c : '*';
    })
    .join('');
}

function keptDigits(n: PersonalNumber, written: number): (k: number) => boolean {
  if (n.kind === 'id_number') return (k) => k < 4 || k >= 14;
  const c = n.countryDigits;
  if (n.kind === 'mobile') return (k) => k < c + 3 || k >= written - 4;
  // The area code as written: without its 0 after a country code.
  const area = (/^0(?:10|2[0-9])/.test(n.normalized) ? 3 : 4) - (c > 0 ? 1 : 0);
  return (k) => k < c + area || k >= written - 4;
}

/** The text with every personal number in it masked, and nothing else changed. */
export function maskPersonalNumbers(text: string): string {
  const found = findPersonalNumbers(text);
  if (found.length === 0) return text;
  let out = '';
  let at = 0;
  for (const n of found) {
    out += text.slice(at, n.start) + maskPersonalNumber(n);
    at = n.end;
  }
  return out + text.slice(at);
}
