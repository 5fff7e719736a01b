-- Change events: one row per changed top-level field of a catalog entity (project create, patch,
-- delete). Rows are immutable; ReplacingMergeTree on a sort key ending in id collapses a
-- redelivered row (analytics outbox), and readers add LIMIT 1 BY id until the merge happens.
-- old_value/new_value are JSON text (no JSON type on 18.16).
CREATE TABLE IF NOT EXISTS events
(
    id           String,
    occurred_at  DateTime('UTC'),
    occurred_ms  UInt16,
    organization String,
    entity_type  String,
    entity_id    String,
    action       String,
    field        String,
    old_value    String,
    new_value    String,
    principal    String,
    request_id   String
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (occurred_at, occurred_ms, id);
