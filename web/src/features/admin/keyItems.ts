// The yearly key-item list (重点事项清单): GET/PUT /api/v1/admin/key-items and small pure helpers for the page.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api';
import type { LocalText } from '../../app/text';

export type KeyItemStatus = 'not_linked' | 'draft_only' | 'published';

export interface KeyItem {
  id: string;
  year: number;
  batchId: string;
  name: LocalText;
  audience: 'person' | 'enterprise';
  leadDepartment: string | null;
  /** Fields that are the project's inference: leadDepartment, audience. */
  inferred: string[];
  /** Whether a source confirms the item is in its batch. */
  verified: boolean;
  sourceUrl: string;
  sourceNote: LocalText | null;
  bundle: { code: string; name: LocalText | null } | null;
  status: KeyItemStatus;
  published: { version: number; publishedAt: string | null } | null;
  usage: { applications: number; concluded: number; onTime: number; onTimeShare: number | null } | null;
  targetDate: string | null;
  note: string | null;
}

export interface KeyItemBatch {
  id: string;
  year: number;
  label: LocalText;
  issued: string | null;
  itemCount: number | null;
  countInferred: boolean;
  sourceUrl: string;
  note: LocalText | null;
  namesKnown: number;
}

export interface KeyItemList {
  year: number | null;
  years: number[];
  window: { from: string; to: string; days: number };
  jurisdiction: string | null;
  batches: KeyItemBatch[];
  items: KeyItem[];
  summary: { total: number; linked: number; published: number };
}

export interface KeyItemChange {
  bundleCode?: string | null;
  targetDate?: string | null;
  note?: string | null;
}

export const useKeyItems = (year: number | null) =>
  useQuery({
    queryKey: ['admin', 'key-items', year],
    queryFn: () => api<KeyItemList>(`/api/v1/admin/key-items${year ? `?year=${year}` : ''}`),
  });

export function useUpdateKeyItem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: KeyItemChange }) =>
      api<KeyItem>(`/api/v1/admin/key-items/${encodeURIComponent(id)}`, { method: 'PUT', body: change }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['admin', 'key-items'] }),
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
