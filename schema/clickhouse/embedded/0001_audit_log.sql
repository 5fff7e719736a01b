-- Embedded twin of ../0001_audit_log.sql for the Postgres (PGlite) analytics adapter.
-- timestamptz(3) keeps exactly the millisecond precision the ClickHouse table keeps.
-- The primary key on id mirrors ReplacingMergeTree: a retried insert is a no-op. COLLATE "C"
-- orders ids by bytes, as ClickHouse does, so ties break the same way in both adapters.
CREATE SCHEMA IF NOT EXISTS analytics;

CREATE TABLE IF NOT EXISTS analytics.audit_log (
    id           text COLLATE "C" PRIMARY KEY,
    occurred_at  timestamptz(3) NOT NULL,
    event        text NOT NULL,
    actor        text NOT NULL DEFAULT '',
    organization text NOT NULL DEFAULT '',
    subject      text NOT NULL DEFAULT '',
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT '',
    request_id   text NOT NULL DEFAULT '',
    success      smallint NOT NULL CHECK (success IN (0, 1)),
    details      text NOT NULL DEFAULT '{}'
);

-- Newest-first keyset scans, unfiltered and by the two common filters.
CREATE INDEX IF NOT EXISTS audit_log_time_idx ON analytics.audit_log (occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_log_org_time_idx ON analytics.audit_log (organization, occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_log_actor_time_idx ON analytics.audit_log (actor, occurred_at DESC, id DESC);
