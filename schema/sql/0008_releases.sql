-- Releases, deployments and release blockers of projects (issue 13). High-volume history keyed by
-- organization + project id, so SQL tables rather than graph vertices (as sessions and API keys):
-- the reads are keyset pages, "latest per environment" and set differences, which an index on
-- (org_id, project_id, …) answers directly. Projects and environments stay in the graph; their ids
-- are stored here (an environment's slug can change, its id cannot).
CREATE TABLE IF NOT EXISTS releases (
  id text PRIMARY KEY,
  org_id text NOT NULL,
  project_id text NOT NULL,
  -- In the IMBI_RELEASES_VERSION_FORMAT format when created; unique per project.
  version text NOT NULL,
  -- The commit (or tag object) the release was cut from; unattached deployments match it.
  committish text,
  title text NOT NULL DEFAULT '',
  notes text NOT NULL DEFAULT '',
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT releases_project_version_key UNIQUE (org_id, project_id, version)
);
-- The project's releases newest first (keyset), and the committish lookup of unattached deploys.
CREATE INDEX IF NOT EXISTS releases_project_idx ON releases (org_id, project_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS releases_committish_idx ON releases (org_id, project_id, committish);

-- A reason a release must not be deployed. Open while resolved_at is NULL; resolving keeps the row.
CREATE TABLE IF NOT EXISTS release_blockers (
  id text PRIMARY KEY,
  release_id text NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
  reason text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolved_by text,
  resolution_note text
);
CREATE INDEX IF NOT EXISTS release_blockers_release_idx ON release_blockers (release_id, created_at DESC, id DESC);

-- One deployment of a project to an environment. release_id NULL = unattached: it carries only the
-- tag or sha it deployed (ref) until a release with that version or committish is created, which
-- attaches it. A CI run reports the same external_run_id for every state change; the partial
-- unique index makes that the deployment's identity, so a redelivery updates instead of inserting.
CREATE TABLE IF NOT EXISTS deployments (
  id text PRIMARY KEY,
  org_id text NOT NULL,
  project_id text NOT NULL,
  environment_id text NOT NULL,
  release_id text REFERENCES releases (id) ON DELETE SET NULL,
  ref text,
  status text NOT NULL CHECK (status IN ('pending', 'in_progress', 'success', 'failed', 'rolled_back')),
  external_run_id text,
  external_run_url text,
  note text,
  performed_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS deployments_run_key
  ON deployments (org_id, project_id, external_run_id) WHERE external_run_id IS NOT NULL;
-- History (keyset, newest first), latest per environment, and the unattached lookup.
CREATE INDEX IF NOT EXISTS deployments_history_idx ON deployments (org_id, project_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS deployments_env_idx
  ON deployments (org_id, project_id, environment_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS deployments_unattached_idx
  ON deployments (org_id, project_id, ref) WHERE release_id IS NULL;
CREATE INDEX IF NOT EXISTS deployments_release_idx ON deployments (release_id);
