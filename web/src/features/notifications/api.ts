// The applicant's inbox: every change to an application writes a notification (the server's outbox).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Notification } from '@onething/shared/notifications';
import { api } from '../../lib/api';
import { notificationsKeys } from './keys';

export function useNotifications(enabled = true) {
  return useQuery({
    queryKey: notificationsKeys.all(),
    queryFn: () => api<Notification[]>('/api/v1/notifications?limit=100'),
    enabled,
  });
}

export function useUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: notificationsKeys.unread(),
    queryFn: async () => (await api<Notification[]>('/api/v1/notifications?unread=true&limit=200')).length,
    enabled,
    refetchInterval: 60_000,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/notifications/${id}/read`, { method: 'POST', body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationsKeys.all() }),
  });
}
