// @vitest-environment node
// "No untranslated strings": both catalogues have the same keys (plural forms aside), no empty texts, the
// same {{placeholders}}, English has both plural forms, and every key the code names exists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import zh from './zh-CN.json';
import en from './en.json';
import { CASE_ACTIONS, CASE_STATUSES } from '@onething/shared/cases';
import { ENTERPRISE_STAGES, PERSON_STAGES } from '@onething/shared/catalogue';

type Tree = { [k: string]: string | Tree };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}
const base = (k: string) => k.replace(PLURAL, '');
const zhKeys = flatten(zh as Tree);
const enKeys = flatten(en as Tree);
// {{name}} or {{name, format}} (i18next's formatters: {{count, number}} groups thousands).
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();

describe('the zh-CN and en catalogues', () => {
  it('have the same keys, plural forms aside', () => {
    const z = new Set([...zhKeys.keys()].map(base));
    const e = new Set([...enKeys.keys()].map(base));
    expect(
      [...z].filter((k) => !e.has(k)),
      'missing in en',
    ).toEqual([]);
    expect(
      [...e].filter((k) => !z.has(k)),
      'missing in zh-CN',
    ).toEqual([]);
  });

  it('have no empty texts', () => {
    for (const [lang, keys] of [
      ['zh-CN', zhKeys],
      ['en', enKeys],
    ] as const) {
      expect([...keys].filter(([, v]) => !v.trim()).map(([k]) => `${lang}:${k}`)).toEqual([]);
    }
  });

  it('use the same placeholders for the same text', () => {
    const zhBy = new Map([...zhKeys].map(([k, v]) => [base(k), v]));
    const mismatched = [...enKeys]
      .filter(
        ([k, v]) =>
          zhBy.has(base(k)) && JSON.stringify(placeholders(v)) !== JSON.stringify(placeholders(zhBy.get(base(k))!)),
      )
      .map(([k]) => k);
    expect(mismatched).toEqual([]);
  });

  it('give English both plural forms wherever a text counts', () => {
    const plural = new Set([...enKeys.keys(), ...zhKeys.keys()].filter((k) => PLURAL.test(k)).map(base));
    const incomplete = [...plural].filter(
      (k) => !enKeys.has(`${k}_one`) || !enKeys.has(`${k}_other`) || !zhKeys.has(`${k}_other`),
    );
    expect(incomplete).toEqual([]);
  });

  it('Chinese texts are Chinese and English texts have no Chinese characters (except the language switch)', () => {
    const han = /\p{Script=Han}/u;
    expect([...enKeys].filter(([, v]) => han.test(v)).map(([k]) => k)).toEqual([]);
    const untranslated = [...zhKeys]
      .filter(([k, v]) => !han.test(v) && enKeys.get(k) === v && !/^\W*$/.test(v))
      .map(([k]) => k);
    expect(untranslated).toEqual([]);
  });

  it('contain every key the code names', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, f.name);
        if (f.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f.name) && !/\.test\.tsx?$/.test(f.name)) files.push(p);
      }
    };
    walk(path.resolve(import.meta.dirname, '..'));
    const known = new Set([...zhKeys.keys()].map(base));
    const used = new Set<string>();
    for (const f of files) {
      const src = fs.readFileSync(f, 'utf8');
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
      for (const m of src.matchAll(/'((?:upload|materials\.problem)\.[a-zA-Z]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !known.has(k)).sort()).toEqual([]);
  });

  it('name every stage, case status and case action the API uses', () => {
    const need = [
      ...[...PERSON_STAGES, ...ENTERPRISE_STAGES].map((s) => `stage.${s}`),
      ...CASE_STATUSES.map((s) => `caseStatus.${s}`),
      ...[...CASE_ACTIONS, 'submit'].flatMap((a) => [`caseAction.${a}`, `notice.case.${a}`]),
      ...['in_progress', 'completed', 'withdrawn'].map((s) => `applicationStatus.${s}`),
      ...['questions', 'form', 'materials', 'review'].map((s) => `apply.steps.${s}`),
      ...['idNumber', 'mobile', 'date', 'digits', 'creditCode', 'other'].map((s) => `validation.pattern.${s}`),
    ];
    for (const keys of [zhKeys, enKeys]) {
      const known = new Set([...keys.keys()].map(base));
      expect(need.filter((k) => !known.has(k))).toEqual([]);
    }
  });
});

describe('numbers in texts', () => {
  it('groups whole numbers by thousands without Intl, as both languages write them', async () => {
    const { default: i18n, formatNumber } = await import('./index');
    await i18n.loadLanguages('en');
    expect(i18n.t('staff.queue.total', { count: 100000, lng: 'zh-CN' })).toBe('共 100,000 件在办');
    expect(i18n.t('staff.queue.total', { count: 1234567, lng: 'en' })).toContain('1,234,567');
    expect(i18n.t('staff.queue.total', { count: 1, lng: 'en' })).toContain('1 ');
    expect([0, 7, 999, 1000, -12345, 100000].map((n) => formatNumber(n, 'zh-CN'))).toEqual([
      '0',
      '7',
      '999',
      '1,000',
      '-12,345',
      '100,000',
    ]);
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
  });
});
