// The console's Excel files: staff, departments and service items downloaded, staff and departments uploaded
// (all rows or none).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type Problem } from '../../lib/api';
import type { LocalText } from '../../lib/text';
import { refreshPeople } from '../identity/admin';

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
