-- Login sessions (refresh-token families) and their rotating refresh tokens.
CREATE TABLE IF NOT EXISTS session_families (
  id text PRIMARY KEY,
  user_email text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text,
  user_agent text,
  ip text
);
CREATE INDEX IF NOT EXISTS session_families_user_idx ON session_families (user_email);

CREATE TABLE IF NOT EXISTS refresh_tokens (
  id text PRIMARY KEY,
  family_id text NOT NULL REFERENCES session_families (id) ON DELETE CASCADE,
  token_hash text NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family_idx ON refresh_tokens (family_id);
