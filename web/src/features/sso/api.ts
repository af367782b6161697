// The console's side of SSO: the department systems (OpenID Connect clients) of the administrator's jurisdiction.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Client, ClientBody, ClientPatchBody, RegisteredClient } from '@onething/shared/sso';
import { api } from '../../lib/api';
import { ssoKeys } from './keys';

const path = (clientId: string) => `/api/v1/admin/sso/clients/${encodeURIComponent(clientId)}`;

export const useSsoClients = () =>
  useQuery({ queryKey: ssoKeys.clients(), queryFn: () => api<Client[]>('/api/v1/admin/sso/clients') });

function useRefresh() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: ssoKeys.clients() });
}

/** Registers a client; a confidential client's secret is in the answer, once. */
export function useRegisterClient() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: ClientBody) => api<RegisteredClient>('/api/v1/admin/sso/clients', { method: 'POST', body }),
    onSuccess: refresh,
  });
}

export function useUpdateClient() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ clientId, change }: { clientId: string; change: ClientPatchBody }) =>
      api<Client>(path(clientId), { method: 'PATCH', body: change }),
    onSuccess: refresh,
  });
}

export function useDeleteClient() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (clientId: string) => api<null>(path(clientId), { method: 'DELETE' }),
    onSuccess: refresh,
  });
}
