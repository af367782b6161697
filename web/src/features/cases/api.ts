// Department cases seen from the applicant's side: the actions an applicant takes on one case (supply the
// corrections of a 补正 notice, supply a 容缺 material, withdraw).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api';
import type { SubmittedMaterial } from '../applications/api';

export type ApplicantAction =
  | { action: 'supply_correction'; materials: SubmittedMaterial[] }
  | { action: 'supply_gap'; materials: SubmittedMaterial[] }
  | { action: 'withdraw'; reason?: string };

export function useCaseAction(applicationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ caseId, body }: { caseId: string; body: ApplicantAction }) =>
      api<{ id: string; status: string; dueDate: string | null }>(`/api/v1/cases/${caseId}/actions`, {
        method: 'POST',
        body,
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['application', applicationId] });
      void qc.invalidateQueries({ queryKey: ['applications'] });
      void qc.invalidateQueries({ queryKey: ['notifications'] });
    },
  });
}
