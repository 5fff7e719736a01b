-- Embedded twin of ../0006_api_key_usage.sql: one row per (key, day, route, method, status); the
-- adapter's insert adds to `requests` on conflict, which is what SummingMergeTree does at merge.
CREATE TABLE IF NOT EXISTS analytics.api_key_usage (
    key_id   text COLLATE "C" NOT NULL,
    day      date NOT NULL,
    route    text COLLATE "C" NOT NULL,
    method   text COLLATE "C" NOT NULL,
    status   smallint NOT NULL,
    requests bigint NOT NULL CHECK (requests > 0),
    PRIMARY KEY (key_id, day, route, method, status)
);
