-- Uploaded files sealed at rest (AES-256-GCM under the PII keys, platform/pii.ts; docs/adr/0023): what is on disk
-- is no longer the uploaded bytes, so each row also records the stored bytes' SHA-256 and size, which a backup
-- checks its copy against without the keys. NULL: a file stored as uploaded before this migration, still read as
-- it is until `onething pii seal` seals it. sha256 and size stay those of the uploaded bytes (what the applicant
-- and the audit rows name).
ALTER TABLE files
  ADD COLUMN stored_sha256 text,
  ADD COLUMN stored_size integer CHECK (stored_size > 0),
  ADD CONSTRAINT files_stored_pair CHECK ((stored_sha256 IS NULL) = (stored_size IS NULL));
-- The files still to seal, which every start counts (a warning until there are none): only those are in it.
CREATE INDEX files_unsealed_idx ON files (id) WHERE stored_sha256 IS NULL;

-- The recogniser of personal numbers now knows phone numbers written with +86, spaces, dashes, dots and
-- parentheses, and fixed lines with their area codes; file names, account display names and key-item notes are
-- covered too. The data step of 0006 runs again (it is idempotent) to seal or mask what earlier writes left in
-- clear.
INSERT INTO pending_data_steps (name) VALUES ('seal-personal-data') ON CONFLICT (name) DO NOTHING;
