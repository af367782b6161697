-- The audit log becomes keyed (docs/adr/0021). From here on each row's hash is an HMAC-SM3 under a key outside
-- the database (AUDIT_KEY), named in key_id; and checkpoints record, under the same keys, the head (last seq and
-- hash) of every chain that moved since the checkpoint before, so that rows removed from a chain's end, or a
-- whole chain, no longer go unseen.

-- NULL: a row written before this migration, its hash the plain SHA-256 of migration 0002 or the marker 'legacy'.
-- Such rows are vouched for as they stood at the upgrade by checkpoint 1, the seal (platform/audit-checkpoints.ts).
ALTER TABLE audit_events ADD COLUMN key_id text;

-- No new unkeyed or legacy row. NOT VALID: enforced for every row inserted from now on (and any update), not for
-- the rows already there, which the seal covers instead.
ALTER TABLE audit_events
  ADD CONSTRAINT audit_events_keyed CHECK (key_id IS NOT NULL AND key_id ~ '^[A-Za-z0-9_-]{1,32}$' AND hash ~ '^[0-9a-f]{64}$') NOT VALID;

-- One row per checkpoint, numbered 1, 2, 3 … without gaps, each MAC'd over its fields and the MAC of the one before.
--   watermark: the largest audit_events.id the checkpoint saw;
--   settled:   an id at or below which every row that will ever commit had committed before it began, so that
--              the next checkpoint starts its scan there (rows of transactions still open are not lost);
--   heads:     how many audit_checkpoint_heads rows it wrote.
CREATE TABLE audit_checkpoints (
  no bigint PRIMARY KEY CHECK (no > 0),
  taken_at timestamptz NOT NULL,
  key_id text NOT NULL,
  watermark bigint NOT NULL,
  settled bigint NOT NULL,
  heads integer NOT NULL,
  prev_mac text,
  mac text NOT NULL,
  CONSTRAINT audit_checkpoints_prev_iff_not_first CHECK ((no = 1) = (prev_mac IS NULL))
);

-- The chains a checkpoint saw move, each with its head then and a MAC of its own over (checkpoint, subject, seq,
-- hash): a head row changed, moved to another checkpoint or slipped in does not verify, and one removed changes
-- its checkpoint's count.
CREATE TABLE audit_checkpoint_heads (
  checkpoint_no bigint NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  seq integer NOT NULL,
  hash text NOT NULL,
  mac text NOT NULL,
  PRIMARY KEY (checkpoint_no, subject_type, subject_id)
);
-- A chain's newest recorded head, for the next checkpoint and for verification.
CREATE INDEX audit_checkpoint_heads_subject_idx ON audit_checkpoint_heads (subject_type, subject_id, checkpoint_no);

CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_audit_change();
CREATE TRIGGER audit_checkpoint_heads_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_checkpoint_heads
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_audit_change();

-- The seal: checkpoint 1, written with the configured key by the migration runner right after this SQL commits
-- and before anything is served (migrate.ts), over every chain as it stands.
INSERT INTO pending_data_steps (name) VALUES ('seal-audit-log');
