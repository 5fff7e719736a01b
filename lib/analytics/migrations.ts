/**
 * The analytics DDL, in order. The `.sql` files under `schema/clickhouse/` are the reviewed source;
 * the text is inlined here because Workers bundles cannot read files at run time, and
 * `migrations.test.ts` fails when the two drift apart.
 */

/** One DDL file: `version` is its file name without `.sql`, recorded in the ledger once applied. */
export interface AnalyticsMigration {
  version: string;
  sql: string;
}

/** ClickHouse DDL (`schema/clickhouse/*.sql`); must run on 18.16 and current releases. */
export const clickhouseMigrations: readonly AnalyticsMigration[] = [
  {
    version: "0001_audit_log",
    sql: `-- Audit log: one row per security-relevant event (DESIGN.md §6).
-- Must run on Debian's ClickHouse 18.16 and on current releases, so: DateTime (whole seconds)
-- plus occurred_ms for sub-second order, no DateTime64/TTL/JSON/LowCardinality.
-- ReplacingMergeTree keyed on the sort key that ends in id: a retried insert of the same event
-- (the analytics outbox retries) collapses into one row at merge time.
CREATE TABLE IF NOT EXISTS audit_log
(
    id           String,
    occurred_at  DateTime('UTC'),
    occurred_ms  UInt16,
    event        String,
    actor        String,
    organization String,
    subject      String,
    ip           String,
    user_agent   String,
    request_id   String,
    success      UInt8,
    details      String
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (occurred_at, occurred_ms, id);
`,
  },
  {
    version: "0002_operations_log",
    sql: `-- Operations log: change-management entries (deploys, restarts, migrations, …).
-- Versioned rows: a PATCH inserts the entry again with a higher version (ms clock), a DELETE
-- inserts a tombstone (deleted = 1). ReplacingMergeTree(version) keeps the latest row per sort key
-- at merge time; readers take the latest version per id themselves (ORDER BY version DESC
-- LIMIT 1 BY id), so results never depend on whether a merge has happened, and a redelivered row
-- (same id and version, from the analytics outbox) is invisible.
-- version_label is the user's version field; version is the row version.
-- No PARTITION BY: a PATCH may move occurred_at to another month, and replacing merges only
-- collapse rows within one partition. The sort key holds only columns a PATCH cannot change.
-- 18.16-compatible: DateTime plus *_ms columns, Nullable for completed_at, no LowCardinality/TTL.
CREATE TABLE IF NOT EXISTS operations_log
(
    id               String,
    version          UInt64,
    deleted          UInt8,
    organization     String,
    project_id       String,
    environment_slug String,
    entry_type       String,
    description      String,
    occurred_at      DateTime('UTC'),
    occurred_ms      UInt16,
    completed_at     Nullable(DateTime('UTC')),
    completed_ms     UInt16,
    performed_by     String,
    recorded_by      String,
    recorded_at      DateTime('UTC'),
    recorded_ms      UInt16,
    link             String,
    notes            String,
    ticket_slug      String,
    version_label    String
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (organization, project_id, id);
`,
  },
  {
    version: "0003_events",
    sql: `-- Change events: one row per changed top-level field of a catalog entity (project create, patch,
-- delete). Rows are immutable; ReplacingMergeTree on a sort key ending in id collapses a
-- redelivered row (analytics outbox), and readers add LIMIT 1 BY id until the merge happens.
-- old_value/new_value are JSON text (no JSON type on 18.16).
CREATE TABLE IF NOT EXISTS events
(
    id           String,
    occurred_at  DateTime('UTC'),
    occurred_ms  UInt16,
    organization String,
    entity_type  String,
    entity_id    String,
    action       String,
    field        String,
    old_value    String,
    new_value    String,
    principal    String,
    request_id   String
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (occurred_at, occurred_ms, id);
`,
  },
  {
    version: "0004_score_history",
    sql: `-- Score history: one row per computed project score (DESIGN.md §8), written by the score consumer.
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
`,
  },
  {
    version: "0005_audit_actor_credential",
    sql: `-- Every audit row names what kind of actor acted and the credential it used (issue 10):
-- actor_kind is user | service_account | system | anonymous, credential is credentialLabel() of
-- lib/core/actor.ts (\`api_key:ik_…\`, \`password:<session>\`, \`internal\`), '' when none. Rows
-- written before this migration read '' for both.
-- 18.16 has no ADD COLUMN IF NOT EXISTS (19.x added it): the ledger runs this file once, and
-- the adapter treats "column already exists" from a concurrent migrator as done. Both columns
-- are one statement, so they are added together or not at all.
ALTER TABLE audit_log
    ADD COLUMN actor_kind String DEFAULT '' AFTER actor,
    ADD COLUMN credential String DEFAULT '' AFTER actor_kind;
`,
  },
  {
    version: "0006_api_key_usage",
    sql: `-- API-key usage: requests per key, UTC day, route (the OpenAPI path template), method and status,
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
`,
  },
  {
    version: "0007_mcp_access_log",
    sql: `-- MCP access log (issue 11): one row per tool call on /mcp, written after the response
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
`,
  },
  {
    version: "0008_webhook_deliveries",
    sql: `-- Inbound webhook deliveries (issue 13): one row per processing attempt of a delivery the gateway
-- received, written by the gateway after each attempt. status is processed (the matched rules ran;
-- outcomes say how each did), retrying (the attempt failed, another follows), dead (the last
-- attempt failed) or unmatched (no project or no rule matched). The id is \`<delivery id>.<attempt>\`.
-- ReplacingMergeTree keyed on the sort key that ends in id: a retried insert of one attempt
-- collapses at merge, and readers add LIMIT 1 BY id until then. The key leads with organization
-- and webhook because the one read is "this webhook's deliveries, newest first".
-- 18.16-compatible: DateTime plus occurred_ms, UInt32, Array(String) for the matched projects (as
-- score_history's project_types), outcomes and headers as JSON text (no JSON type on 18.16), no
-- DateTime64/LowCardinality/TTL.
CREATE TABLE IF NOT EXISTS webhook_deliveries
(
    id               String,
    occurred_at      DateTime('UTC'),
    occurred_ms      UInt16,
    organization     String,
    webhook          String,
    webhook_id       String,
    delivery_id      String,
    external_id      String,
    event_type       String,
    attempt          UInt32,
    status           String,
    matched_projects Array(String),
    outcomes         String,
    headers          String,
    duration_ms      UInt32,
    error            String
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (organization, webhook, occurred_at, occurred_ms, id);
`,
  },
];

