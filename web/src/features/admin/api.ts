// The administration console's reads and writes, all through existing API routes: staff accounts and roles
// (identity), the catalogue's versions, drafts, publishing and its JSON import/export, the calendar's years.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api';
import type { LocalText } from '../../app/text';

export interface StaffAccount {
  id: string;
  username: string;
  displayName: string;
  departmentCode: string | null;
  jurisdiction: string | null;
  roles: string[];
  disabled: boolean;
}
export interface RoleRow {
  role: string;
  audience: string;
  permissions: Array<{ code: string; scope: string }>;
}
export interface VersionMeta {
  version: number;
  status: 'draft' | 'published';
  createdAt: string;
  publishedAt: string | null;
  contentSha256: string;
}
export interface ItemRow {
  code: string;
  version: number;
  name: LocalText;
  departmentCode: string;
  itemType: string;
  promisedDays: number;
}
export interface CalendarYear {
  year: number;
  source: { title: string; published?: string; url?: string };
  holidays: number;
  loadedAt: string;
}
export interface ImportResult {
  departments: number;
  items: { published: number; unchanged: number };
  bundles: { published: number; unchanged: number };
}

export const useStaffAccounts = () => useQuery({ queryKey: ['admin', 'accounts'], queryFn: () => api<StaffAccount[]>('/api/v1/admin/accounts?limit=200') });
export const useRoles = () => useQuery({ queryKey: ['admin', 'roles'], queryFn: () => api<RoleRow[]>('/api/v1/admin/roles') });
export const useItemList = () => useQuery({ queryKey: ['admin', 'items'], queryFn: () => api<ItemRow[]>('/api/v1/catalogue/items') });
export const useCalendarYears = () => useQuery({ queryKey: ['admin', 'calendar-years'], queryFn: () => api<CalendarYear[]>('/api/v1/calendar/years') });

export function useBundleVersions(code: string | undefined) {
  return useQuery({ queryKey: ['admin', 'bundle-versions', code], queryFn: () => api<VersionMeta[]>(`/api/v1/admin/catalogue/bundles/${encodeURIComponent(code!)}/versions`), enabled: !!code });
}

export function useItemVersions(code: string | undefined) {
  return useQuery({ queryKey: ['admin', 'item-versions', code], queryFn: () => api<VersionMeta[]>(`/api/v1/admin/catalogue/items/${encodeURIComponent(code!)}/versions`), enabled: !!code });
}

export function usePublish(kind: 'bundles' | 'items') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api<{ code: string; version: number; status: string }>(`/api/v1/admin/catalogue/${kind}/${encodeURIComponent(code)}/publish`, { method: 'POST', body: {} }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['admin'] });
      void qc.invalidateQueries({ queryKey: ['bundles'] });
      void qc.invalidateQueries({ queryKey: ['bundle'] });
    },
  });
}

export function useImportCatalogue() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: unknown) => api<ImportResult>('/api/v1/admin/catalogue/import', { method: 'POST', body: file }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['admin'] });
      void qc.invalidateQueries({ queryKey: ['bundles'] });
    },
  });
}

export const exportCatalogue = () => api<Record<string, unknown>>('/api/v1/admin/catalogue/export');

export function useLoadYear() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ year, file }: { year: number; file: unknown }) => api<{ year: number; holidays: number }>(`/api/v1/admin/calendar/years/${year}`, { method: 'PUT', body: file }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['admin', 'calendar-years'] }),
  });
}

/** Reads a chosen .json file; a file that is not JSON is an error in the user's words. */
export async function readJsonFile(file: File): Promise<unknown> {
  return JSON.parse(await file.text()) as unknown;
}

/** Offers a value as a downloaded JSON file. */
export function downloadJson(name: string, value: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/**
 * A bundle's items as a dependency graph: a node per item, an edge from each prerequisite to the item that waits
 * for it (BundleItem.after). Pure, so the chart and its test see the same thing.
 */
export function itemGraph(items: Array<{ item: string; after?: string[] }>, name: (code: string) => string) {
  const codes = new Set(items.map((i) => i.item));
  const depth = new Map<string, number>();
  const level = (code: string, seen: Set<string> = new Set()): number => {
    if (depth.has(code)) return depth.get(code)!;
    if (seen.has(code)) return 0;
    seen.add(code);
    const after = items.find((i) => i.item === code)?.after?.filter((a) => codes.has(a)) ?? [];
    const d = after.length ? Math.max(...after.map((a) => level(a, seen))) + 1 : 0;
    depth.set(code, d);
    return d;
  };
  const rows = new Map<number, number>();
  const nodes = items.map((i) => {
    const d = level(i.item);
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    return { id: i.item, name: name(i.item), x: d * 240, y: row * 90, depth: d };
  });
  const links = items.flatMap((i) => (i.after ?? []).filter((a) => codes.has(a)).map((a) => ({ source: a, target: i.item })));
  return { nodes, links };
}

export interface CaseStats {
  jurisdiction: string | null;
  from: string;
  to: string;
  open: number;
  overdue: number;
  nearDue: number;
  byStatus: Array<{ status: string; count: number }>;
  byDepartment: Array<{ departmentCode: string; open: number; overdue: number; nearDue: number; total: number }>;
  submissionsPerDay: Array<{ day: string; count: number }>;
  perBundle: Array<{ bundleCode: string; count: number }>;
  onTime: { concluded: number; onTime: number; rate: number | null; byDepartment: Array<{ departmentCode: string; concluded: number; onTime: number; rate: number | null }> };
  overdueByRegion: Array<{ regionCode: string; regionName: string | null; overdue: number }>;
  workdaysPerItem: Array<{ itemCode: string; concluded: number; avgWorkdays: number }>;
  slowestSteps: Array<{ itemCode: string; status: string; stays: number; avgWorkdays: number }>;
}

export const useCaseStats = () => useQuery({ queryKey: ['admin', 'stats'], queryFn: () => api<CaseStats>('/api/v1/stats/cases') });
