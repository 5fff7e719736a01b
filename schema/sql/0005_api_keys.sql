-- API keys (`ik_<id>_<secret>`) of users and service accounts (issue 10, ADR 0010). Only an HMAC of
-- the secret is stored (lib/auth/credential_hash.ts). A rotation keeps the id and moves the old
-- hash to previous_secret_hash, valid until previous_secret_expires_at (the grace period). Revoking
-- sets revoked_at and adds the id to the kv denylist; the row stays for audit and usage history.
CREATE TABLE IF NOT EXISTS api_keys (
  id text PRIMARY KEY,
  owner_kind text NOT NULL CHECK (owner_kind IN ('user', 'service_account')),
  owner_id text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  secret_hash text NOT NULL,
  -- Empty: everything the owner holds. Otherwise permission names (owner's ∩ these, per request).
  scopes text[] NOT NULL DEFAULT '{}',
  -- NULL: any organization the owner belongs to; otherwise organization slugs.
  organizations text[],
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  last_used_at timestamptz,
  last_rotated_at timestamptz,
  previous_secret_hash text,
  previous_secret_expires_at timestamptz,
  revoked_at timestamptz,
  revoked_by text
);
-- The owner's listing (newest first) and the lookup of one key of an owner.
CREATE INDEX IF NOT EXISTS api_keys_owner_idx ON api_keys (owner_kind, owner_id, created_at DESC, id);
