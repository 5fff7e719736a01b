-- Once-a-day jobs (the daily score recompute): the row's last_run is advanced by exactly one caller per
-- day — an atomic upsert, durable across restarts and shared by every process and Worker on this
-- database (a kv lock would be lost with the embedded in-process kv on every restart).
CREATE TABLE IF NOT EXISTS scheduled_runs (
  name text PRIMARY KEY,
  last_run date NOT NULL
);
