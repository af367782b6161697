// @vitest-environment node
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkValue,
  cleanValue,
  fieldAt,
  isRequired,
  patternHint,
  pointerToPath,
  validateDocument,
  widgetOf,
  type FieldSchema,
} from './schema';

// The seeded catalogue's forms: the renderer must handle every keyword they use.
const catalogue = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../../server/seed/catalogue.json'), 'utf8'),
) as { bundles: Array<{ code: string; form: FieldSchema }> };
const newborn = catalogue.bundles.find((b) => b.code === 'newborn')!.form;

describe('the schema subset', () => {
  it('chooses a widget for every field of every seeded form', () => {
    const seen = new Set<string>();
    const walk = (s: FieldSchema) => {
      seen.add(widgetOf(s));
      Object.values(s.properties ?? {}).forEach(walk);
    };
    catalogue.bundles.forEach((b) => walk(b.form));
    expect([...seen].sort()).toEqual(['boolean', 'choice', 'date', 'integer', 'multi', 'number', 'section', 'text']);
    expect(widgetOf(fieldAt(newborn, ['child', 'birthDate'])!)).toBe('date');
    expect(widgetOf(fieldAt(newborn, ['child', 'gender'])!)).toBe('choice');
  });

  it('checks values as JSON Schema does', () => {
    const id = fieldAt(newborn, ['mother', 'idNumber'])!;
    expect(checkValue(id, '320106199003082347')).toBeNull();
    expect(checkValue(id, '32010619900308234x')).toBeNull();
    expect(checkValue(id, '123')).toMatchObject({ code: 'pattern' });
    expect(patternHint(id.pattern)).toBe('idNumber');
    const name = fieldAt(newborn, ['child', 'name'])!;
    expect(checkValue(name, '𠮷'.repeat(50))).toBeNull(); // code points, not UTF-16 units
    expect(checkValue(name, 'x'.repeat(51))).toMatchObject({ code: 'maxLength', params: { max: 50 } });
    expect(checkValue(fieldAt(newborn, ['child', 'birthDate'])!, '2026-02-30')).toMatchObject({ code: 'date' });
    expect(checkValue(fieldAt(newborn, ['child', 'gender'])!, 'unknown')).toMatchObject({ code: 'enum' });
    expect(checkValue({ type: 'integer', minimum: 0 }, 1.5)).toMatchObject({ code: 'type' });
    expect(checkValue({ type: 'number', maximum: 10 }, 11)).toMatchObject({ code: 'maximum' });
    expect(
      checkValue({ type: 'array', items: { type: 'string', enum: ['a', 'b'] }, uniqueItems: true }, ['a', 'a']),
    ).toMatchObject({ code: 'uniqueItems' });
  });

  it('requires a field of an optional section only once the section is started', () => {
    const s: FieldSchema = {
      type: 'object',
      required: ['a'],
      properties: {
        a: { type: 'object', required: ['x'], properties: { x: { type: 'string' } } },
        b: { type: 'object', required: ['y'], properties: { y: { type: 'string' }, z: { type: 'string' } } },
      },
    };
    expect(isRequired(s, {}, ['a', 'x'])).toBe(true);
    expect(isRequired(s, {}, ['b', 'y'])).toBe(false);
    expect(isRequired(s, { b: { z: 'started' } }, ['b', 'y'])).toBe(true);
    expect(validateDocument(s, { b: { z: '' } })).toEqual([{ path: ['a', 'x'], code: 'required', params: {} }]);
  });

  it('finds every problem of a newborn form, in form order', () => {
    const issues = validateDocument(newborn, {
      child: { name: '张小宝', birthDate: '2026-2-1' },
      mother: { idNumber: '1' },
      contact: { phone: '13951000001' },
    });
    expect(issues.map((i) => `${i.path.join('.')}:${i.code}`)).toEqual([
      'child.gender:required',
      'child.birthDate:pattern',
      'mother.name:required',
      'mother.idNumber:pattern',
    ]);
    const ok = {
      child: { name: '张小宝', gender: 'male', birthDate: '2026-02-20' },
      mother: { name: '李梅', idNumber: '320106199003082347' },
      contact: { phone: '13951000001' },
    };
    expect(validateDocument(newborn, ok)).toEqual([]);
  });

  it('cleans a document for the API and reads the API’s pointers', () => {
    expect(cleanValue({ a: { b: '', c: ' x ' }, d: { e: undefined, f: null }, g: [], h: 0, i: false })).toEqual({
      a: { c: 'x' },
      h: 0,
      i: false,
    });
    expect(pointerToPath('/form/child/name')).toEqual(['child', 'name']);
    expect(pointerToPath('/form/a~1b')).toEqual(['a/b']);
    expect(pointerToPath('/materials/0')).toBeNull();
  });
});

describe('display order', () => {
  it('follows x-order where given, since jsonb storage sorts keys', async () => {
    const { propertiesOf } = await import('./schema');
    const s: FieldSchema = {
      type: 'object',
      'x-order': ['mother', 'father'],
      properties: { child: {}, father: {}, mother: {} },
    };
    expect(propertiesOf(s).map(([k]) => k)).toEqual(['mother', 'father', 'child']);
    expect(propertiesOf({ properties: { b: {}, a: {} } }).map(([k]) => k)).toEqual(['b', 'a']);
  });
});
