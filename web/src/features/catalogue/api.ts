// The public catalogue: bundles (一件事), their items, departments. Published versions never change, so
// these are cached for long.
import { useQueries, useQuery } from '@tanstack/react-query';
import { api, initialFromEarly } from '../../app/api';
import type { LocalText } from '../../app/text';

export const PERSON_STAGES = [
  'birth',
  'education',
  'employment',
  'living',
  'housing',
  'travel',
  'medical',
  'assistance',
  'elderly',
  'after_death',
] as const;
export const ENTERPRISE_STAGES = ['market_entry', 'hiring', 'tax', 'operations', 'construction', 'exit'] as const;
export type Stage = (typeof PERSON_STAGES)[number] | (typeof ENTERPRISE_STAGES)[number];

export interface BundleSummary {
  code: string;
  version: number;
  name: LocalText;
  description: LocalText | null;
  stage: Stage;
  audience: 'person' | 'enterprise';
  leadDepartment: string;
  itemCount: number;
  promisedDays: number | null;
}

export interface Condition {
  q?: string;
  eq?: string | boolean | number;
  in?: Array<string | number>;
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
}

export interface Situation {
  id: string;
  ask: LocalText;
  help?: LocalText;
  type: 'boolean' | 'choice';
  options?: Array<{ value: string; label: LocalText }>;
  when?: Condition;
}

export interface BundleMaterialDef {
  id: string;
  name: LocalText;
  usedBy: Array<{ item: string; material: string }>;
  satisfiedBy?: string;
}

export interface BundleContent {
  code: string;
  name: LocalText;
  description?: LocalText;
  stage: Stage;
  audience: 'person' | 'enterprise';
  leadDepartment: string;
  supportingDepartments: string[];
  situations: Situation[];
  form: Record<string, unknown>;
  items: Array<{ item: string; after: string[]; when?: Condition; reason?: LocalText }>;
  materials: BundleMaterialDef[];
  promisedDays?: number;
  offline?: LocalText;
  sources: string[];
}

export interface BundleDetail {
  code: string;
  version: number;
  content: BundleContent;
  items: Array<{
    code: string;
    version: number;
    name: LocalText;
    departmentCode: string;
    itemType: string;
    statutoryDays: number | null;
    promisedDays: number;
  }>;
}

export interface ItemContent {
  code: string;
  name: LocalText;
  departmentCode: string;
  description?: LocalText;
  acceptanceConditions: LocalText[];
  materials: Array<{
    id: string;
    name: LocalText;
    required: boolean;
    toleratedGapAllowed: boolean;
    certificateType?: string;
    note?: LocalText;
  }>;
  statutoryDays: number | null;
  promisedDays: number;
  fee: { charged: boolean; description?: LocalText };
  legalBasis: LocalText[];
  offline?: LocalText;
}

export interface Department {
  code: string;
  name: LocalText;
  regionCode: string;
  sector: string;
}

const LONG = 10 * 60_000;

export function useBundles(params: { q?: string; stage?: string; audience?: string; limit?: number }) {
  const search = new URLSearchParams();
  if (params.q) search.set('q', params.q);
  if (params.stage) search.set('stage', params.stage);
  if (params.audience) search.set('audience', params.audience);
  search.set('limit', String(params.limit ?? 100));
  return useQuery({
    queryKey: ['bundles', params],
    queryFn: () => api<{ total: number; items: BundleSummary[] }>(`/api/v1/catalogue/bundles?${search.toString()}`),
    ...initialFromEarly(
      `/api/v1/catalogue/bundles?${search.toString()}`,
      (body) => body as { total: number; items: BundleSummary[] },
    ),
    staleTime: LONG,
  });
}

export function useBundle(code: string | undefined, version?: number) {
  return useQuery({
    queryKey: ['bundle', code, version ?? 'latest'],
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
      queryKey: ['item', i.code, i.version],
      queryFn: () =>
        api<{ code: string; version: number; content: ItemContent }>(
          `/api/v1/catalogue/items/${encodeURIComponent(i.code)}?version=${i.version}`,
        ),
      staleTime: LONG,
    })),
  });
}

/** Every published item's name, for notifications that only carry an item code. */
type ItemName = { code: string; name: LocalText };
const itemNames = (list: ItemName[]) => new Map(list.map((i) => [i.code, i.name]));

export function useItemNames() {
  return useQuery({
    queryKey: ['items'],
    queryFn: async () => itemNames(await api<ItemName[]>('/api/v1/catalogue/items')),
    ...initialFromEarly('/api/v1/catalogue/items', (body) => itemNames(body as ItemName[])),
    staleTime: LONG,
  });
}

export function useDepartments() {
  return useQuery({
    queryKey: ['departments'],
    queryFn: async () => new Map((await api<Department[]>('/api/v1/catalogue/departments')).map((d) => [d.code, d])),
    staleTime: LONG,
  });
}

/** Whether a situation's condition holds for the answers so far (the server's rule, for showing questions). */
export function holds(c: Condition | undefined, answers: Record<string, unknown>): boolean {
  if (!c) return true;
  if (c.all) return c.all.every((x) => holds(x, answers));
  if (c.any) return c.any.some((x) => holds(x, answers));
  if (c.not) return !holds(c.not, answers);
  if (c.q !== undefined && 'eq' in c) return answers[c.q] === c.eq;
  if (c.q !== undefined && c.in) return c.in.includes(answers[c.q] as string | number);
  return false;
}
