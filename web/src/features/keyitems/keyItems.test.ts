import { describe, expect, it } from 'vitest';
import { defaultYear, formatShare, toChange } from './keyItems';

describe('key-item helpers', () => {
  it('picks this year, else the latest', () => {
    expect(defaultYear([2024, 2025, 2026], new Date('2026-12-06'))).toBe(2026);
    expect(defaultYear([2024, 2025], new Date('2026-12-06'))).toBe(2025);
    expect(defaultYear([])).toBeNull();
  });
  it('formats the on-time share', () => {
    expect(formatShare(null)).toBe('—');
    expect(formatShare(0.6667)).toBe('66.7%');
    expect(formatShare(1)).toBe('100%');
  });
  it('turns empty fields into null', () => {
    expect(toChange({ bundleCode: 'newborn', targetDate: '', note: '  ' })).toEqual({
      bundleCode: 'newborn',
      targetDate: null,
      note: null,
    });
    expect(toChange({})).toEqual({ bundleCode: null, targetDate: null, note: null });
  });
});
