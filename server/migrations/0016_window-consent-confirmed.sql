-- Window and township staff record a person's consent only within their jurisdiction, and only with something
-- from the person: a one-time code sent to the phone on record (kept here as a hash, like login codes), or the ID
-- card read at the window (recorded in the proxy's consent and its audit row). See docs/adr/0024.
UPDATE permissions
   SET scope = 'jurisdiction',
       name_zh = '在本辖区窗口记录当面授权（帮办代办）',
       name_en = 'Record consent at a window within jurisdiction (assisted service)'
 WHERE code = 'proxies.record_consent';

-- A code sent to the person for one staff member's request; single use, minutes long, a few attempts.
CREATE TABLE consent_challenges (
  id           uuid PRIMARY KEY,
  person_id    uuid NOT NULL REFERENCES accounts (id),
  staff_id     uuid NOT NULL REFERENCES accounts (id),
  code_hash    text NOT NULL,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  attempts     integer NOT NULL DEFAULT 0,
  consumed_at  timestamptz
);
CREATE INDEX consent_challenges_person_idx ON consent_challenges (person_id, created_at DESC);
