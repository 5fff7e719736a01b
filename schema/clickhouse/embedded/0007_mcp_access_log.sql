-- Embedded twin of ../0007_mcp_access_log.sql: one row per MCP tool call; the primary key on id
-- makes a retried insert a no-op. The index serves "what did this actor call", newest first.
CREATE TABLE IF NOT EXISTS analytics.mcp_access_log (
    id          text COLLATE "C" PRIMARY KEY,
    occurred_at timestamptz(3) NOT NULL,
    actor       text NOT NULL DEFAULT '',
    actor_kind  text NOT NULL DEFAULT '',
    credential  text NOT NULL DEFAULT '',
    tool        text NOT NULL,
    status      text NOT NULL CHECK (status IN ('ok', 'error', 'denied')),
    duration_ms integer NOT NULL CHECK (duration_ms >= 0),
    request_id  text NOT NULL DEFAULT ''
);

CREATE INDEX IF NOT EXISTS mcp_access_log_actor_time_idx
    ON analytics.mcp_access_log (actor, occurred_at DESC, id DESC);
