// The applicant's inbox: every change to an application writes a notification (the server's outbox).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api';

export interface Notification {
  id: string;
  kind: string;
  applicationId: string | null;
  caseId: string | null;
  payload: {
    applicationNumber?: string;
    bundle?: string;
    item?: string;
    status?: string;
    dueDate?: string | null;
    promisedDate?: string;
    reason?: string | null;
    problems?: Array<{ material: string; problem: string }>;
    items?: number;
    [key: string]: unknown;
  };
  createdAt: string;
  readAt: string | null;
}

export function useNotifications(enabled = true) {
  return useQuery({
    queryKey: ['notifications'],
    queryFn: () => api<Notification[]>('/api/v1/notifications?limit=100'),
    enabled,
  });
}

export function useUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: async () => (await api<Notification[]>('/api/v1/notifications?unread=true&limit=200')).length,
    enabled,
    refetchInterval: 60_000,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/notifications/${id}/read`, { method: 'POST', body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
}
