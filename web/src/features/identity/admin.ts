// The console's side of identity: staff accounts and roles; creating and changing a staff account.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RolePermissions, StaffAccount, StaffBody, StaffPatchBody } from '@onething/shared/identity';
import { api } from '../../lib/api';
import { catalogueKeys } from '../catalogue/keys';
import { identityKeys } from './keys';

export const useStaffAccounts = () =>
  useQuery({
    queryKey: identityKeys.accounts(),
    queryFn: () => api<StaffAccount[]>('/api/v1/admin/accounts?limit=200'),
  });
export const useRoles = () =>
  useQuery({ queryKey: identityKeys.roles(), queryFn: () => api<RolePermissions[]>('/api/v1/admin/roles') });

/** After a change to staff accounts or departments (the accounts list shows their places). */
export function refreshPeople(qc: ReturnType<typeof useQueryClient>) {
  void qc.invalidateQueries({ queryKey: identityKeys.accounts() });
  void qc.invalidateQueries({ queryKey: catalogueKeys.departments() });
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
