-- Identity: real-name persons, enterprises with their legal representative and agents (经办人), staff with a
-- department and a jurisdiction; roles and permissions as data; one-time login codes, lockout counters and
-- sessions that act for someone; proxies (帮办代办); and who actually submitted an application.

-- ---- roles and permissions as data ----------------------------------------------------------------------------
-- A permission's scope says which resources it reaches (platform/auth.ts authorize() applies it):
--   subject       resources of the person or enterprise the session acts for
--   department    cases of the caller's department whose region lies within the caller's jurisdiction
--   jurisdiction  resources whose region lies within the caller's jurisdiction
--   province      province-wide data (catalogue, calendar): only callers whose jurisdiction is a whole province
--   any           no resource check (e.g. recording consent for whoever is at the window)
CREATE TABLE permissions (
  code     text PRIMARY KEY,
  scope    text NOT NULL CHECK (scope IN ('subject', 'department', 'jurisdiction', 'province', 'any')),
  name_zh  text NOT NULL,
  name_en  text NOT NULL
);

CREATE TABLE roles (
  code      text PRIMARY KEY,
  -- Who may hold the role: citizens' accounts or staff accounts. enterprise_agent is never assigned: a person
  -- takes it on while acting for an enterprise they are an agent of.
  audience  text NOT NULL CHECK (audience IN ('citizen', 'staff')),
  name_zh   text NOT NULL,
  name_en   text NOT NULL
);

CREATE TABLE role_permissions (
  role        text NOT NULL REFERENCES roles (code),
  permission  text NOT NULL REFERENCES permissions (code),
  PRIMARY KEY (role, permission)
);

INSERT INTO permissions (code, scope, name_zh, name_en) VALUES
  ('applications.read',      'subject',      '查看本人（本企业）的申请、办件和草稿', 'Read own applications, cases and drafts'),
  ('applications.submit',    'subject',      '提交申请、保存草稿、上传材料、补正、撤回', 'Submit, draft, upload, supply corrections, withdraw'),
  ('proxies.manage',         'subject',      '授权家人代办、撤销授权', 'Authorise a family member, revoke proxies'),
  ('enterprises.manage',     'subject',      '以法定代表人身份登记企业、管理经办人', 'Register an enterprise as its legal representative, manage its agents'),
  ('proxies.record_consent', 'any',          '窗口记录当面授权（帮办代办）', 'Record consent at the window (assisted service)'),
  ('cases.review',           'department',   '办理本部门、本辖区的办件', 'Process cases of own department within jurisdiction'),
  ('cases.read',             'jurisdiction', '只读查看本辖区的办件', 'Read cases within jurisdiction'),
  ('accounts.read',          'jurisdiction', '查看本辖区的工作人员账号', 'Read staff accounts within jurisdiction'),
  ('accounts.manage',        'jurisdiction', '管理本辖区的工作人员账号和角色', 'Manage staff accounts and roles within jurisdiction'),
  ('catalogue.manage',       'province',     '维护事项和一件事目录', 'Maintain the catalogue of items and bundles'),
  ('calendar.manage',        'province',     '维护工作日历', 'Maintain the working-day calendar');

INSERT INTO roles (code, audience, name_zh, name_en) VALUES
  ('applicant',        'citizen', '申请人',         'Applicant'),
  ('enterprise_agent', 'citizen', '企业经办人',     'Enterprise agent'),
  ('window_staff',     'staff',   '综合窗口工作人员', 'Window staff'),
  ('township_staff',   'staff',   '乡镇（街道）工作人员', 'Township staff'),
  ('reviewer',         'staff',   '部门审核人员',   'Department reviewer'),
  ('department_head',  'staff',   '部门负责人',     'Department head'),
  ('hotline_agent',    'staff',   '12345 热线坐席', 'Hotline agent'),
  ('admin',            'staff',   '管理员',         'Administrator'),
  ('auditor',          'staff',   '审计人员',       'Auditor');

INSERT INTO role_permissions (role, permission) VALUES
  ('applicant', 'applications.read'), ('applicant', 'applications.submit'), ('applicant', 'proxies.manage'), ('applicant', 'enterprises.manage'),
  ('enterprise_agent', 'applications.read'), ('enterprise_agent', 'applications.submit'),
  ('window_staff', 'proxies.record_consent'),
  ('township_staff', 'proxies.record_consent'), ('township_staff', 'cases.review'),
  ('reviewer', 'cases.review'),
  ('department_head', 'cases.review'),
  ('hotline_agent', 'cases.read'),
  ('admin', 'accounts.read'), ('admin', 'accounts.manage'), ('admin', 'catalogue.manage'), ('admin', 'calendar.manage'),
  ('auditor', 'cases.read'), ('auditor', 'accounts.read');

