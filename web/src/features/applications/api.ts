// Intake: the one-time notice (一次告知), prefill, drafts, uploads, one submission, and my applications.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api';
import type { LocalText } from '../../app/text';

export type Answers = Record<string, boolean | string | number>;

export interface Guidance {
  bundle: { code: string; version: number };
  unanswered: string[];
  items: Array<{
    code: string;
    version: number;
    name: LocalText;
    departmentCode: string;
    included: boolean;
    reason: LocalText;
    after: string[];
    promisedDays: number;
    statutoryDays: number | null;
  }>;
  materials: GuidanceMaterial[];
  departments: string[];
  totalPromisedDays: number;
}

export interface GuidanceMaterial {
  id: string;
  name: LocalText;
  provision: 'certificate' | 'produced' | 'upload';
  certificateType: string | null;
  required: boolean;
  toleratedGapAllowed: boolean;
  usedBy: string[];
}

export interface Prefill {
  bundle: { code: string; version: number };
  values: Record<string, unknown>;
  sources: Record<string, { attribute: string; source: string }>;
}

export interface UploadedFile {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
}

export type SubmittedMaterial =
  | { id: string; kind: 'upload'; fileIds: string[] }
  | { id: string; kind: 'certificate'; consent: true }
  | { id: string; kind: 'gap'; commitment: string };

export interface Draft {
  id: string;
  bundle: { code: string; version: number };
  answers: Answers;
  form: Record<string, unknown>;
  materials: unknown[];
  updatedAt: string;
}

export interface CaseView {
  id: string;
  item: { code: string; version: number };
  departmentCode: string;
  status: CaseStatus;
  dependsOn: string[];
  receivedOn: string | null;
  acceptedOn: string | null;
  dueDate: string | null;
  /** In a year whose holiday notice is not loaded yet: counted provisionally, may still move. */
  dueDateProvisional?: boolean;
  statutoryDueDate: string | null;
  pausedSince: string | null;
  nearDue: boolean;
  overdue: boolean;
  decision: 'approve' | 'deny' | null;
  decisionReason: string | null;
  toleratedGap: { materials: string[]; commitment: string; dueDate: string; status: string } | null;
  outputs: Array<{ certificateType: string; name: LocalText; number?: string; issuedOn?: string }>;
  corrections: Array<{
    id: string;
    issuedOn: string;
    problems: Array<{ material: string; problem: string }>;
    note: string | null;
    suppliedOn: string | null;
  }>;
  timeline: Array<{
    at: string;
    day: string;
    action: string;
    from: string | null;
    to: string;
    reason: string | null;
    data: Record<string, unknown>;
  }>;
}

export type CaseStatus =
  | 'waiting'
  | 'pending'
  | 'accepted'
  | 'reviewing'
  | 'awaiting_correction'
  | 'decided'
  | 'concluded'
  | 'refused'
  | 'withdrawn'
  | 'terminated';
export type ApplicationStatus = 'in_progress' | 'completed' | 'withdrawn';

export interface ApplicationView {
  id: string;
  number: string;
  bundle: { code: string; version: number };
  status: ApplicationStatus;
  channel: string;
  submittedOn: string;
  submittedAt: string;
  promisedDate: string | null;
  promisedDateProvisional?: boolean;
  completedAt: string | null;
  cases: CaseView[];
}

export interface ApplicationSummary {
  id: string;
  number: string;
  bundle: { code: string; version: number };
  status: ApplicationStatus;
  submittedOn: string;
  promisedDate: string | null;
}

export function useGuidance(code: string | undefined, answers: Answers, version?: number) {
  return useQuery({
    queryKey: ['guidance', code, version ?? 'latest', answers],
    queryFn: () =>
      api<Guidance>(`/api/v1/catalogue/bundles/${encodeURIComponent(code!)}/guidance`, {
        method: 'POST',
        body: { answers, ...(version ? { version } : {}) },
      }),
    enabled: !!code,
    placeholderData: (prev) => prev,
    staleTime: 5 * 60_000,
  });
}

export function usePrefill(code: string | undefined) {
  return useQuery({
    queryKey: ['prefill', code],
    queryFn: () => api<Prefill>(`/api/v1/applications/prefill?bundle=${encodeURIComponent(code!)}`),
    enabled: !!code,
    staleTime: 5 * 60_000,
  });
}

export function useDrafts(enabled = true) {
  return useQuery({
    queryKey: ['drafts'],
    queryFn: () => api<Array<Pick<Draft, 'id' | 'bundle' | 'updatedAt'>>>('/api/v1/application-drafts'),
    enabled,
  });
}

export function useDraft(id: string | null) {
  return useQuery({
    queryKey: ['draft', id],
    queryFn: () => api<Draft>(`/api/v1/application-drafts/${id}`),
    enabled: !!id,
    staleTime: Infinity,
    gcTime: 0,
  });
}

export function createDraft(body: {
  bundle: string;
  answers?: Answers;
  form?: Record<string, unknown>;
  materials?: unknown[];
}) {
  return api<Draft>('/api/v1/application-drafts', { method: 'POST', body });
}

export function saveDraft(
  id: string,
  body: { answers?: Answers; form?: Record<string, unknown>; materials?: unknown[] },
) {
  return api<Draft>(`/api/v1/application-drafts/${id}`, { method: 'PUT', body });
}

export function useDeleteDraft() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/application-drafts/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['drafts'] }),
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
    mutationFn: ({
      body,
      idempotencyKey,
    }: {
      body: {
        bundle: string;
        version?: number;
        answers: Answers;
        form: Record<string, unknown>;
        materials: SubmittedMaterial[];
        draftId?: string;
      };
      idempotencyKey: string;
    }) =>
      api<ApplicationView>('/api/v1/applications', {
        method: 'POST',
        body,
        headers: { 'idempotency-key': idempotencyKey },
      }),
    onSuccess: (app) => {
      qc.setQueryData(['application', app.id], app);
      void qc.invalidateQueries({ queryKey: ['applications'] });
      void qc.invalidateQueries({ queryKey: ['drafts'] });
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    },
  });
}

export function useApplications(enabled = true) {
  return useQuery({
    queryKey: ['applications'],
    queryFn: () => api<ApplicationSummary[]>('/api/v1/applications?limit=100'),
    enabled,
  });
}

export function useApplication(id: string | undefined) {
  return useQuery({
    queryKey: ['application', id],
    queryFn: () => api<ApplicationView>(`/api/v1/applications/${id}`),
    enabled: !!id,
  });
}
