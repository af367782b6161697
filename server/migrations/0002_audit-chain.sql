-- The audit log becomes append-only and hash-chained per subject (subject_type, subject_id): each row stores its
-- position in its subject's chain (seq, from 1), the hash of the row before it (prev_hash, null for seq 1) and
-- its own hash, a SHA-256 that platform/audit.ts computes over the row's canonical JSON. Changing, removing or
-- inserting a row afterwards breaks the chain, and `onething audit verify` says where.

ALTER TABLE audit_events
  ADD COLUMN seq integer,
  ADD COLUMN prev_hash text,
  ADD COLUMN hash text;

-- Rows written before this migration (none in any real deployment, but the migration must not depend on it)
-- cannot be given the hash platform/audit.ts would compute: reproducing its canonical JSON in SQL exactly
-- (JavaScript number formatting, key order by UTF-16 code units, the `at` of rows stored with microseconds) is
-- not possible with certainty. They get their place in the chain and the marker hash 'legacy'; the verifier
-- accepts legacy rows only at the start of a subject's chain and reports how many there are.
UPDATE audit_events e
   SET seq = n.seq,
       prev_hash = CASE WHEN n.seq = 1 THEN NULL ELSE 'legacy' END,
       hash = 'legacy'
  FROM (SELECT id, row_number() OVER (PARTITION BY subject_type, subject_id ORDER BY id)::integer AS seq FROM audit_events) n
 WHERE e.id = n.id;

ALTER TABLE audit_events
  ALTER COLUMN seq SET NOT NULL,
  ALTER COLUMN hash SET NOT NULL,
  ADD CONSTRAINT audit_events_seq_positive CHECK (seq > 0),
  ADD CONSTRAINT audit_events_prev_hash_iff_not_first CHECK ((seq = 1) = (prev_hash IS NULL)),
  ADD CONSTRAINT audit_events_hash_format CHECK (hash ~ '^[0-9a-f]{64}$' OR hash = 'legacy'),
  -- One row per chain position: if two writers of one subject ever got past the advisory lock in
  -- recordAudit at once, the second insert fails instead of forking the chain.
  ADD CONSTRAINT audit_events_chain_position UNIQUE (subject_type, subject_id, seq);

-- The unique index starts with (subject_type, subject_id) and serves every lookup the old index served.
DROP INDEX audit_events_subject_idx;

-- Append-only: no UPDATE, DELETE or TRUNCATE. Statement-level, so that even a statement touching no row is
-- refused and a mass delete fails at once rather than row by row.
CREATE FUNCTION forbid_audit_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'check_violation',
          HINT = 'audit rows are written once by recordAudit and never changed or removed';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_audit_change();
