-- Embedded twin of ../0002_operations_log.sql. One row per (id, version): the primary key makes a
-- redelivered version a no-op, and readers take the highest version per id (DISTINCT ON), which
-- is what ReplacingMergeTree(version) plus LIMIT 1 BY id gives on ClickHouse.
CREATE TABLE IF NOT EXISTS analytics.operations_log (
    id               text COLLATE "C" NOT NULL,
    version          bigint NOT NULL CHECK (version >= 0),
    deleted          smallint NOT NULL CHECK (deleted IN (0, 1)),
    organization     text NOT NULL,
    project_id       text NOT NULL,
    environment_slug text NOT NULL,
    entry_type       text NOT NULL,
    description      text NOT NULL,
    occurred_at      timestamptz(3) NOT NULL,
    completed_at     timestamptz(3),
    performed_by     text NOT NULL DEFAULT '',
    recorded_by      text NOT NULL DEFAULT '',
    recorded_at      timestamptz(3) NOT NULL,
    link             text NOT NULL DEFAULT '',
    notes            text NOT NULL DEFAULT '',
    ticket_slug      text NOT NULL DEFAULT '',
    version_label    text NOT NULL DEFAULT '',
    PRIMARY KEY (id, version)
);

CREATE INDEX IF NOT EXISTS operations_log_org_idx ON analytics.operations_log (organization, project_id);