-- ---- accounts ---------------------------------------------------------------------------------------------------
-- Persons carry their resident ID number and phone, enterprises their unified social credit code, staff their
-- jurisdiction. ID and phone numbers are read and written only by identity.repository.ts, so that encrypting them
-- (with keyed hashes for lookups) is a change in one place. An account without a password cannot log in: an
-- enterprise (people act for it) or a person whom window staff registered and who has not signed up yet.
ALTER TABLE accounts
  ALTER COLUMN password_hash DROP NOT NULL,
  ADD COLUMN id_number text,
  ADD COLUMN phone text,
  ADD COLUMN uscc text,
  -- GB/T 2260 code of 6 digits (province, city, county) or 9 / 12 digits (township, village).
  ADD COLUMN jurisdiction text CHECK (jurisdiction ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
  -- The person asked for a one-time code at every login (staff need one anyway, see LOGIN_OTP).
  ADD COLUMN login_otp boolean NOT NULL DEFAULT false,
  ADD COLUMN created_by uuid REFERENCES accounts (id),
  ADD CONSTRAINT accounts_identifiers_by_kind CHECK (
    (kind = 'person' OR id_number IS NULL) AND (kind = 'enterprise' OR uscc IS NULL) AND (kind = 'staff' OR jurisdiction IS NULL));
CREATE UNIQUE INDEX accounts_id_number_idx ON accounts (id_number) WHERE id_number IS NOT NULL;
CREATE UNIQUE INDEX accounts_uscc_idx ON accounts (uscc) WHERE uscc IS NOT NULL;

UPDATE accounts SET jurisdiction = trim(region_code) WHERE kind = 'staff' AND region_code IS NOT NULL;

CREATE TABLE account_roles (
  account_id  uuid NOT NULL REFERENCES accounts (id),
  role        text NOT NULL REFERENCES roles (code),
  granted_by  uuid REFERENCES accounts (id),
  granted_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, role)
);
INSERT INTO account_roles (account_id, role) SELECT a.id, r.role FROM accounts a CROSS JOIN LATERAL unnest(a.roles) AS r(role);
ALTER TABLE accounts DROP COLUMN roles;

-- ---- enterprises and their agents (经办人) ------------------------------------------------------------------------
CREATE TABLE enterprise_agents (
  id             uuid PRIMARY KEY,
  enterprise_id  uuid NOT NULL REFERENCES accounts (id),
  person_id      uuid NOT NULL REFERENCES accounts (id),
  role           text NOT NULL CHECK (role IN ('legal_representative', 'agent')),
  granted_by     uuid REFERENCES accounts (id),
  granted_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at     timestamptz,
  revoked_by     uuid REFERENCES accounts (id)
);
CREATE UNIQUE INDEX enterprise_agents_live_idx ON enterprise_agents (enterprise_id, person_id) WHERE revoked_at IS NULL;
CREATE INDEX enterprise_agents_person_idx ON enterprise_agents (person_id) WHERE revoked_at IS NULL;

-- ---- proxies (帮办代办) ---------------------------------------------------------------------------------------------
-- The grantor is the person acted for; the grantee acts. window_consent: window staff act for a person present at
-- the window, with the consent recorded there; family: a family member acts for (typically) an elderly person.
CREATE TABLE proxies (
  id             uuid PRIMARY KEY,
  grantor_id     uuid NOT NULL REFERENCES accounts (id),
  grantee_id     uuid NOT NULL REFERENCES accounts (id),
  kind           text NOT NULL CHECK (kind IN ('window_consent', 'family')),
  -- {"bundles": ["after-death", …]} or {"all": true}
  scope          jsonb NOT NULL,
  valid_from     timestamptz NOT NULL,
  valid_until    timestamptz NOT NULL,
  -- How consent was given and who recorded it: {"method": "signature", "reference": "…", "recordedBy": uuid, "recordedAt": …}
  consent        jsonb NOT NULL,
  created_by     uuid NOT NULL REFERENCES accounts (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at     timestamptz,
  revoked_by     uuid REFERENCES accounts (id),
  revoke_reason  text,
  CHECK (grantor_id <> grantee_id),
  CHECK (valid_until > valid_from)
);
CREATE INDEX proxies_grantor_idx ON proxies (grantor_id, created_at DESC);
CREATE INDEX proxies_grantee_idx ON proxies (grantee_id, created_at DESC);

-- ---- login: one-time codes, counted attempts, locks ------------------------------------------------------------------
-- A code is kept only as SHA-256(challenge id ":" code). Six digits hashed cannot resist an offline search; what
-- protects a code is its five minutes, its single use and its five attempts.
CREATE TABLE login_challenges (
  id           uuid PRIMARY KEY,
  account_id   uuid NOT NULL REFERENCES accounts (id),
  code_hash    text NOT NULL,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  attempts     integer NOT NULL DEFAULT 0,
  consumed_at  timestamptz,
  ip           text
);
CREATE INDEX login_challenges_account_idx ON login_challenges (account_id, created_at DESC);

-- Every login step, counted per username (also for usernames that do not exist, so that locking reveals nothing)
-- and per IP address. In the database rather than in memory, so that several instances count together.
CREATE TABLE login_attempts (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL,
  username    text NOT NULL,
  account_id  uuid REFERENCES accounts (id),
  ip          text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('password_failed', 'password_ok', 'otp_failed', 'session', 'locked', 'rate_limited', 'register'))
);
CREATE INDEX login_attempts_username_idx ON login_attempts (username, at DESC);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at DESC);

