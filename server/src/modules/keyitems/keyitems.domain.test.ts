import { describe, expect, it } from 'vitest';
import { keyItemStatus, onTimeShare } from './keyitems.domain.ts';

describe('key item status', () => {
  it('follows the bundle', () => {
    expect(keyItemStatus(null, undefined)).toBe('not_linked');
    expect(keyItemStatus('newborn', { published: null, hasDraft: true })).toBe('draft_only');
    expect(keyItemStatus('newborn', undefined)).toBe('draft_only');
    expect(
      keyItemStatus('newborn', { published: { version: 2, publishedAt: '2026-01-01T00:00:00.000Z' }, hasDraft: true }),
    ).toBe('published');
  });
  it('computes the on-time share', () => {
    expect(onTimeShare(0, 0)).toBeNull();
    expect(onTimeShare(3, 2)).toBe(0.6667);
    expect(onTimeShare(4, 4)).toBe(1);
  });
});
