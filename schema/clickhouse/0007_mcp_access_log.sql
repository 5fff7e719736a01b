-- MCP access log (issue 11): one row per tool call on /mcp, written after the response
-- (lib/mcp/access_log.ts). status is ok (the tool answered), error (the tool refused the input
-- or failed), denied (the verb refused the caller, or the per-actor rate limit did).
-- ReplacingMergeTree keyed on the sort key that ends in id: a retried insert collapses at merge.
-- 18.16-compatible: DateTime plus occurred_ms, UInt32, no DateTime64/LowCardinality/TTL.
CREATE TABLE IF NOT EXISTS mcp_access_log
(
    id          String,
    occurred_at DateTime('UTC'),
    occurred_ms UInt16,
    actor       String,
    actor_kind  String,
    credential  String,
    tool        String,
    status      String,
    duration_ms UInt32,
    request_id  String
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (occurred_at, occurred_ms, id);