-- A lock on a username ('user:<name>') or an address ('ip:<addr>') until a time.
CREATE TABLE login_locks (
  key           text PRIMARY KEY,
  locked_until  timestamptz NOT NULL,
  locked_at     timestamptz NOT NULL
);

-- ---- sessions act for someone ----------------------------------------------------------------------------------------
-- acting_subject_id: the enterprise (acting_kind 'enterprise') or the person who granted proxy_id ('proxy').
ALTER TABLE sessions
  ADD COLUMN acting_kind text CHECK (acting_kind IN ('enterprise', 'proxy')),
  ADD COLUMN acting_subject_id uuid REFERENCES accounts (id),
  ADD COLUMN proxy_id uuid REFERENCES proxies (id),
  -- How the session was authenticated, e.g. {password,otp}.
  ADD COLUMN methods text[] NOT NULL DEFAULT '{password}',
  ADD COLUMN ip text,
  ADD COLUMN user_agent text,
  ADD CONSTRAINT sessions_acting_consistent CHECK (
    (acting_kind IS NULL AND acting_subject_id IS NULL AND proxy_id IS NULL)
    OR (acting_kind = 'enterprise' AND acting_subject_id IS NOT NULL AND proxy_id IS NULL)
    OR (acting_kind = 'proxy' AND acting_subject_id IS NOT NULL AND proxy_id IS NOT NULL));
CREATE INDEX sessions_live_idx ON sessions (account_id) WHERE revoked_at IS NULL;

-- ---- who submitted an application ------------------------------------------------------------------------------------
-- applicant_id is the person or enterprise of record; submitted_by the account that acted (the same, an agent of
-- the enterprise, a family member or window staff); on_behalf how it acted ({"kind": "proxy", "proxyId": …}).
ALTER TABLE applications
  ADD COLUMN submitted_by uuid REFERENCES accounts (id),
  ADD COLUMN on_behalf jsonb;
UPDATE applications SET submitted_by = applicant_id;
ALTER TABLE applications ALTER COLUMN submitted_by SET NOT NULL;

-- ---- jurisdiction: "within and below" ---------------------------------------------------------------------------------
-- The significant prefix of a GB/T 2260 code: 320000 → 32 (province), 320200 → 3202 (city), 320104 → 320104
-- (county), 320104001 → 320104001 (township), 320104001001 (village); trailing 000 groups of the 9- and 12-digit
-- forms are dropped first (320104001000 → 320104001). A region lies within a jurisdiction when its significant
-- prefix starts with the jurisdiction's: a county case is within its city and province, a city case is not within
-- one of its counties. The same definition is divisionPrefix / isWithinJurisdiction in platform/auth.ts; a test
-- compares the two.
CREATE FUNCTION division_prefix(code text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  c text := btrim(code);
BEGIN
  IF c ~ '^[0-9]{12}$' AND right(c, 3) = '000' THEN c := left(c, 9); END IF;
  IF c ~ '^[0-9]{9}$' AND right(c, 3) = '000' THEN c := left(c, 6); END IF;
  IF c ~ '^[0-9]{6}$' THEN
    IF right(c, 4) = '0000' THEN RETURN left(c, 2); END IF;
    IF right(c, 2) = '00' THEN RETURN left(c, 4); END IF;
    RETURN c;
  END IF;
  IF c ~ '^[0-9]{9}([0-9]{3})?$' THEN RETURN c; END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION division_within(region text, jurisdiction text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT coalesce(starts_with(division_prefix(region), division_prefix(jurisdiction)), false)
$$;
