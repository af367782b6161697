// The notifications context's query keys.
export const notificationsKeys = {
  /** The inbox, and under it the unread count. */
  all: () => ['notifications'] as const,
  unread: () => ['notifications', 'unread'] as const,
};
