-- Intake and department cases: one application per submission, one case per service item, the statutory clock,
-- corrections (补正), tolerated gaps (容缺), the notification outbox, uploaded files and profiles (一人一档/一企一档).

CREATE SEQUENCE application_number_seq;

CREATE TABLE files (
  id            uuid PRIMARY KEY,
  owner_id      uuid NOT NULL REFERENCES accounts (id),
  file_name     text NOT NULL,
  content_type  text NOT NULL,
  size          integer NOT NULL CHECK (size > 0),
  sha256        text NOT NULL,
  storage_key   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_owner_idx ON files (owner_id);

CREATE TABLE application_drafts (
  id              uuid PRIMARY KEY,
  applicant_id    uuid NOT NULL REFERENCES accounts (id),
  bundle_code     text NOT NULL REFERENCES bundles (code),
  bundle_version  integer NOT NULL,
  answers         jsonb NOT NULL DEFAULT '{}'::jsonb,
  form            jsonb NOT NULL DEFAULT '{}'::jsonb,
  materials       jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_drafts_applicant_idx ON application_drafts (applicant_id, updated_at DESC);

CREATE TABLE applications (
  id                uuid PRIMARY KEY,
  number            text NOT NULL UNIQUE,
  applicant_id      uuid NOT NULL REFERENCES accounts (id),
  bundle_code       text NOT NULL,
  bundle_version    integer NOT NULL,
  region_code       char(6) NOT NULL,
  channel           text NOT NULL CHECK (channel IN ('web', 'window', 'api')),
  status            text NOT NULL CHECK (status IN ('in_progress', 'completed', 'withdrawn')),
  answers           jsonb NOT NULL,
  form              jsonb NOT NULL,
  materials         jsonb NOT NULL,
  -- Materials the applicant committed to supply later (容缺), by item: what a department may accept with a gap.
  declared_gaps     jsonb NOT NULL DEFAULT '{}'::jsonb,
  idempotency_key   text,
  request_sha256    text NOT NULL,
  submitted_on      date NOT NULL,
  promised_date     date,
  submitted_at      timestamptz NOT NULL DEFAULT now(),
  completed_at      timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (bundle_code, bundle_version) REFERENCES bundle_versions (bundle_code, version)
);
CREATE UNIQUE INDEX applications_idempotency_idx ON applications (applicant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX applications_applicant_idx ON applications (applicant_id, submitted_at DESC);

CREATE TABLE cases (
  id                  uuid PRIMARY KEY,
  application_id      uuid NOT NULL REFERENCES applications (id),
  item_code           text NOT NULL,
  item_version        integer NOT NULL,
  department_code     text NOT NULL REFERENCES departments (code),
  region_code         char(6) NOT NULL,
  status              text NOT NULL CHECK (status IN ('waiting', 'pending', 'accepted', 'reviewing', 'awaiting_correction',
                        'decided', 'concluded', 'refused', 'withdrawn', 'terminated')),
  depends_on          text[] NOT NULL DEFAULT '{}',
  data                jsonb NOT NULL,
  inputs              jsonb NOT NULL DEFAULT '[]'::jsonb,
  outputs             jsonb NOT NULL DEFAULT '[]'::jsonb,
  promised_days       integer NOT NULL,
  statutory_days      integer,
  received_on         date,
  accepted_on         date,
  due_date            date,
  statutory_due_date  date,
  pauses              jsonb NOT NULL DEFAULT '[]'::jsonb,
  paused_since        date,
  correction_return   text,
  decision            text CHECK (decision IN ('approve', 'deny')),
  decision_reason     text,
  tolerated_gap       jsonb,
  gap_due_date        date,
  gap_status          text CHECK (gap_status IN ('open', 'supplied', 'overdue')),
  near_due            boolean NOT NULL DEFAULT false,
  overdue             boolean NOT NULL DEFAULT false,
  closed_at           timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (item_code, item_version) REFERENCES service_item_versions (item_code, version),
  UNIQUE (application_id, item_code)
);
-- The department queue: open cases of one department, due soonest first.
CREATE INDEX cases_queue_idx ON cases (department_code, due_date NULLS LAST, created_at)
  WHERE status IN ('pending', 'accepted', 'reviewing', 'awaiting_correction', 'decided');
CREATE INDEX cases_application_idx ON cases (application_id);
-- The clock sweep: open cases with a due date, and open tolerated gaps.
CREATE INDEX cases_clock_idx ON cases (due_date) WHERE status IN ('accepted', 'reviewing', 'decided');
CREATE INDEX cases_gap_idx ON cases (gap_due_date) WHERE gap_status = 'open';

-- A case's history as the applicant and the reviewer see it (the audit chain keeps the tamper-evident copy).
CREATE TABLE case_events (
  id            bigserial PRIMARY KEY,
  case_id       uuid NOT NULL REFERENCES cases (id),
  at            timestamptz NOT NULL DEFAULT now(),
  on_day        date NOT NULL,
  actor_id      uuid REFERENCES accounts (id),
  action        text NOT NULL,
  from_status   text,
  to_status     text NOT NULL,
  reason        text,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

-- 补正一次性告知: every missing or defective material, once.
CREATE TABLE correction_notices (
  id            uuid PRIMARY KEY,
  case_id       uuid NOT NULL REFERENCES cases (id),
  issued_on     date NOT NULL,
  issued_by     uuid REFERENCES accounts (id),
  problems      jsonb NOT NULL,
  note          text,
  supplied_on   date,
  supplied      jsonb
);
CREATE INDEX correction_notices_case_idx ON correction_notices (case_id);

-- The notification outbox: written with the change; delivery channels read it later.
CREATE TABLE notifications (
  id              uuid PRIMARY KEY,
  recipient_id    uuid NOT NULL REFERENCES accounts (id),
  application_id  uuid REFERENCES applications (id),
  case_id         uuid REFERENCES cases (id),
  kind            text NOT NULL,
  payload         jsonb NOT NULL,
  -- clock_timestamp, not now(): notifications written in one transaction keep their order.
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  read_at         timestamptz,
  delivered_at    timestamptz
);
CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, created_at DESC);
CREATE INDEX notifications_undelivered_idx ON notifications (created_at) WHERE delivered_at IS NULL;

-- 一人一档 / 一企一档, first form: attributes the government holds, each with its source, for prefill.
CREATE TABLE profile_attributes (
  account_id  uuid NOT NULL REFERENCES accounts (id),
  attribute   text NOT NULL,
  value       jsonb NOT NULL,
  source      text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, attribute)
);
