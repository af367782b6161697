// Drizzle tables the platform itself owns: the typed view of what server/migrations/*.sql create. The SQL files are
// the source of truth; test/platform.test.ts checks that the two agree column by column.
import {
  bigint,
  bigserial,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// Append-only and hash-chained per subject (migration 0002), keyed (0013); rows are written by platform/audit.ts only.
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    requestId: text('request_id'),
    seq: integer('seq').notNull(),
    prevHash: text('prev_hash'),
    hash: text('hash').notNull(),
    /** The AUDIT_KEY entry the hash is an HMAC under; null only on rows from before migration 0013. */
    keyId: text('key_id'),
  },
  (t) => [unique('audit_events_chain_position').on(t.subjectType, t.subjectId, t.seq)],
);

// Checkpoints of the chains' heads (migration 0013), written by platform/audit-checkpoints.ts only.
export const auditCheckpoints = pgTable('audit_checkpoints', {
  no: bigint('no', { mode: 'number' }).primaryKey(),
  takenAt: ts('taken_at').notNull(),
  keyId: text('key_id').notNull(),
  watermark: bigint('watermark', { mode: 'number' }).notNull(),
  settled: bigint('settled', { mode: 'number' }).notNull(),
  heads: integer('heads').notNull(),
  prevMac: text('prev_mac'),
  mac: text('mac').notNull(),
});

export const auditCheckpointHeads = pgTable(
  'audit_checkpoint_heads',
  {
    checkpointNo: bigint('checkpoint_no', { mode: 'number' }).notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    seq: integer('seq').notNull(),
    hash: text('hash').notNull(),
    mac: text('mac').notNull(),
  },
  (t) => [primaryKey({ columns: [t.checkpointNo, t.subjectType, t.subjectId] })],
);
