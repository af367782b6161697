// Department cases seen from the reviewer's side: the queue of my department, one case with the actions the
// shared transition table allows me (the server computes them; the workbench shows exactly those), and the
// reviewer's actions.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPage, ApiError, type Problem } from '../../lib/api';
import { initialPageFromEarly } from '../../lib/first-load/initialData';
import i18n from '../../i18n';
import type {
  ActionBodyOf,
  ActionOf,
  CaseActionResult,
  CaseQueueQuery,
  CaseQueueRow,
  CaseStatus,
  CaseView,
} from '@onething/shared/cases';
import { casesKeys } from './keys';

/** The queue's filters as the page keeps them: the query's filters, and the page instead of limit and offset. */
export interface QueueFilter extends Pick<CaseQueueQuery, 'status' | 'flag' | 'dueBefore' | 'bundle' | 'region'> {
  page: number;
  pageSize: number;
}

export function queueSearch(f: QueueFilter): string {
  const s = new URLSearchParams();
  if (f.status) s.set('status', f.status);
  if (f.flag) s.set('flag', f.flag);
  if (f.dueBefore) s.set('dueBefore', f.dueBefore);
  if (f.bundle) s.set('bundle', f.bundle);
  if (f.region) s.set('region', f.region);
  s.set('limit', String(f.pageSize));
  s.set('offset', String((f.page - 1) * f.pageSize));
  return s.toString();
}

export function useQueue(f: QueueFilter) {
  return useQuery({
    queryKey: casesKeys.queue(f),
    queryFn: () => apiPage<CaseQueueRow>(`/api/v1/cases?${queueSearch(f)}`),
    ...initialPageFromEarly<CaseQueueRow>(`/api/v1/cases?${queueSearch(f)}`),
    placeholderData: keepPreviousData,
  });
}

/** What the queue's bulk actions may do: the two steps that need no reasoning beyond what the list shows. */
export const BULK_ACTIONS = { accept: 'pending', start_review: 'accepted' } as const satisfies Partial<
  Record<ActionOf<'department'>, CaseStatus>
>;
export type BulkAction = keyof typeof BULK_ACTIONS;

export interface BulkResult {
  done: CaseQueueRow[];
  failed: Array<{ row: CaseQueueRow; error: unknown }>;
}

/**
 * One action on each selected case, one request per case (each its own transition, audit row and notice, checked by
 * the server as if done from the case page), one after another; what failed is reported case by case.
 */
export function useBulkAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ action, rows }: { action: BulkAction; rows: CaseQueueRow[] }): Promise<BulkResult> => {
      const result: BulkResult = { done: [], failed: [] };
      for (const row of rows) {
        try {
          await api(`/api/v1/cases/${row.id}/actions`, { method: 'POST', body: { action } });
          result.done.push(row);
        } catch (error) {
          result.failed.push({ row, error });
        }
      }
      return result;
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: casesKeys.queues() }),
  });
}

export function useStaffCase(id: string | undefined) {
  return useQuery({
    queryKey: casesKeys.case(id),
    queryFn: () => api<CaseView>(`/api/v1/cases/${id}`),
    enabled: !!id,
  });
}

export function useReviewerAction(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ActionBodyOf<'department'>) =>
      api<CaseActionResult>(`/api/v1/cases/${caseId}/actions`, {
        method: 'POST',
        body,
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: casesKeys.case(caseId) });
      void qc.invalidateQueries({ queryKey: casesKeys.queues() });
    },
  });
}

/**
 * A case file's bytes as a blob URL for the viewer (the session cookie goes along); the caller revokes it.
 * A refusal is an ApiError with the server's problem, as from api().
 */
export async function fetchCaseFile(
  caseId: string,
  fileId: string,
  signal?: AbortSignal,
): Promise<{ url: string; type: string }> {
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  let res: Response;
  try {
    res = await fetch(`/api/v1/cases/${caseId}/files/${fileId}`, {
      credentials: 'same-origin',
      headers: { 'accept-language': lang },
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, null, i18n.t('error.network'));
  }
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as Problem | null;
    throw new ApiError(res.status, problem, problem?.title ?? i18n.t('error.http', { status: res.status }));
  }
  const blob = await res.blob();
  return { url: URL.createObjectURL(blob), type: blob.type || (res.headers.get('content-type') ?? '') };
}

/** The order the workbench shows the buttons in, whatever order the server lists them (the table's reviewer actions). */
export const REVIEWER_ACTIONS: readonly ActionOf<'department'>[] = [
  'accept',
  'accept_with_gap',
  'request_correction',
  'refuse',
  'start_review',
  'decide',
  'conclude',
  'terminate',
];

/** Flattens the case's form data into labelled rows: {"child":{"name":…}} → ["child.name", …]. */
export function flattenData(value: unknown, prefix = ''): Array<[string, string]> {
  if (value === null || value === undefined) return prefix ? [[prefix, '']] : [];
  if (Array.isArray(value))
    return value.flatMap((v, i) => flattenData(v, prefix ? `${prefix}[${i + 1}]` : `[${i + 1}]`));
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      flattenData(v, prefix ? `${prefix}.${k}` : k),
    );
  return [[prefix, typeof value === 'boolean' ? (value ? '✓' : '✗') : String(value)]];
}
