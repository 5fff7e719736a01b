-- Inbound webhook deliveries (issue 13): one row per processing attempt of a delivery the gateway
-- received, written by the gateway after each attempt. status is processed (the matched rules ran;
-- outcomes say how each did), retrying (the attempt failed, another follows), dead (the last
-- attempt failed) or unmatched (no project or no rule matched). The id is `<delivery id>.<attempt>`.
-- ReplacingMergeTree keyed on the sort key that ends in id: a retried insert of one attempt
-- collapses at merge, and readers add LIMIT 1 BY id until then. The key leads with organization
-- and webhook because the one read is "this webhook's deliveries, newest first".
-- 18.16-compatible: DateTime plus occurred_ms, UInt32, Array(String) for the matched projects (as
-- score_history's project_types), outcomes and headers as JSON text (no JSON type on 18.16), no
-- DateTime64/LowCardinality/TTL.
CREATE TABLE IF NOT EXISTS webhook_deliveries
(
    id               String,
    occurred_at      DateTime('UTC'),
    occurred_ms      UInt16,
    organization     String,
    webhook          String,
    webhook_id       String,
    delivery_id      String,
    external_id      String,
    event_type       String,
    attempt          UInt32,
    status           String,
    matched_projects Array(String),
    outcomes         String,
    headers          String,
    duration_ms      UInt32,
    error            String
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (organization, webhook, occurred_at, occurred_ms, id);
