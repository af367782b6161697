-- Foundations: departments, accounts and sessions, the versioned catalogue, the working-day calendar, audit.

CREATE TABLE departments (
  code        text PRIMARY KEY,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  region_code char(6) NOT NULL,
  sector      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
  id              uuid PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('person', 'enterprise', 'staff')),
  username        text NOT NULL UNIQUE,
  display_name    text NOT NULL,
  password_hash   text NOT NULL,
  roles           text[] NOT NULL,
  department_code text REFERENCES departments (code),
  region_code     char(6),
  disabled        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Opaque session tokens; only their SHA-256 is stored.
CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES accounts (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX sessions_account_idx ON sessions (account_id);

-- Service items (政务服务事项) and their versions. A published version never changes (trigger below).
CREATE TABLE service_items (
  code        text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE service_item_versions (
  item_code       text NOT NULL REFERENCES service_items (code),
  version         integer NOT NULL CHECK (version > 0),
  status          text NOT NULL CHECK (status IN ('draft', 'published')),
  content         jsonb NOT NULL,
  content_sha256  text NOT NULL,
  department_code text NOT NULL,
  created_by      uuid REFERENCES accounts (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  published_by    uuid REFERENCES accounts (id),
  published_at    timestamptz,
  PRIMARY KEY (item_code, version)
);
CREATE UNIQUE INDEX service_item_versions_one_draft ON service_item_versions (item_code) WHERE status = 'draft';

-- One-thing bundles (一件事) and their versions; a version pins the versions of its items.
CREATE TABLE bundles (
  code        text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE bundle_versions (
  bundle_code     text NOT NULL REFERENCES bundles (code),
  version         integer NOT NULL CHECK (version > 0),
  status          text NOT NULL CHECK (status IN ('draft', 'published')),
  content         jsonb NOT NULL,
  content_sha256  text NOT NULL,
  stage           text NOT NULL,
  audience        text NOT NULL,
  created_by      uuid REFERENCES accounts (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  published_by    uuid REFERENCES accounts (id),
  published_at    timestamptz,
  PRIMARY KEY (bundle_code, version)
);
CREATE UNIQUE INDEX bundle_versions_one_draft ON bundle_versions (bundle_code) WHERE status = 'draft';

CREATE FUNCTION forbid_published_version_change() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'a published catalogue version is immutable (% version %)', TG_TABLE_NAME, OLD.version
      USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER service_item_versions_immutable BEFORE UPDATE OR DELETE ON service_item_versions
  FOR EACH ROW EXECUTE FUNCTION forbid_published_version_change();
CREATE TRIGGER bundle_versions_immutable BEFORE UPDATE OR DELETE ON bundle_versions
  FOR EACH ROW EXECUTE FUNCTION forbid_published_version_change();

-- The working-day calendar: one row per loaded year, holding the State Council's notice as data.
CREATE TABLE calendar_years (
  year        integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  file        jsonb NOT NULL,
  loaded_by   uuid REFERENCES accounts (id),
  loaded_at   timestamptz NOT NULL DEFAULT now()
);

-- Who did what, written in the same transaction as the change.
CREATE TABLE audit_events (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_id      uuid REFERENCES accounts (id),
  action        text NOT NULL,
  subject_type  text NOT NULL,
  subject_id    text NOT NULL,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id    text
);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id);
