// The bundle designer's graph: prerequisites to the left of the items that wait for them, one edge per "after".
import { describe, expect, it } from 'vitest';
import { itemGraph } from './graph';

describe('itemGraph', () => {
  it('places each item one column right of its last prerequisite and draws an edge from each prerequisite', () => {
    const g = itemGraph(
      [
        { item: 'birth-certificate' },
        { item: 'vaccination' },
        { item: 'household', after: ['birth-certificate'] },
        { item: 'social-card', after: ['household'] },
        { item: 'insurance', after: ['household', 'vaccination', 'not-in-bundle'] },
      ],
      (c) => c.toUpperCase(),
    );
    const at = Object.fromEntries(g.nodes.map((n) => [n.id, n.depth]));
    expect(at).toEqual({ 'birth-certificate': 0, vaccination: 0, household: 1, 'social-card': 2, insurance: 2 });
    expect(g.links).toEqual([
      { source: 'birth-certificate', target: 'household' },
      { source: 'household', target: 'social-card' },
      { source: 'household', target: 'insurance' },
      { source: 'vaccination', target: 'insurance' },
    ]);
    expect(g.nodes.find((n) => n.id === 'household')?.name).toBe('HOUSEHOLD');
    // Two items in one column get different rows.
    expect(new Set(g.nodes.filter((n) => n.depth === 0).map((n) => n.y)).size).toBe(2);
  });

  it('survives a cycle (the server refuses to publish one; a draft may still hold it)', () => {
    const g = itemGraph(
      [
        { item: 'a', after: ['b'] },
        { item: 'b', after: ['a'] },
      ],
      (c) => c,
    );
    expect(g.nodes).toHaveLength(2);
    expect(g.links).toHaveLength(2);
  });
});
