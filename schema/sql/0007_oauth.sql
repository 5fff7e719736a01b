-- Imbi's OAuth 2.1 authorization server (issue 11; MCP authorization spec 2025-06-18).

-- Clients registered by RFC 7591 dynamic client registration: public clients only (PKCE, no
-- secret). Revocation is a soft delete: the row says when, so audit rows keep pointing at it, and
-- every token issued to the client is refused from the next request.
CREATE TABLE IF NOT EXISTS oauth_clients (
  client_id text PRIMARY KEY,
  client_name text NOT NULL,
  redirect_uris text[] NOT NULL,
  grant_types text[] NOT NULL,
  client_uri text,
  software_id text,
  software_version text,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_ip text,
  revoked_at timestamptz
);

-- A user's consent to a client (and the OAuth scopes it covers), remembered until revoked.
CREATE TABLE IF NOT EXISTS oauth_authorizations (
  user_email text NOT NULL,
  client_id text NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  scopes text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  PRIMARY KEY (user_email, client_id)
);

-- One authorization-code exchange: a chain of rotating refresh tokens, like a login session. The
-- access tokens carry its id (`sid`); revoking it (reuse, consent revoked, client revoked) ends
-- every token of the chain.
CREATE TABLE IF NOT EXISTS oauth_families (
  id text PRIMARY KEY,
  user_email text NOT NULL,
  client_id text NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  scopes text[] NOT NULL,
  resource text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text
);
CREATE INDEX IF NOT EXISTS oauth_families_user_client_idx ON oauth_families (user_email, client_id);
CREATE INDEX IF NOT EXISTS oauth_families_client_idx ON oauth_families (client_id);

-- A refresh token of a family; only its SHA-256 is stored. used_at set = rotated.
CREATE TABLE IF NOT EXISTS oauth_refresh_tokens (
  id text PRIMARY KEY,
  family_id text NOT NULL REFERENCES oauth_families (id) ON DELETE CASCADE,
  token_hash text NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX IF NOT EXISTS oauth_refresh_tokens_family_idx ON oauth_refresh_tokens (family_id);
