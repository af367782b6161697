-- Identity proofing (docs/adr/0022-identity-proofing.md). A resident ID number is bound to an account only when the
-- person proved it: the name matches the population register (一人一档) and they entered a code sent to the phone
-- on record there, or window staff saw their ID card. Until then the account only claims the number, at real-name
-- level 1, and any number of accounts may claim one number. An enterprise is claimed by the person the enterprise
-- register (一企一档) names as its legal representative.

-- ---- the registers ------------------------------------------------------------------------------------------------
-- Each import records where the data came from and the date it describes; each row keeps the import it came from.
CREATE TABLE register_imports (
  id           uuid PRIMARY KEY,
  register     text NOT NULL CHECK (register IN ('population', 'enterprise')),
  -- Who supplied the extract, as the operator names it (e.g. 江苏省公安厅 人口基础信息库).
  source       text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
  -- The day the extract describes; a row is replaced only by one of an extract at least as recent.
  as_of        date NOT NULL,
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  rows         integer NOT NULL CHECK (rows >= 0),
  created      integer NOT NULL,
  updated      integer NOT NULL,
  skipped      integer NOT NULL,
  imported_by  uuid REFERENCES accounts (id),
  imported_at  timestamptz NOT NULL DEFAULT now()
);

-- ID and phone numbers as everywhere (platform/pii.ts): an AES-256-GCM envelope and a keyed hash for lookups.
CREATE TABLE person_register (
  id_number_hash  text PRIMARY KEY,
  id_number_enc   text NOT NULL,
  name            text NOT NULL,
  -- The phone on record: where a proofing code goes. Absent: the person proves their identity at a window.
  phone_enc       text,
  phone_hash      text,
  -- Where the household is registered (户籍地), GB/T 2260.
  region_code     char(6) NOT NULL,
  as_of           date NOT NULL,
  import_id       uuid NOT NULL REFERENCES register_imports (id),
  CHECK ((phone_enc IS NULL) = (phone_hash IS NULL))
);

CREATE TABLE enterprise_register (
  uscc                                text PRIMARY KEY,
  name                                text NOT NULL,
  legal_representative_name           text NOT NULL,
  legal_representative_id_number_enc  text NOT NULL,
  legal_representative_id_number_hash text NOT NULL,
  as_of                               date NOT NULL,
  import_id                           uuid NOT NULL REFERENCES register_imports (id)
);
CREATE INDEX enterprise_register_representative_idx ON enterprise_register (legal_representative_id_number_hash);

-- ---- accounts: claimed and bound numbers, the real-name level, freezing ---------------------------------------------
ALTER TABLE accounts
  -- The number a person registered with and has not proved yet: not unique (an impostor's claim takes nothing).
  ADD COLUMN claimed_id_number_enc text,
  ADD COLUMN claimed_id_number_hash text,
  -- 实名等级 of a person (staff and enterprises are not proofed here: sso.domain.ts): 1 registered, 2 the name matches
  -- the population register and the phone on record was proved, 3 seen in person with the ID card.
  ADD COLUMN real_name_level smallint NOT NULL DEFAULT 1 CHECK (real_name_level BETWEEN 1 AND 3),
  ADD COLUMN proofing_method text CHECK (proofing_method IN ('register_phone', 'window', 'seed')),
  ADD COLUMN proofed_at timestamptz,
  ADD COLUMN proofed_by uuid REFERENCES accounts (id),
  -- A frozen account is also disabled; the reason lets login say why (an ID number reclaimed at a window).
  ADD COLUMN frozen_at timestamptz,
  ADD COLUMN frozen_reason text CHECK (frozen_reason IN ('id_number_reclaimed')),
  ADD COLUMN frozen_by uuid REFERENCES accounts (id),
  ADD CONSTRAINT accounts_claim_pair CHECK ((claimed_id_number_enc IS NULL) = (claimed_id_number_hash IS NULL)),
  ADD CONSTRAINT accounts_claim_persons CHECK (kind = 'person' OR claimed_id_number_hash IS NULL),
  ADD CONSTRAINT accounts_level_bound CHECK (real_name_level = 1 OR (kind = 'person' AND id_number_hash IS NOT NULL)),
  ADD CONSTRAINT accounts_frozen_disabled CHECK (frozen_at IS NULL OR (disabled AND frozen_reason IS NOT NULL));
CREATE INDEX accounts_claimed_id_number_hash_idx ON accounts (claimed_id_number_hash) WHERE claimed_id_number_hash IS NOT NULL;

-- Numbers bound before proofing existed were never checked: a person who registered online holds a claim until
-- they prove it (the demo seed proves its persons again from the register it ships). A person window staff
-- recorded from the ID card (created_by) was seen in person: level 3.
UPDATE accounts
   SET claimed_id_number_enc = id_number_enc, claimed_id_number_hash = id_number_hash,
       id_number_enc = NULL, id_number_hash = NULL
 WHERE kind = 'person' AND id_number_hash IS NOT NULL AND created_by IS NULL;
UPDATE accounts
   SET real_name_level = 3, proofing_method = 'window', proofed_at = created_at, proofed_by = created_by
 WHERE kind = 'person' AND id_number_hash IS NOT NULL AND created_by IS NOT NULL;

-- ---- proofing codes -------------------------------------------------------------------------------------------------
-- A proofing code is a challenge like a login code, sent to the phone on record rather than the account's: the
-- outbox row carries only the masked number, so the relay reads the destination here (sealed). id_number_hash is
-- the claim the code proves; a challenge without a destination was answered like the others but can never match.
ALTER TABLE login_challenges
  ADD COLUMN purpose text NOT NULL DEFAULT 'login' CHECK (purpose IN ('login', 'proofing')),
  ADD COLUMN destination_enc text,
  ADD COLUMN id_number_hash text,
  ADD CONSTRAINT login_challenges_proofing CHECK (purpose = 'login' OR id_number_hash IS NOT NULL);

-- ---- permissions ----------------------------------------------------------------------------------------------------
INSERT INTO permissions (code, scope, name_zh, name_en) VALUES
  ('identity.proof',   'any',      '窗口查验身份证，核验实名、找回被冒用的身份证号码', 'Verify identity from the ID card at a window, reclaim a misused ID number'),
  ('registers.import', 'province', '导入人口和企业基础信息（一人一档、一企一档）', 'Import the population and enterprise registers');
INSERT INTO role_permissions (role, permission) VALUES
  ('window_staff', 'identity.proof'), ('township_staff', 'identity.proof'), ('admin', 'registers.import');
