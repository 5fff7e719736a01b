import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { buildRouter } from "../../functions/registry.ts";
import {
  analyticsFor,
  kvFor,
  processScoreQueue,
  type UpstashEndpoint,
  upstashOf,
} from "../../lib/adapters.ts";
import type { AnalyticsStore } from "../../lib/analytics/index.ts";
import { withOutbox } from "../../lib/analytics/outbox.ts";
import { issueSession } from "../../lib/auth/tokens.ts";
import { createSql, type Sql } from "../../lib/db.ts";
import type { Env, RawEnv } from "../../lib/env.ts";
import { Graph } from "../../lib/graph/graph.ts";
import type { Bindings } from "../../lib/http/app.ts";
import type { Kv } from "../../lib/kv/index.ts";
import { createLogger, type Logger } from "../../lib/log.ts";
import { migrate } from "../../lib/migrate.ts";
import { nodeTransport } from "../../lib/net/node_transport.ts";
import { createTrackingRuntime } from "../../lib/runtime.ts";
import { createServices } from "../../lib/services.ts";
import { startWebhookDispatcher } from "../../lib/webhooks/dispatcher.ts";
import { createNodeAssets } from "./assets.ts";
import { embeddedPgPassword, ensurePrivateDir, loadConfig } from "./config.ts";
import type { ApiCall } from "./demo/load.ts";
import type { EmbeddedPostgres } from "./embedded/pglite.ts";
import { SOCKET_FILE, socketDirFor } from "./embedded/socket.ts";
import { startThreadedPostgres } from "./embedded/threaded.ts";
import { startRedisBridge } from "./redis_bridge.ts";
import { type NodeScoreQueue, startScoreWorker } from "./scores.ts";

export { type LoadedConfig, loadConfig } from "./config.ts";

/** The long-lived stores of a Node process. */
export interface Stores {
  env: Env;
  log: Logger;
  sql: Sql;
  graph: Graph;
  analytics: AnalyticsStore;
  kv: Kv;
  /** Score recomputation requests: Redis Streams when Redis is configured, else in-process. */
  scoreQueue: NodeScoreQueue;
  embedded: boolean;
  close(): Promise<void>;
}

/** {@link loadConfig} without the file list. */
export async function loadEnv(overrides: RawEnv = {}): Promise<Env> {
  return (await loadConfig(overrides)).env;
}

/**
 * The Node host's logger: every level on stdout, so stdout is one stream of JSON lines for a log
 * shipper, and stderr stays free for what a person reads (progress, banners, CLI errors).
 */
export function nodeLogger(env: Pick<Env, "IMBI_LOG_LEVEL">): Logger {
  return createLogger(env.IMBI_LOG_LEVEL, {}, (line) => process.stdout.write(`${line}\n`));
}

/**
 * Opens the stores: Postgres from POSTGRES_URL, else the embedded PGlite (worker thread) under
 * IMBI_DATA_DIR; Redis via Upstash REST, or VALKEY_URL through the built-in bridge, else in-process;
 * ClickHouse from CLICKHOUSE_URL, else the embedded analytics tables.
 */
export async function openStores(env: Env): Promise<Stores> {
  const log = nodeLogger(env);
  let pg: EmbeddedPostgres | undefined;
  let sql: Sql;
  if (env.POSTGRES_URL) sql = createSql(env.POSTGRES_URL, { max: env.POSTGRES_MAX_POOL_SIZE });
  else {
    pg = await startEmbedded(env);
    // PGlite has one backend: one connection keeps transactions from interleaving.
    sql = createSql(pg.url, { max: 1, idleTimeout: 0 });
    // Where, never how: the TCP password is shown only by `imbi db-url`.
    log.info("embedded postgres ready", {
      dataDir: resolve(env.IMBI_DATA_DIR, "pgdata"),
      socket: join(pg.socketDir, SOCKET_FILE),
      ...(pg.port === undefined ? {} : { tcp: `127.0.0.1:${pg.port}` }),
    });
  }
  let bridge: { close(): Promise<void> } | undefined;
  // Upstash as configured, or this host's bridge in front of VALKEY_URL (lib/adapters.ts decides the rest).
  let upstash: UpstashEndpoint | null = upstashOf(env);
  if (!upstash && env.VALKEY_URL) {
    const b = await startRedisBridge({
      redisUrl: env.VALKEY_URL.replace(/^valkey(s?):/, "redis$1:"),
      token: randomBytes(24).toString("base64url"),
    });
    bridge = b;
    upstash = { url: b.url, token: b.token };
  }
  const kv = kvFor(env, { endpoint: upstash, lifetime: "process" });
  const scoreQueue = processScoreQueue(env, {
    endpoint: upstash,
    log,
    consumerName: `${hostname()}-${process.pid}`,
  });
  const analytics = analyticsFor(env, sql);
  return {
    env,
    log,
    sql,
    graph: new Graph(sql, env.POSTGRES_GRAPH_NAME),
    analytics,
    kv,
    scoreQueue,
    embedded: !env.POSTGRES_URL,
    async close() {
      await scoreQueue.stop().catch(() => undefined);
      await analytics.close().catch(() => undefined);
      await bridge?.close().catch(() => undefined);
      await sql.end({ timeout: 10 });
      await pg?.stop();
    },
  };
}

