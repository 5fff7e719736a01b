-- One counter bumped in the same transaction as every change to roles, grants or inheritance, so
-- processes can cache role → permission closures and know exactly when they are stale.
CREATE TABLE IF NOT EXISTS role_version (
  id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  version bigint NOT NULL DEFAULT 0,
  -- Identifies the database, so a process talking to two databases never mixes their caches.
  instance uuid NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO role_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
