-- Publishing a release (issue 13): the reference's `publish_release` webhook action ratifies a
-- release once a deployment of it succeeds. A release is published at most once (published_at set);
-- prerelease says it was published as a pre-release (an RC, a beta). Added columns rather than a
-- table: a release has one publication, read with the release itself.
ALTER TABLE releases ADD COLUMN IF NOT EXISTS published_at timestamptz NULL;
ALTER TABLE releases ADD COLUMN IF NOT EXISTS published_by text NULL;
ALTER TABLE releases ADD COLUMN IF NOT EXISTS prerelease boolean NOT NULL DEFAULT false;
