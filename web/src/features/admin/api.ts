// The administration console's reads and writes, all through existing API routes: staff accounts and roles
// (identity), the catalogue's versions, drafts, publishing and its JSON import/export, the calendar's years.
import type {
  BundleCheck,
  BundleVersion,
  CatalogueExport,
  ContentBody,
  DraftResult,
  ImportResult,
  ItemSummary,
  ItemVersion,
  VersionMeta,
} from '@onething/shared/catalogue';
import type { CalendarYearSummary, LoadedYear } from '@onething/shared/calendar';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CaseStats } from '@onething/shared/analytics';
import type { RolePermissions, StaffAccount } from '@onething/shared/identity';
import { api, ApiError } from '../../lib/api';
import type { FieldSchema } from '../../components/JsonSchemaForm/schema';
import type { ItemInfo } from './designer';

/** A loaded year in the calendar's list (the shared contract). */
export type CalendarYear = CalendarYearSummary;

export const useStaffAccounts = () =>
  useQuery({ queryKey: ['admin', 'accounts'], queryFn: () => api<StaffAccount[]>('/api/v1/admin/accounts?limit=200') });
export const useRoles = () =>
  useQuery({ queryKey: ['admin', 'roles'], queryFn: () => api<RolePermissions[]>('/api/v1/admin/roles') });
export const useItemList = () =>
  useQuery({ queryKey: ['admin', 'items'], queryFn: () => api<ItemSummary[]>('/api/v1/catalogue/items') });
export const useCalendarYears = () =>
  useQuery({ queryKey: ['admin', 'calendar-years'], queryFn: () => api<CalendarYear[]>('/api/v1/calendar/years') });

/** The catalogue's two kinds of versioned entries, as their admin API paths name them. */
export type CatalogueKind = 'bundles' | 'items';

/** Every version of a bundle or an item, drafts included. */
export function useVersions(kind: CatalogueKind, code: string | undefined) {
  return useQuery({
    queryKey: ['admin', kind === 'bundles' ? 'bundle-versions' : 'item-versions', code],
    queryFn: () => api<VersionMeta[]>(`/api/v1/admin/catalogue/${kind}/${encodeURIComponent(code!)}/versions`),
    enabled: !!code,
  });
}

export const useBundleVersions = (code: string | undefined) => useVersions('bundles', code);
export const useItemVersions = (code: string | undefined) => useVersions('items', code);

export function usePublish(kind: 'bundles' | 'items') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (code: string) =>
      api<DraftResult>(`/api/v1/admin/catalogue/${kind}/${encodeURIComponent(code)}/publish`, {
        method: 'POST',
        body: {},
      }),
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

export const exportCatalogue = () => api<CatalogueExport>('/api/v1/admin/catalogue/export');

export function useLoadYear() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ year, file }: { year: number; file: unknown }) =>
      api<LoadedYear>(`/api/v1/admin/calendar/years/${year}`, { method: 'PUT', body: file }),
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
  const links = items.flatMap((i) =>
    (i.after ?? []).filter((a) => codes.has(a)).map((a) => ({ source: a, target: i.item })),
  );
  return { nodes, links };
}

export const useCaseStats = () =>
  useQuery({ queryKey: ['admin', 'stats'], queryFn: () => api<CaseStats>('/api/v1/stats/cases') });

// ---- the bundle designer ----

/** A published item's latest version, as the designer needs it (fields, materials, department). */
export async function fetchItemInfo(code: string): Promise<ItemInfo> {
  const { content: c } = await api<ItemVersion>(`/api/v1/catalogue/items/${encodeURIComponent(code)}`);
  return {
    code: c.code,
    name: c.name,
    departmentCode: c.departmentCode,
    serviceObjects: c.serviceObjects,
    fields: (c.fields as FieldSchema | undefined) ?? { type: 'object', properties: {} },
    materials: c.materials ?? [],
  };
}

export function useItemInfos(codes: string[]) {
  return useQueries({
    queries: codes.map((code) => ({
      queryKey: ['admin', 'item-info', code],
      queryFn: () => fetchItemInfo(code),
      staleTime: 60_000,
    })),
  });
}

/**
 * What the designer opens: the bundle's open draft when there is one, else its latest published version, else
 * nothing (a new bundle). `draft` tells which.
 */
export const loadForDesign = (code: string) => loadForEditing('bundles', code);

