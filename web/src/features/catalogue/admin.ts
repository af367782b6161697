// The console's side of the catalogue: versions, drafts and publishing, the JSON import and export, what the
// bundle designer and the service item editor load and save, and departments.
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
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api';
import type { LocalText } from '../../lib/text';
import { CONSOLE_KEY } from '../../lib/queryKeys';
import type { FieldSchema } from '../../components/JsonSchemaForm/schema';
import { refreshPeople } from '../identity/admin';
import type { ItemInfo } from './designer';
import { catalogueKeys } from './keys';

export const useItemList = () =>
  useQuery({ queryKey: catalogueKeys.items(), queryFn: () => api<ItemSummary[]>('/api/v1/catalogue/items') });

/** The catalogue's two kinds of versioned entries, as their admin API paths name them. */
export type CatalogueKind = 'bundles' | 'items';

/** Every version of a bundle or an item, drafts included. */
export function useVersions(kind: CatalogueKind, code: string | undefined) {
  return useQuery({
    queryKey: catalogueKeys.versions(kind, code),
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
      void qc.invalidateQueries({ queryKey: CONSOLE_KEY });
      void qc.invalidateQueries({ queryKey: catalogueKeys.bundleLists() });
      void qc.invalidateQueries({ queryKey: catalogueKeys.bundleDetails() });
    },
  });
}

export function useImportCatalogue() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: unknown) => api<ImportResult>('/api/v1/admin/catalogue/import', { method: 'POST', body: file }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: CONSOLE_KEY });
      void qc.invalidateQueries({ queryKey: catalogueKeys.bundleLists() });
    },
  });
}

export const exportCatalogue = () => api<CatalogueExport>('/api/v1/admin/catalogue/export');

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
      queryKey: catalogueKeys.itemInfo(code),
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
    onSuccess: () => void qc.invalidateQueries({ queryKey: CONSOLE_KEY }),
  });
}

/** One version's content, draft or published, of a bundle or an item, for the diff between versions. */
export function useVersionContent(kind: CatalogueKind, code: string | undefined, v: VersionMeta | undefined) {
  return useQuery({
    queryKey: catalogueKeys.versionContent(kind, code, v?.version, v?.contentSha256),
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
    onSuccess: () => void qc.invalidateQueries({ queryKey: CONSOLE_KEY }),
  });
}

// ---- departments ----

export interface DepartmentInput {
  code: string;
  name: LocalText;
  regionCode: string;
  sector: string;
}

export function useSaveDepartment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, ...body }: DepartmentInput) =>
      api<void>(`/api/v1/admin/catalogue/departments/${encodeURIComponent(code)}`, { method: 'PUT', body }),
    onSuccess: () => refreshPeople(qc),
  });
}
