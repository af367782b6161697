// Intake: the one-time notice (一次告知), prefill, drafts, uploads, one submission, and my applications.
// The shapes are the server's own contracts (@onething/shared/applications): a changed field breaks this build.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ApplicationSummary,
  ApplicationView,
  Answers,
  Draft,
  DraftBody,
  DraftSummary,
  Guidance,
  GuidanceBodyInput,
  NewDraftBody,
  Prefill,
  SubmitBodyInput,
  UploadedFile,
} from '@onething/shared/applications';
import { api } from '../../lib/api';
import { notificationsKeys } from '../notifications/keys';
import { applicationsKeys } from './keys';

// Kept for features/cases, which imports them from here.

export function useGuidance(code: string | undefined, answers: Answers, version?: number) {
  return useQuery({
    queryKey: applicationsKeys.guidance(code, answers, version),
    queryFn: () =>
      api<Guidance>(`/api/v1/catalogue/bundles/${encodeURIComponent(code!)}/guidance`, {
        method: 'POST',
        body: { answers, ...(version ? { version } : {}) } satisfies GuidanceBodyInput,
      }),
    enabled: !!code,
    placeholderData: (prev) => prev,
    staleTime: 5 * 60_000,
  });
}

export function usePrefill(code: string | undefined) {
  return useQuery({
    queryKey: applicationsKeys.prefill(code),
    queryFn: () => api<Prefill>(`/api/v1/applications/prefill?bundle=${encodeURIComponent(code!)}`),
    enabled: !!code,
    staleTime: 5 * 60_000,
  });
}

export function useDrafts(enabled = true) {
  return useQuery({
    queryKey: applicationsKeys.drafts(),
    queryFn: () => api<DraftSummary[]>('/api/v1/application-drafts'),
    enabled,
  });
}

export function useDraft(id: string | null) {
  return useQuery({
    queryKey: applicationsKeys.draft(id),
    queryFn: () => api<Draft>(`/api/v1/application-drafts/${id}`),
    enabled: !!id,
    staleTime: Infinity,
    gcTime: 0,
  });
}

export function createDraft(body: NewDraftBody) {
  return api<Draft>('/api/v1/application-drafts', { method: 'POST', body });
}

export function saveDraft(id: string, body: DraftBody) {
  return api<Draft>(`/api/v1/application-drafts/${id}`, { method: 'PUT', body });
}

export function useDeleteDraft() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/application-drafts/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: applicationsKeys.drafts() }),
  });
}

/** Uploads one file; the body is the file, its name travels percent-encoded in a header. */
export function uploadFile(file: File, signal?: AbortSignal) {
  return api<UploadedFile>('/api/v1/files', {
    method: 'POST',
    body: file,
    headers: { 'content-type': contentTypeOf(file), 'x-file-name': encodeURIComponent(file.name) },
    ...(signal ? { signal } : {}),
  });
}

/** Some systems give no type for a file; the extension decides then (the server checks the bytes anyway). */
export function contentTypeOf(file: { name: string; type: string }): string {
  if (file.type) return file.type;
  const ext = file.name.toLowerCase().split('.').pop();
  return ext === 'pdf'
    ? 'application/pdf'
    : ext === 'png'
      ? 'image/png'
      : ext === 'jpg' || ext === 'jpeg'
        ? 'image/jpeg'
        : 'application/octet-stream';
}

export function useSubmit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: SubmitBodyInput; idempotencyKey: string }) =>
      api<ApplicationView>('/api/v1/applications', {
        method: 'POST',
        body,
        headers: { 'idempotency-key': idempotencyKey },
      }),
    onSuccess: (app) => {
      qc.setQueryData(applicationsKeys.application(app.id), app);
      void qc.invalidateQueries({ queryKey: applicationsKeys.applications() });
      void qc.invalidateQueries({ queryKey: applicationsKeys.drafts() });
      void qc.invalidateQueries({ queryKey: notificationsKeys.all() });
    },
  });
}

export function useApplications(enabled = true) {
  return useQuery({
    queryKey: applicationsKeys.applications(),
    queryFn: () => api<ApplicationSummary[]>('/api/v1/applications?limit=100'),
    enabled,
  });
}

export function useApplication(id: string | undefined) {
  return useQuery({
    queryKey: applicationsKeys.application(id),
    queryFn: () => api<ApplicationView>(`/api/v1/applications/${id}`),
    enabled: !!id,
  });
}
