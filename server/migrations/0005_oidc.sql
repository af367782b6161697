-- SSO for department systems (统一身份认证): the OpenID Connect provider's clients, signing keys and state.

-- Department systems registered by administrators as OpenID Connect clients. A confidential client's secret is
-- shown once at registration and kept only as a SHA-256: secrets are 256 random bits, so a fast hash is enough
-- and a leak of this table yields no usable secret. Public clients (auth_method 'none') have no secret.
CREATE TABLE sso_clients (
  client_id        text PRIMARY KEY,
  name             text NOT NULL,
  department_code  text REFERENCES departments (code),
  redirect_uris    text[] NOT NULL CHECK (cardinality(redirect_uris) > 0),
  post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
  auth_method      text NOT NULL CHECK (auth_method IN ('client_secret_basic', 'client_secret_post', 'none')),
  secret_sha256    text,
  scopes           text[] NOT NULL,
  -- A first-party system (run by or for the government itself) is granted the scopes it asks for without a
  -- consent screen; any other client shows one.
  first_party      boolean NOT NULL,
  created_by       uuid REFERENCES accounts (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((auth_method = 'none') = (secret_sha256 IS NULL))
);

-- Signing keys (JWKs) and cookie-signing keys, generated on first start and shared by every instance. The
-- material is sealed with AES-256-GCM when SSO_KEY_ENCRYPTION_KEY is set (see sso.keys.ts).
CREATE TABLE sso_keys (
  id          text PRIMARY KEY,
  use         text NOT NULL CHECK (use IN ('signing', 'cookie')),
  material    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  retired_at  timestamptz
);

-- What oidc-provider keeps between requests (sessions, interactions, grants, codes, tokens), one row per model
-- instance, in the shape of its adapter interface. Rows past expires_at are treated as absent and pruned.
CREATE TABLE oidc_payloads (
  id           text NOT NULL,
  kind         text NOT NULL,
  payload      jsonb NOT NULL,
  grant_id     text,
  user_code    text,
  uid          text,
  expires_at   timestamptz,
  consumed_at  timestamptz,
  PRIMARY KEY (kind, id)
);
CREATE INDEX oidc_payloads_grant_idx ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_payloads_uid_idx ON oidc_payloads (kind, uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_payloads_user_code_idx ON oidc_payloads (kind, user_code) WHERE user_code IS NOT NULL;
CREATE INDEX oidc_payloads_expires_idx ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL;
