import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@onething/shared/json';
import { checkJsonSchema, evaluateCondition, findCycle, schemaPaths, topologicalOrder } from './catalogue.domain.ts';

describe('findCycle', () => {
  it.each([
    [
      [
        { item: 'a', after: [] },
        { item: 'b', after: ['a'] },
      ],
      null,
    ],
    [
      [
        { item: 'a', after: ['b'] },
        { item: 'b', after: ['a'] },
      ],
      ['a', 'b', 'a'],
    ],
    [
      [
        { item: 'a', after: [] },
        { item: 'b', after: ['c'] },
        { item: 'c', after: ['d'] },
        { item: 'd', after: ['b'] },
      ],
      ['b', 'c', 'd', 'b'],
    ],
    [[{ item: 'a', after: ['a'] }], ['a', 'a']],
    [[{ item: 'a', after: ['outside'] }], null],
  ])('%j → %j', (items, cycle) => {
    expect(findCycle(items)).toEqual(cycle);
  });

  it('orders items after their prerequisites', () => {
    expect(
      topologicalOrder([
        { item: 'card', after: ['hukou'] },
        { item: 'hukou', after: ['cert'] },
        { item: 'cert', after: [] },
      ]),
    ).toEqual(['cert', 'hukou', 'card']);
  });
});

describe('evaluateCondition', () => {
  const answers = { married: true, register_with: 'mother', kids: 2 };
  it.each([
    [{ q: 'married', eq: true }, true],
    [{ q: 'married', eq: false }, false],
    [{ q: 'register_with', in: ['mother', 'father'] }, true],
    [{ q: 'unanswered', eq: true }, false],
    [
      {
        all: [
          { q: 'married', eq: true },
          { q: 'kids', eq: 2 },
        ],
      },
      true,
    ],
    [
      {
        any: [
          { q: 'married', eq: false },
          { q: 'kids', eq: 3 },
        ],
      },
      false,
    ],
    [{ not: { q: 'married', eq: false } }, true],
  ] as const)('%j → %s', (cond, expected) => {
    expect(evaluateCondition(cond as never, answers)).toBe(expected);
  });
});

describe('form schemas', () => {
  it('lists nested property paths', () => {
    const paths = schemaPaths({
      type: 'object',
      properties: { child: { type: 'object', properties: { name: { type: 'string' } } }, note: { type: 'string' } },
    });
    expect([...paths].sort()).toEqual(['child', 'child.name', 'note']);
  });

  it('reports where a schema is wrong', () => {
    expect(checkJsonSchema({ type: 'object', properties: { a: { type: 'string' } } }, ['form'])).toEqual([]);
    expect(checkJsonSchema({ type: 'object', properties: { a: { type: 'strng' } } }, ['form'])[0]?.pointer).toBe(
      '/form/properties/a/type',
    );
    expect(
      checkJsonSchema({ type: 'object', properties: { a: { type: 'string', colour: 'red' } } }, ['form'])[0]?.detail.en,
    ).toContain('colour');
    expect(checkJsonSchema({ type: 'array' }, ['form'])[0]?.pointer).toBe('/form/type');
  });
});

it('hashes content independently of key order', () => {
  expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 1 }], c: null } })).toBe(
    canonicalJson({ a: { c: null, d: [1, { e: 1, f: 2 }] }, b: 1 }),
  );
});
