-- Service-account credentials (issue 10). The accounts themselves are ServiceAccount vertices;
-- what a token request must look up by id on every call lives here, next to the sessions.

-- Client credentials: `cc_<id>` + a secret shown once and stored as an HMAC (lib/auth/credential_hash.ts).
-- Empty scopes = every permission the account holds; empty organizations = every organization.
-- Revocation is a soft delete (the row says when), so audit rows keep pointing at something.
CREATE TABLE IF NOT EXISTS client_credentials (
  client_id text PRIMARY KEY,
  service_account text NOT NULL,
  name text NOT NULL,
  secret_hash text NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}',
  organizations text[] NOT NULL DEFAULT '{}',
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  rotated_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX IF NOT EXISTS client_credentials_account_idx ON client_credentials (service_account);

-- Public keys for private_key_jwt client authentication (RFC 7523 §2.2). The kid is the key's
-- RFC 7638 thumbprint, so registering one key twice (on any account) is a primary-key conflict.
CREATE TABLE IF NOT EXISTS service_account_keys (
  kid text PRIMARY KEY,
  service_account text NOT NULL,
  name text NOT NULL,
  alg text NOT NULL,
  jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX IF NOT EXISTS service_account_keys_account_idx ON service_account_keys (service_account);

-- Assertions already used (jti per client), kept until they expire: the INSERT … ON CONFLICT DO
-- NOTHING that records one is what refuses a replay, on every process and isolate alike.
CREATE TABLE IF NOT EXISTS used_assertions (
  client_id text NOT NULL,
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX IF NOT EXISTS used_assertions_expires_idx ON used_assertions (expires_at);