/** Postgres DDL for the embedded adapter (`schema/clickhouse/embedded/*.sql`). */
export const embeddedMigrations: readonly AnalyticsMigration[] = [
  {
    version: "0001_audit_log",
    sql: `-- Embedded twin of ../0001_audit_log.sql for the Postgres (PGlite) analytics adapter.
-- timestamptz(3) keeps exactly the millisecond precision the ClickHouse table keeps.
-- The primary key on id mirrors ReplacingMergeTree: a retried insert is a no-op. COLLATE "C"
-- orders ids by bytes, as ClickHouse does, so ties break the same way in both adapters.
CREATE SCHEMA IF NOT EXISTS analytics;

CREATE TABLE IF NOT EXISTS analytics.audit_log (
    id           text COLLATE "C" PRIMARY KEY,
    occurred_at  timestamptz(3) NOT NULL,
    event        text NOT NULL,
    actor        text NOT NULL DEFAULT '',
    organization text NOT NULL DEFAULT '',
    subject      text NOT NULL DEFAULT '',
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT '',
    request_id   text NOT NULL DEFAULT '',
    success      smallint NOT NULL CHECK (success IN (0, 1)),
    details      text NOT NULL DEFAULT '{}'
);

-- Newest-first keyset scans, unfiltered and by the two common filters.
CREATE INDEX IF NOT EXISTS audit_log_time_idx ON analytics.audit_log (occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_log_org_time_idx ON analytics.audit_log (organization, occurred_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS audit_log_actor_time_idx ON analytics.audit_log (actor, occurred_at DESC, id DESC);
`,
  },
  {
    version: "0002_operations_log",
    sql: `-- Embedded twin of ../0002_operations_log.sql. One row per (id, version): the primary key makes a
-- redelivered version a no-op, and readers take the highest version per id (DISTINCT ON), which
-- is what ReplacingMergeTree(version) plus LIMIT 1 BY id gives on ClickHouse.
CREATE TABLE IF NOT EXISTS analytics.operations_log (
    id               text COLLATE "C" NOT NULL,
    version          bigint NOT NULL CHECK (version >= 0),
    deleted          smallint NOT NULL CHECK (deleted IN (0, 1)),
    organization     text NOT NULL,
    project_id       text NOT NULL,
    environment_slug text NOT NULL,
    entry_type       text NOT NULL,
    description      text NOT NULL,
    occurred_at      timestamptz(3) NOT NULL,
    completed_at     timestamptz(3),
    performed_by     text NOT NULL DEFAULT '',
    recorded_by      text NOT NULL DEFAULT '',
    recorded_at      timestamptz(3) NOT NULL,
    link             text NOT NULL DEFAULT '',
    notes            text NOT NULL DEFAULT '',
    ticket_slug      text NOT NULL DEFAULT '',
    version_label    text NOT NULL DEFAULT '',
    PRIMARY KEY (id, version)
);

CREATE INDEX IF NOT EXISTS operations_log_org_idx ON analytics.operations_log (organization, project_id);
`,
  },
  {
    version: "0003_events",
    sql: `-- Embedded twin of ../0003_events.sql. The primary key on id makes a redelivered event a no-op.
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
`,
  },
  {
    version: "0004_score_history",
    sql: `-- Embedded twin of ../0004_score_history.sql. The primary key on id makes a redelivered row a
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
`,
  },
  {
    version: "0005_audit_actor_credential",
    sql: `-- Embedded twin of ../0005_audit_actor_credential.sql: the kind of actor that acted and the credential
-- label it used; '' on rows written before it. The index serves the exact credential filter
-- ("everything API key ik_… did"), newest first like the other audit indexes.
ALTER TABLE analytics.audit_log
    ADD COLUMN IF NOT EXISTS actor_kind text NOT NULL DEFAULT '',
    ADD COLUMN IF NOT EXISTS credential text NOT NULL DEFAULT '';

CREATE INDEX IF NOT EXISTS audit_log_credential_time_idx
    ON analytics.audit_log (credential, occurred_at DESC, id DESC);
`,
  },
  {
    version: "0006_api_key_usage",
    sql: `-- Embedded twin of ../0006_api_key_usage.sql: one row per (key, day, route, method, status); the
-- adapter's insert adds to \`requests\` on conflict, which is what SummingMergeTree does at merge.
CREATE TABLE IF NOT EXISTS analytics.api_key_usage (
    key_id   text COLLATE "C" NOT NULL,
    day      date NOT NULL,
    route    text COLLATE "C" NOT NULL,
    method   text COLLATE "C" NOT NULL,
    status   smallint NOT NULL,
    requests bigint NOT NULL CHECK (requests > 0),
    PRIMARY KEY (key_id, day, route, method, status)
);
`,
  },
  {
    version: "0007_mcp_access_log",
    sql: `-- Embedded twin of ../0007_mcp_access_log.sql: one row per MCP tool call; the primary key on id
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
`,
  },
  {
    version: "0008_webhook_deliveries",
    sql: `-- Embedded twin of ../0008_webhook_deliveries.sql: one row per processing attempt of an inbound
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
`,
  },
];

/**
 * Splits a DDL file into statements: ClickHouse's HTTP interface takes one per request.
 * Splits only on a `;` that ends a line, which our DDL files guarantee, and drops `--` comment
 * lines, so a `;` inside a string literal in the middle of a line is never a boundary.
 */
export function splitStatements(sql: string): string[] {
  return sql
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n")
    .split(/;[ \t]*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
