-- Personal data at rest: resident ID numbers and phone numbers of accounts move from plaintext columns to
-- ciphertext (AES-256-GCM envelopes, platform/pii.ts) and keyed hashes (HMAC-SHA256) that lookups and the
-- uniqueness of an ID number use. SQL cannot encrypt (the keys are in the configuration, never in the
-- database), so this migration only prepares: it adds the new columns, moves the unique index to the hash and
-- records a pending task. The data step (platform/pii-store.ts, run by the migration runner right after the SQL,
-- before any request is served) encrypts what is there, in batches, and empties the plaintext columns; the same
-- step seals form data, profile attributes, case data and events and masks notification payloads. See
-- docs/adr/0005-personal-data-at-rest.md.
ALTER TABLE accounts
  ADD COLUMN id_number_enc text,
  ADD COLUMN id_number_hash text,
  ADD COLUMN phone_enc text,
  ADD COLUMN phone_hash text,
  DROP CONSTRAINT accounts_identifiers_by_kind,
  ADD CONSTRAINT accounts_identifiers_by_kind CHECK (
    (kind = 'person' OR (id_number IS NULL AND id_number_hash IS NULL)) AND (kind = 'enterprise' OR uscc IS NULL) AND (kind = 'staff' OR jurisdiction IS NULL)),
  ADD CONSTRAINT accounts_pii_pairs CHECK ((id_number_enc IS NULL) = (id_number_hash IS NULL) AND (phone_enc IS NULL) = (phone_hash IS NULL));

-- The plaintext columns stay until every installation has run the data step; no new row may fill them. NOT VALID:
-- rows from before are checked when the data step rewrites them, which empties the columns.
ALTER TABLE accounts ADD CONSTRAINT accounts_no_plaintext_pii CHECK (id_number IS NULL AND phone IS NULL) NOT VALID;
COMMENT ON COLUMN accounts.id_number IS 'Legacy plaintext, emptied by the personal-data step of migration 0006; dropped by a later migration';
COMMENT ON COLUMN accounts.phone IS 'Legacy plaintext, emptied by the personal-data step of migration 0006; dropped by a later migration';

DROP INDEX accounts_id_number_idx;
CREATE UNIQUE INDEX accounts_id_number_hash_idx ON accounts (id_number_hash) WHERE id_number_hash IS NOT NULL;
CREATE INDEX accounts_phone_hash_idx ON accounts (phone_hash) WHERE phone_hash IS NOT NULL;

-- Data steps the runner still owes after the SQL; a row is deleted when its step finished (a crash leaves it,
-- and the next start resumes: the step is idempotent).
CREATE TABLE pending_data_steps (
  name        text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO pending_data_steps (name) VALUES ('seal-personal-data');
