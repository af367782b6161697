// The public catalogue: bundles (一件事), their items, departments. Published versions never change, so
// these are cached for long.
import { useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { initialFromEarly } from '../../lib/first-load/initialData';
import type {
  BundleDetail,
  BundleList,
  Condition,
  Department,
  ItemSummary,
  ItemVersion,
} from '@onething/shared/catalogue';
import { catalogueKeys } from './keys';

const LONG = 10 * 60_000;

export function useBundles(params: { q?: string; stage?: string; audience?: string; limit?: number }) {
  const search = new URLSearchParams();
  if (params.q) search.set('q', params.q);
  if (params.stage) search.set('stage', params.stage);
  if (params.audience) search.set('audience', params.audience);
  search.set('limit', String(params.limit ?? 100));
  return useQuery({
    queryKey: catalogueKeys.bundleList(params),
    queryFn: () => api<BundleList>(`/api/v1/catalogue/bundles?${search.toString()}`),
    ...initialFromEarly(`/api/v1/catalogue/bundles?${search.toString()}`, (body) => body as BundleList),
    staleTime: LONG,
  });
}

export function useBundle(code: string | undefined, version?: number) {
  return useQuery({
    queryKey: catalogueKeys.bundle(code, version),
    queryFn: () =>
      api<BundleDetail>(
        `/api/v1/catalogue/bundles/${encodeURIComponent(code!)}${version ? `?version=${version}` : ''}`,
      ),
    enabled: !!code,
    staleTime: LONG,
  });
}

/** The pinned versions of a bundle's items, for the service-guide details (conditions, fees, offline). */
export function useItems(items: Array<{ code: string; version: number }> | undefined) {
  return useQueries({
    queries: (items ?? []).map((i) => ({
      queryKey: catalogueKeys.item(i.code, i.version),
      queryFn: () => api<ItemVersion>(`/api/v1/catalogue/items/${encodeURIComponent(i.code)}?version=${i.version}`),
      staleTime: LONG,
    })),
  });
}

/** Every published item's name, for notifications that only carry an item code. */
const itemNames = (list: ItemSummary[]) => new Map(list.map((i) => [i.code, i.name]));

export function useItemNames() {
  return useQuery({
    queryKey: catalogueKeys.itemNames(),
    queryFn: async () => itemNames(await api<ItemSummary[]>('/api/v1/catalogue/items')),
    ...initialFromEarly('/api/v1/catalogue/items', (body) => itemNames(body as ItemSummary[])),
    staleTime: LONG,
  });
}

export function useDepartments() {
  return useQuery({
    queryKey: catalogueKeys.departments(),
    queryFn: async () => new Map((await api<Department[]>('/api/v1/catalogue/departments')).map((d) => [d.code, d])),
    staleTime: LONG,
  });
}

/** Whether a situation's condition holds for the answers so far (the server's rule, for showing questions). */
export function holds(c: Condition | undefined, answers: Record<string, unknown>): boolean {
  if (!c) return true;
  if ('all' in c) return c.all.every((x) => holds(x, answers));
  if ('any' in c) return c.any.some((x) => holds(x, answers));
  if ('not' in c) return !holds(c.not, answers);
  if ('eq' in c) return answers[c.q] === c.eq;
  return Array.isArray(c.in) && c.in.includes(answers[c.q] as string | number);
}
