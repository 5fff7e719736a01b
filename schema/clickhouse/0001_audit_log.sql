-- Audit log: one row per security-relevant event (DESIGN.md §6).
-- Must run on Debian's ClickHouse 18.16 and on current releases, so: DateTime (whole seconds)
-- plus occurred_ms for sub-second order, no DateTime64/TTL/JSON/LowCardinality.
-- ReplacingMergeTree keyed on the sort key that ends in id: a retried insert of the same event
-- (the analytics outbox retries) collapses into one row at merge time.
CREATE TABLE IF NOT EXISTS audit_log
(
    id           String,
    occurred_at  DateTime('UTC'),
    occurred_ms  UInt16,
    event        String,
    actor        String,
    organization String,
    subject      String,
    ip           String,
    user_agent   String,
    request_id   String,
    success      UInt8,
    details      String
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (occurred_at, occurred_ms, id);
