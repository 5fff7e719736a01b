-- Embedded twin of ../0008_webhook_deliveries.sql: one row per processing attempt of an inbound
-- delivery; the primary key on id makes a retried insert a no-op. (Not the outbound delivery queue
-- of schema/sql/0009, which is public.webhook_deliveries: this one lives in schema analytics.)
-- The index serves the one read, a webhook's deliveries newest first.
CREATE TABLE IF NOT EXISTS analytics.webhook_deliveries (
    id               text COLLATE "C" PRIMARY KEY,
    occurred_at      timestamptz(3) NOT NULL,
    organization     text NOT NULL,
    webhook          text NOT NULL,
    webhook_id       text NOT NULL,
    delivery_id      text NOT NULL,
    external_id      text NOT NULL DEFAULT '',
    event_type       text NOT NULL DEFAULT '',
    attempt          integer NOT NULL CHECK (attempt >= 1),
    status           text NOT NULL CHECK (status IN ('processed', 'retrying', 'dead', 'unmatched')),
    matched_projects text[] NOT NULL DEFAULT '{}',
    outcomes         text NOT NULL DEFAULT '[]',
    headers          text NOT NULL DEFAULT '{}',
    duration_ms      integer NOT NULL CHECK (duration_ms >= 0),
    error            text NOT NULL DEFAULT ''
);

CREATE INDEX IF NOT EXISTS webhook_deliveries_webhook_time_idx
    ON analytics.webhook_deliveries (organization, webhook, occurred_at DESC, id DESC);
