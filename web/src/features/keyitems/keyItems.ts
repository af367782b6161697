// The yearly key-item list (重点事项清单): GET/PUT /api/v1/admin/key-items and small pure helpers for the page.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { KeyItem, KeyItemChange, KeyItemList } from '@onething/shared/keyitems';
import { keyItemsKeys } from './keys';

export const useKeyItems = (year: number | null) =>
  useQuery({
    queryKey: keyItemsKeys.list(year),
    queryFn: () => api<KeyItemList>(`/api/v1/admin/key-items${year ? `?year=${year}` : ''}`),
  });

export function useUpdateKeyItem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: KeyItemChange }) =>
      api<KeyItem>(`/api/v1/admin/key-items/${encodeURIComponent(id)}`, { method: 'PUT', body: change }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keyItemsKeys.lists() }),
  });
}

/** The year shown first: this year when the list has it, else the latest listed. */
export function defaultYear(years: number[], today = new Date()): number | null {
  if (years.length === 0) return null;
  return years.includes(today.getFullYear()) ? today.getFullYear() : years[years.length - 1]!;
}

/** 0.6667 → "66.7%"; no cases concluded → "—". */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined) return '—';
  return `${Math.round(share * 1000) / 10}%`;
}

/** The dialog's values as the PUT takes them: empty strings clear a field. */
export function toChange(v: {
  bundleCode?: string | null;
  targetDate?: string | null;
  note?: string | null;
}): KeyItemChange {
  const orNull = (s: string | null | undefined) => (s === undefined || s === null || s.trim() === '' ? null : s.trim());
  return { bundleCode: orNull(v.bundleCode), targetDate: orNull(v.targetDate), note: orNull(v.note) };
}
