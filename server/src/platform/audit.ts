// An audit row is written with the change it records, in the same transaction: for government work the
// record of who did what is part of the domain, not a log line.
import type { Executor } from './db.ts';
import { auditEvents } from './schema.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  data?: Record<string, unknown>;
  requestId?: string | null;
}

export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.db.insert(auditEvents).values({
    actorId: entry.actorId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    data: entry.data ?? {},
    requestId: entry.requestId ?? null,
  });
}

/** Whether an action was already recorded for a subject with data containing `data` (jsonb containment). */
export async function hasAudit(ex: Executor, action: string, subjectId: string, data: Record<string, unknown>): Promise<boolean> {
  const { rows } = await ex.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM audit_events WHERE action = $1 AND subject_id = $2 AND data @> $3::jsonb) AS found`,
    [action, subjectId, JSON.stringify(data)],
  );
  return rows[0]?.found ?? false;
}