/** The same for a bundle or a service item (GET …/draft answers 409 when there is none, so the versions come first). */
export async function loadForEditing(
  kind: CatalogueKind,
  code: string,
): Promise<{ content: ContentBody; draft: boolean } | null> {
  let versions: VersionMeta[];
  try {
    versions = await api<VersionMeta[]>(`/api/v1/admin/catalogue/${kind}/${encodeURIComponent(code)}/versions`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
  const path = `/${kind}/${encodeURIComponent(code)}`;
  if (versions.some((v) => v.status === 'draft'))
    return {
      content: (await api<BundleVersion | ItemVersion>(`/api/v1/admin/catalogue${path}/draft`)).content,
      draft: true,
    };
  if (versions.length === 0) return null;
  return {
    content: (await api<BundleVersion | ItemVersion>(`/api/v1/catalogue${path}`)).content,
    draft: false,
  };
}

export function useValidateBundle() {
  return useMutation({
    mutationFn: (content: ContentBody) =>
      api<BundleCheck>('/api/v1/admin/catalogue/bundles/validate', { method: 'POST', body: content }),
  });
}

export function useSaveBundleDraft() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (content: ContentBody) =>
      api<DraftResult>(`/api/v1/admin/catalogue/bundles/${encodeURIComponent(String(content.code))}/draft`, {
        method: 'PUT',
        body: content,
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['admin'] }),
  });
}

/** One version's content, draft or published, of a bundle or an item, for the diff between versions. */
export function useVersionContent(kind: CatalogueKind, code: string | undefined, v: VersionMeta | undefined) {
  return useQuery({
    queryKey: ['admin', kind === 'bundles' ? 'bundle-content' : 'item-content', code, v?.version, v?.contentSha256],
    queryFn: async () =>
      v!.status === 'draft'
        ? (await api<BundleVersion | ItemVersion>(`/api/v1/admin/catalogue/${kind}/${encodeURIComponent(code!)}/draft`))
            .content
        : (
            await api<BundleVersion | ItemVersion>(
              `/api/v1/catalogue/${kind}/${encodeURIComponent(code!)}?version=${v!.version}`,
            )
          ).content,
    enabled: !!code && !!v,
  });
}

// ---- the service item editor ----

export function useSaveItemDraft() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (content: ContentBody) =>
      api<DraftResult>(`/api/v1/admin/catalogue/items/${encodeURIComponent(String(content.code))}/draft`, {
        method: 'PUT',
        body: content,
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['admin'] }),
  });
}

/**
 * The ECharts option that draws itemGraph, with a height that fits its rows. The graph's "view" keeps the aspect
 * ratio of the nodes' bounding box, so two invisible corner nodes give a single row a real height (else the
 * nodes are stretched into bars).
 */
export function itemGraphOption(
  items: Array<{ item: string; after?: string[] }>,
  name: (code: string) => string,
  category?: { names: string[]; of: (code: string) => number },
) {
  const g = itemGraph(items, name);
  const maxX = Math.max(0, ...g.nodes.map((n) => n.x));
  const maxY = Math.max(0, ...g.nodes.map((n) => n.y));
  const corner = (id: string, x: number, y: number) => ({
    id,
    name: '',
    x,
    y,
    symbolSize: 0,
    label: { show: false },
    tooltip: { show: false },
  });
  return {
    height: Math.max(200, maxY + 90 + 110),
    option: {
      tooltip: {},
      ...(category ? { legend: { data: category.names, bottom: 0 } } : {}),
      series: [
        {
          type: 'graph',
          layout: 'none',
          roam: true,
          symbolSize: 18,
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 10,
          left: 40,
          right: 40,
          top: 20,
          bottom: category ? 50 : 20,
          label: { show: true, position: 'bottom', width: 170, overflow: 'break', align: 'center' },
          lineStyle: { width: 2, color: '#888' },
          ...(category ? { categories: category.names.map((n) => ({ name: n })) } : {}),
          data: [
            ...g.nodes.map((n) => ({
              id: n.id,
              name: n.name,
              x: n.x,
              y: n.y,
              ...(category ? { category: category.of(n.id) } : {}),
            })),
            corner('\u0000min', -120, -30),
            corner('\u0000max', maxX + 120, maxY + 60),
          ],
          links: g.links,
        },
      ],
    },
  };
}
