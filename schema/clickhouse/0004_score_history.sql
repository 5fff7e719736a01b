-- Score history: one row per computed project score (DESIGN.md §8), written by the score consumer.
-- The id is deterministic per (queue message, project): a redelivered row repeats the sort key,
-- which ends in id, so ReplacingMergeTree collapses it at merge time and readers add
-- LIMIT 1 BY id until then. project_id leads the key because readers ask for one project.
-- 18.16-compatible: DateTime plus occurred_ms, Nullable, Array(String), breakdown as JSON text.
CREATE TABLE IF NOT EXISTS score_history
(
    id             String,
    occurred_at    DateTime('UTC'),
    occurred_ms    UInt16,
    project_id     String,
    org_id         String,
    team           String,
    project_types  Array(String),
    score          Float64,
    previous_score Nullable(Float64),
    level          String,
    change_reason  String,
    breakdown      String
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (project_id, occurred_at, occurred_ms, id);

-- Latest score per project, kept by a materialized view as aggregate states. "Latest" is the
-- greatest (epoch ms, id), so ties break the same way as ORDER BY occurred_at DESC, id DESC.
-- argMax and max are idempotent, so a redelivered row cannot change a state.
CREATE TABLE IF NOT EXISTS score_latest_data
(
    project_id String,
    score      AggregateFunction(argMax, Float64, Tuple(UInt64, String)),
    ts_ms      AggregateFunction(max, UInt64),
    org_id     AggregateFunction(argMax, String, Tuple(UInt64, String)),
    team       AggregateFunction(argMax, String, Tuple(UInt64, String))
)
ENGINE = AggregatingMergeTree()
ORDER BY project_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS score_latest_mv TO score_latest_data AS
SELECT
    project_id,
    argMaxState(score, (toUInt64(toUInt32(occurred_at)) * 1000 + occurred_ms, id)) AS score,
    maxState(toUInt64(toUInt32(occurred_at)) * 1000 + occurred_ms) AS ts_ms,
    argMaxState(org_id, (toUInt64(toUInt32(occurred_at)) * 1000 + occurred_ms, id)) AS org_id,
    argMaxState(team, (toUInt64(toUInt32(occurred_at)) * 1000 + occurred_ms, id)) AS team
FROM score_history
GROUP BY project_id;

-- For people and dashboards. The adapter reads score_latest_data with its filter before the
-- GROUP BY instead, because 18.16 does not push a WHERE down into a view.
CREATE VIEW IF NOT EXISTS score_latest AS
SELECT
    project_id,
    argMaxMerge(score) AS score,
    maxMerge(ts_ms) AS ts_ms,
    argMaxMerge(org_id) AS org_id,
    argMaxMerge(team) AS team
FROM score_latest_data
GROUP BY project_id;
