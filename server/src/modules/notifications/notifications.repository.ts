import crypto from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { NotificationMessage } from '@onething/shared/notifications';
import { rowsFor, type Executor, type InsertPart } from '../../platform/db.ts';
import { notifications } from './notifications.tables.ts';
import { maskForRecord } from '../../platform/pii.ts';

export type NotificationRow = typeof notifications.$inferSelect;

/** A notification to write: one of the shared messages (its kind fixes its payload), to one account. */
export type NewNotification = NotificationMessage & {
  recipientId: string;
  applicationId?: string | null;
  caseId?: string | null;
};

/** The outbox row of a notification: its payload masked (it may travel by SMS or e-mail). */
function notificationRow(n: NewNotification): typeof notifications.$inferInsert {
  return {
    id: crypto.randomUUID(),
    recipientId: n.recipientId,
    applicationId: n.applicationId ?? null,
    caseId: n.caseId ?? null,
    kind: n.kind,
    payload: maskForRecord(n.payload),
  };
}

export async function insertNotification(ex: Executor, n: NewNotification): Promise<void> {
  await ex.db.insert(notifications).values(notificationRow(n));
}

/** A notification as a part of a statement that writes several tables (platform/db.ts insertTogether). */
export function notificationPart(n: NewNotification, at: Date): InsertPart {
  return rowsFor(notifications, [{ ...notificationRow(n), createdAt: at }]);
}

export async function listForRecipient(
  ex: Executor,
  recipientId: string,
  limit: number,
  unreadOnly: boolean,
): Promise<NotificationRow[]> {
  return ex.db
    .select()
    .from(notifications)
    .where(
      unreadOnly
        ? and(eq(notifications.recipientId, recipientId), isNull(notifications.readAt))
        : eq(notifications.recipientId, recipientId),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
}

export async function markRead(ex: Executor, recipientId: string, id: string, at: Date): Promise<boolean> {
  const rows = await ex.db
    .update(notifications)
    .set({ readAt: at })
    .where(and(eq(notifications.id, id), eq(notifications.recipientId, recipientId)))
    .returning({ id: notifications.id });
  return rows.length > 0;
}
