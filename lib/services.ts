import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import * as tables from "../schema/tables.ts";
import { analyticsFor, kvFor, requestScoreQueue } from "./adapters.ts";
import type { AnalyticsStore } from "./analytics/index.ts";
import { withOutbox } from "./analytics/outbox.ts";
import { createSql, type Sql } from "./db.ts";
import type { Env } from "./env.ts";
import { DomainError } from "./errors.ts";
import { Graph } from "./graph/graph.ts";
import type { Kv } from "./kv/index.ts";
import { createLogger, type Logger } from "./log.ts";
import { fetchTransport, type OutboundTransport } from "./net/transport.ts";
import type { Runtime } from "./runtime.ts";
import type { ScoreMessage, ScoreQueue } from "./scoring/types.ts";

/** The drizzle client over the relational tables. */
export type Db = PostgresJsDatabase<typeof tables>;

/** Long-lived clients a host may share across requests (the Node host's pool, tests' stores). */
export interface SharedClients {
  sql?: Sql;
  analytics?: AnalyticsStore;
  kv?: Kv;
  log?: Logger;
  /** The score-recomputation queue (Node: Redis Streams or in-process; tests: in-process). */
  scoreQueue?: ScoreQueue;
  /**
   * Without a `scoreQueue` and a `SCORE_QUEUE` binding, requests recompute scores after the
   * response with this (the host wires the score consumer's `recomputeBatch`).
   */
  recompute?: (services: Services, batch: ScoreMessage[]) => Promise<unknown>;
  /**
   * How outbound webhooks are sent: the Node hosts pass `nodeTransport` (lib/net/node_transport.ts:
   * addresses checked at connect time); without one, fetch with the URL checks (Workers).
   */
  outbound?: OutboundTransport;
}

/** Everything a request (or a queue/cron invocation) uses, built from env by {@link createServices}. */
export interface Services {
  env: Env;
  runtime: Runtime;
  log: Logger;
  sql: Sql;
  db: Db;
  graph: Graph;
  analytics: AnalyticsStore;
  /**
   * The analytics store without the outbox: an insert that fails reports the failure. The score
   * consumer writes history here so that a ClickHouse outage makes the queue retry (reference §6).
   */
  analyticsPrimary: AnalyticsStore;
  kv: Kv;
  /** Where score recomputation requests go (DESIGN.md §8). */
  scores: ScoreQueue;
  /** The SSRF-safe sender of outbound webhooks (lib/net). */
  outbound: OutboundTransport;
  /** The HS256 key for access tokens. */
  jwtKey: Uint8Array;
  /**
   * Runs work after the response (analytics writes, events) through runtime.waitUntil; `close()`
   * waits for it before releasing this request's connections.
   */
  background(promise: Promise<unknown>): void;
  /** The request id (stamped on audit rows by the verb context); set by the init middleware. */
  requestId?: string;
  /** Releases per-request connections (Workers); a no-op for shared clients. */
  close(): Promise<void>;
}

/**
 * Builds the per-request service container. Hosts that keep long-lived clients pass them in
 * `shared`; otherwise (Workers) a Postgres client is opened for this request and closed by `close()`.
 */
export function createServices(env: Env, runtime: Runtime, shared: SharedClients = {}): Services {
  const log = shared.log ?? createLogger(env.IMBI_LOG_LEVEL);
  let sql = shared.sql;
  const ownsSql = !sql;
  if (!sql) {
    const url = env.HYPERDRIVE?.connectionString ?? env.POSTGRES_URL;
    if (!url) throw new DomainError("BAD_ENVIRONMENT", "POSTGRES_URL (or a HYPERDRIVE binding) is not set");
    sql = createSql(url, { max: 5, idleTimeout: 5 });
  }
  if (!env.IMBI_AUTH_JWT_SECRET) throw new DomainError("BAD_ENVIRONMENT", "IMBI_AUTH_JWT_SECRET is not set");
  const baseAnalytics = shared.analytics ?? analyticsFor(env, sql);
  // Background writes of this request; close() waits for them before ending its connections.
  const pending: Promise<unknown>[] = [];
  const background = (p: Promise<unknown>) => {
    pending.push(p);
    runtime.waitUntil(p);
  };
  // Analytics outbox (DESIGN.md §4, lib/analytics/outbox.ts): a failed ClickHouse insert is parked
  // in Postgres and reported ok; after a successful insert a flush may run in the background.
  const analytics =
    baseAnalytics.kind === "clickhouse"
      ? withOutbox(baseAnalytics, sql, log, { schedule: background })
      : baseAnalytics;
  const kv = shared.kv ?? kvFor(env, { lifetime: "isolate" });
  const graph = new Graph(sql, env.POSTGRES_GRAPH_NAME);
  const db = drizzle(sql, { schema: tables });
  const jwtKey = new TextEncoder().encode(env.IMBI_AUTH_JWT_SECRET);

  // Without a long-lived queue (Workers): Cloudflare Queues, else recompute after the response
  // with the host's consumer (the services container builds clients; scoring is the host's to wire).
  const scores =
    shared.scoreQueue ??
    requestScoreQueue(env, kv, (batch) => {
      if (shared.recompute) background(shared.recompute(services, batch));
      else log.warn("no score consumer wired for inline recomputation; the daily recompute converges", {});
    });

  const services: Services = {
    env,
    runtime,
    log,
    sql,
    db,
    graph,
    analytics,
    analyticsPrimary: baseAnalytics,
    kv,
    scores,
    outbound: shared.outbound ?? fetchTransport,
    jwtKey,
    background,
    async close() {
      // Loops because a finishing write may schedule an outbox flush.
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
      if (ownsSql) await sql.end({ timeout: 5 });
      if (!shared.analytics) await analytics.close();
    },
  };
  return services;
}
