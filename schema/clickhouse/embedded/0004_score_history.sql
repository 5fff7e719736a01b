-- Embedded twin of ../0004_score_history.sql. The primary key on id makes a redelivered row a
-- no-op. Readers find a project's latest row through the (project_id, occurred_at, id) index,
-- newest first, with ties broken by id bytewise (COLLATE "C"), as on ClickHouse.
CREATE TABLE IF NOT EXISTS analytics.score_history (
    id             text COLLATE "C" PRIMARY KEY,
    occurred_at    timestamptz(3) NOT NULL,
    project_id     text NOT NULL,
    org_id         text NOT NULL,
    team           text COLLATE "C" NOT NULL DEFAULT '',
    project_types  text[] NOT NULL DEFAULT '{}',
    score          double precision NOT NULL CHECK (score BETWEEN 0 AND 100),
    previous_score double precision CHECK (previous_score BETWEEN 0 AND 100),
    level          text NOT NULL DEFAULT '',
    change_reason  text NOT NULL,
    breakdown      text NOT NULL DEFAULT '{}'
);

CREATE INDEX IF NOT EXISTS score_history_project_time_idx
    ON analytics.score_history (project_id, occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS score_history_org_time_idx ON analytics.score_history (org_id, occurred_at);

-- Twin of score_latest: each project's newest row. The adapter uses an index-backed LATERAL
-- lookup per project instead, which reads one row per project rather than the whole history.
CREATE OR REPLACE VIEW analytics.score_latest AS
SELECT DISTINCT ON (project_id) project_id, score, occurred_at, org_id, team
FROM analytics.score_history
ORDER BY project_id, occurred_at DESC, id DESC;
