-- Operations log: change-management entries (deploys, restarts, migrations, …).
-- Versioned rows: a PATCH inserts the entry again with a higher version (ms clock), a DELETE
-- inserts a tombstone (deleted = 1). ReplacingMergeTree(version) keeps the latest row per sort key
-- at merge time; readers take the latest version per id themselves (ORDER BY version DESC
-- LIMIT 1 BY id), so results never depend on whether a merge has happened, and a redelivered row
-- (same id and version, from the analytics outbox) is invisible.
-- version_label is the user's version field; version is the row version.
-- No PARTITION BY: a PATCH may move occurred_at to another month, and replacing merges only
-- collapse rows within one partition. The sort key holds only columns a PATCH cannot change.
-- 18.16-compatible: DateTime plus *_ms columns, Nullable for completed_at, no LowCardinality/TTL.
CREATE TABLE IF NOT EXISTS operations_log
(
    id               String,
    version          UInt64,
    deleted          UInt8,
    organization     String,
    project_id       String,
    environment_slug String,
    entry_type       String,
    description      String,
    occurred_at      DateTime('UTC'),
    occurred_ms      UInt16,
    completed_at     Nullable(DateTime('UTC')),
    completed_ms     UInt16,
    performed_by     String,
    recorded_by      String,
    recorded_at      DateTime('UTC'),
    recorded_ms      UInt16,
    link             String,
    notes            String,
    ticket_slug      String,
    version_label    String
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (organization, project_id, id);
