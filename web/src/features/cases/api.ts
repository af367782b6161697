// Department cases seen from the applicant's side: the actions an applicant takes on one case (supply the
// corrections of a 补正 notice, supply a 容缺 material, withdraw).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import type { ActionBodyOf, CaseActionResult } from '@onething/shared/cases';
import { applicationsKeys } from '../applications/keys';
import { notificationsKeys } from '../notifications/keys';

export function useCaseAction(applicationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ caseId, body }: { caseId: string; body: ActionBodyOf<'applicant'> }) =>
      api<CaseActionResult>(`/api/v1/cases/${caseId}/actions`, {
        method: 'POST',
        body,
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: applicationsKeys.application(applicationId) });
      void qc.invalidateQueries({ queryKey: applicationsKeys.applications() });
      void qc.invalidateQueries({ queryKey: notificationsKeys.all() });
    },
  });
}