/**
 * The embedded PGlite for IMBI_DATA_DIR, in a worker thread: a Unix socket in a private directory
 * and, with IMBI_EMBEDDED_PG_PORT, a loopback port behind the data directory's generated password.
 */
async function startEmbedded(env: Env): Promise<EmbeddedPostgres> {
  await ensurePrivateDir(env.IMBI_DATA_DIR);
  const port = env.IMBI_EMBEDDED_PG_PORT;
  return startThreadedPostgres({
    dataDir: join(env.IMBI_DATA_DIR, "pgdata"),
    socketDir: socketDirFor(env.IMBI_DATA_DIR),
    ...(port === undefined ? {} : { tcp: { port, password: await embeddedPgPassword(env.IMBI_DATA_DIR) } }),
  });
}

/** Applies every migration (graph, SQL, analytics). */
export async function migrateStores(stores: Stores) {
  return migrate(stores.sql, {
    graphName: stores.env.POSTGRES_GRAPH_NAME,
    analytics: stores.analytics,
    log: stores.log,
  });
}

/** The clients every request (and the score consumer) of this process shares. */
export function sharedClients(stores: Stores) {
  const { sql, analytics, kv, log, scoreQueue } = stores;
  // Outbound webhooks check every resolved address at connect time (DNS rebinding).
  return { sql, analytics, kv, log, scoreQueue, outbound: nodeTransport };
}

/** A running HTTP host. */
export interface RunningHost {
  url: string;
  port: number;
  /** Stops accepting, finishes in-flight requests and background work, closes the stores. */
  shutdown(): Promise<void>;
}

