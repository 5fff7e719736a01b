-- API-key usage: requests per key, UTC day, route (the OpenAPI path template), method and status,
-- one row inserted per request authenticated by an API key (lib/http/api_key_usage.ts).
-- SummingMergeTree adds up rows with the same sort key at merge time; readers still sum with
-- GROUP BY, so results never depend on whether a merge has happened.
-- 18.16-compatible: Date, UInt types, no LowCardinality/TTL.
CREATE TABLE IF NOT EXISTS api_key_usage
(
    key_id   String,
    day      Date,
    route    String,
    method   String,
    status   UInt16,
    requests UInt64
)
ENGINE = SummingMergeTree(requests)
PARTITION BY toYYYYMM(day)
ORDER BY (key_id, day, route, method, status);
