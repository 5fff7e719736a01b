-- Analytics outbox (DESIGN.md §4): rows whose ClickHouse insert failed wait here, in the catalog's
-- own database, until `flush()` delivers them in id order. Each row carries its own unique id
-- (and operations_log its version), and the ClickHouse tables deduplicate on it, so a delivery
-- that is repeated after a crash between "ClickHouse accepted" and "row deleted" stays one row.
CREATE TABLE IF NOT EXISTS analytics_outbox (
  id bigserial PRIMARY KEY,
  table_name text NOT NULL,
  row_json jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