/** Serves every function on one Hono router with @hono/node-server. */
export async function serveStores(stores: Stores): Promise<RunningHost> {
  const { env, log } = stores;
  const runtime = createTrackingRuntime("node");
  const router = buildRouter(env);
  const shared = sharedClients(stores);
  // ASSETS: the static files (Swagger UI) from node_modules, as Workers static assets would serve them.
  const bindings: Bindings = { ...env, IMBI_HOST: { runtime, shared }, ASSETS: createNodeAssets() };
  // Analytics outbox (DESIGN.md §4): every 5 s, deliver rows parked while ClickHouse was down.
  const outbox =
    stores.analytics.kind === "clickhouse" ? withOutbox(stores.analytics, stores.sql, log) : undefined;
  // One flush at a time per process, so shutdown can wait for the one in flight.
  let flushing: Promise<unknown> | undefined;
  const flushOutbox = () =>
    (flushing ??= outbox
      ?.flush()
      .catch((e: unknown) =>
        log.warn("analytics outbox flush failed", { error: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => {
        flushing = undefined;
      }));
  const flushTimer = outbox ? setInterval(flushOutbox, 5_000).unref() : undefined;
  // PGlite has no autovacuum daemon: refresh planner statistics now and then, or the index-driven
  // list and facet plans degrade into full scans as the catalog grows.
  const analyzeTimer = stores.embedded
    ? setInterval(() => {
        stores.sql`ANALYZE`.catch((e: Error) => log.warn("ANALYZE failed", { error: e.message }));
      }, 10 * 60_000).unref()
    : undefined;
  let draining = false;
  // Handlers still running, even if their client already hung up: the stores stay open until
  // every one of them has finished, so no acknowledged (or half-done) write is cut off.
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      {
        fetch: async (req, info: { incoming?: { socket?: { remoteAddress?: string } } }) => {
          // The socket peer goes in per-request bindings layered over the shared ones (no copy of
          // the env, no clone of the request), so rate limits key on the real client.
          const env: Bindings = Object.create(bindings);
          env.IMBI_CLIENT_IP = info.incoming?.socket?.remoteAddress ?? "";
          inFlight++;
          try {
            const res = await router.fetch(req, env);
            // While draining, busy keep-alive connections are told to close after this response;
            // otherwise a client that never pauses would keep the server from stopping.
            if (draining) res.headers.set("Connection", "close");
            return res;
          } finally {
            if (--inFlight === 0) idle?.();
          }
        },
        hostname: env.IMBI_API_HOST,
        port: env.IMBI_API_PORT,
      },
      () => resolve(s as Server),
    );
    // Another process may take the port between the CLI's check and this listen.
    s.once("error", (e: NodeJS.ErrnoException) =>
      reject(listenError(e, env.IMBI_API_HOST, env.IMBI_API_PORT)),
    );
  });
  // The score consumer runs in this process unless IMBI_SCORE_CONSUMER=off (then `imbi consume-scores`).
  // Started once the port is bound, so a failed listen leaves nothing running.
  const scores = env.IMBI_SCORE_CONSUMER === "inline" ? startScoreWorker(env, shared) : undefined;
  // Outbound webhooks: retries and held-back deliveries (fresh events go out after their request).
  const webhooks = startWebhookDispatcher(() => createServices(env, runtime, shared), {
    intervalMs: 2_000,
    log,
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${env.IMBI_API_HOST}:${port}`;
  log.info("imbi listening", { url, embedded: stores.embedded });
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    shutdown() {
      stopping ??= (async () => {
        log.info("shutting down: finishing in-flight requests");
        draining = true;
        const closed = new Promise<void>((res) => server.close(() => res()));
        server.closeIdleConnections();
        // A connection still busy after the grace period is cut; its request never got a response,
        // so nothing it wrote was acknowledged.
        const grace = setTimeout(() => server.closeAllConnections(), 20_000);
        await closed;
        clearTimeout(grace);
        if (inFlight > 0) await new Promise<void>((res) => (idle = res));
        await runtime.drain();
        await webhooks.stop();
        await scores?.stop();
        clearInterval(flushTimer);
        clearInterval(analyzeTimer);
        await flushing;
        await flushOutbox();
        await stores.close();
        log.info("shutdown complete");
      })();
      return stopping;
    },
  };
}

/**
 * Calls the API in process as `email` (a fresh session), through the same router and middleware
 * as HTTP requests — used to load the demo data with every validation rule applied.
 */
export async function inProcessApi(stores: Stores, email: string): Promise<ApiCall> {
  const runtime = createTrackingRuntime("node");
  const shared = sharedClients(stores);
  // No access-log line per call: a demo load makes hundreds, and the caller logs one summary.
  const bindings: Bindings = { ...stores.env, IMBI_ACCESS_LOG: false, IMBI_HOST: { runtime, shared } };
  const router = buildRouter(stores.env);
  const services = createServices(stores.env, runtime, shared);
  const { access_token } = await issueSession(services, email, { ip: "127.0.0.1", userAgent: "imbi-cli" });
  return async (method, path, body) => {
    const res = await router.request(
      path,
      {
        method,
        headers: {
          Authorization: `Bearer ${access_token}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      bindings,
    );
    await runtime.drain();
    return res;
  };
}

/** A listen failure in the words an operator acts on (which setting to change). */
export function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
  if (e.code === "EADDRINUSE") return new Error(`port ${port} is in use — set IMBI_API_PORT to a free port`);
  if (e.code === "EACCES")
    return new Error(
      `port ${port} needs privileges this process lacks — set IMBI_API_PORT to a port above 1023`,
    );
  if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND")
    return new Error(`IMBI_API_HOST ${host} is not an address of this machine`);
  return e;
}

/**
 * Fails early, before anything is migrated or seeded (and a one-time password printed), when the
 * API port cannot be bound.
 */
export async function checkListenable(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once("error", (e: NodeJS.ErrnoException) => reject(listenError(e, host, port)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
