-- Embedded twin of ../0003_events.sql. The primary key on id makes a redelivered event a no-op.
CREATE TABLE IF NOT EXISTS analytics.events (
    id           text COLLATE "C" PRIMARY KEY,
    occurred_at  timestamptz(3) NOT NULL,
    organization text NOT NULL DEFAULT '',
    entity_type  text NOT NULL,
    entity_id    text NOT NULL,
    action       text NOT NULL,
    field        text NOT NULL,
    old_value    text NOT NULL,
    new_value    text NOT NULL,
    principal    text NOT NULL DEFAULT '',
    request_id   text NOT NULL DEFAULT ''
);

CREATE INDEX IF NOT EXISTS events_time_idx ON analytics.events (occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS events_entity_idx ON analytics.events (entity_id, occurred_at DESC, id DESC);
