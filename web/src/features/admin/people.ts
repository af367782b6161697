// The console's writes about people and places: staff accounts (create, change roles, place, status) and
// departments (create or update), plus the Excel files of staff, departments and service items (download, and
// upload of staff and departments: all rows or none). All through existing API routes.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import type { StaffAccount, StaffBody, StaffPatchBody } from '@onething/shared/identity';
import i18n from '../../i18n';
import { api, ApiError, type FieldProblem, type Problem } from '../../lib/api';
import type { LocalText } from '../../lib/text';

export interface DepartmentInput {
  code: string;
  name: LocalText;
  regionCode: string;
  sector: string;
}

function refreshPeople(qc: ReturnType<typeof useQueryClient>) {
  void qc.invalidateQueries({ queryKey: ['admin', 'accounts'] });
  void qc.invalidateQueries({ queryKey: ['departments'] });
}

export function useCreateStaff() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: StaffBody) => api<StaffAccount>('/api/v1/admin/accounts', { method: 'POST', body: input }),
    onSuccess: () => refreshPeople(qc),
  });
}

export function useUpdateStaff() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: StaffPatchBody }) =>
      api<StaffAccount>(`/api/v1/admin/accounts/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch }),
    onSuccess: () => refreshPeople(qc),
  });
}

export function useSaveDepartment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, ...body }: DepartmentInput) =>
      api<void>(`/api/v1/admin/catalogue/departments/${encodeURIComponent(code)}`, { method: 'PUT', body }),
    onSuccess: () => refreshPeople(qc),
  });
}

/**
 * Puts a problem's field errors on the form's fields: "/phone" → phone, "/roles/1" → roles, "/name/zh" → name.zh.
 * Returns whether any field took an error (the rest are for the alert above the buttons).
 */
export function showFieldProblems(form: FormInstance, err: unknown, fields: string[]): boolean {
  const problems: FieldProblem[] = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
  const byField = new Map<string, { name: string[]; errors: string[] }>();
  for (const p of problems) {
    const parts = p.pointer.split('/').filter(Boolean);
    for (let n = parts.length; n > 0; n--) {
      const key = parts.slice(0, n).join('.');
      if (fields.includes(key)) {
        const entry = byField.get(key) ?? { name: parts.slice(0, n), errors: [] };
        entry.errors.push(p.detail);
        byField.set(key, entry);
        break;
      }
    }
  }
  form.setFields([...byField.values()]);
  return byField.size > 0;
}

// ---- Excel files ----

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export type SheetKind = 'accounts' | 'departments';
export interface ImportOutcome {
  created: number;
  updated: number;
  unchanged: number;
}
export interface RowProblem {
  row: number;
  column: string;
  code: string;
  detail: LocalText;
}

/** Downloads a file the server makes (an .xlsx export), under the name it suggests. */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const res = await fetch(path, {
    credentials: 'same-origin',
    headers: { 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN' },
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as Problem | null;
    throw new ApiError(res.status, problem, problem?.title ?? i18n.t('error.http', { status: res.status }));
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const name = m ? decodeURIComponent(m[1]!) : fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function useImportSheet(kind: SheetKind) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      api<ImportOutcome>(`/api/v1/admin/excel/${kind}`, {
        method: 'POST',
        body: new Blob([file], { type: file.type || XLSX_TYPE }),
        headers: { 'content-type': XLSX_TYPE },
      }),
    onSuccess: () => refreshPeople(qc),
  });
}

/** The rows and columns an import refused, from its 422 problem. */
export function rowProblems(err: unknown): RowProblem[] {
  if (!(err instanceof ApiError)) return [];
  const rows = (err.problem as (Problem & { rows?: RowProblem[] }) | null)?.rows;
  return Array.isArray(rows) ? rows : [];
}
