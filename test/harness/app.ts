import { inject } from "vitest";
import { createNodeAssets } from "../../apps/node/assets.ts";
import { buildRouter } from "../../functions/registry.ts";
import { scoreHandler } from "../../functions/score-consumer/index.ts";
import { analyticsFor, kvFor, processScoreQueue } from "../../lib/adapters.ts";
import type { AnalyticsStore } from "../../lib/analytics/index.ts";
import { issueSession } from "../../lib/auth/tokens.ts";
import { parseEnv, type RawEnv } from "../../lib/env.ts";
import type { Bindings } from "../../lib/http/app.ts";
import { addMembership } from "../../lib/identity/memberships.ts";
import { createOrganization } from "../../lib/identity/organizations.ts";
import { seedIdentity } from "../../lib/identity/setup.ts";
import { createUser } from "../../lib/identity/users.ts";
import type { Kv } from "../../lib/kv/index.ts";
import { createLogger } from "../../lib/log.ts";
import { nodeTransport } from "../../lib/net/node_transport.ts";
import type { OutboundTransport } from "../../lib/net/transport.ts";
import { createTrackingRuntime } from "../../lib/runtime.ts";
import type { MemoryScoreQueue } from "../../lib/scoring/queue_memory.ts";
import type { RedisScoreQueue } from "../../lib/scoring/queue_redis.ts";
import { createServices, type Services } from "../../lib/services.ts";
import { startTestDatabase, type TestDatabase } from "./pglite.ts";

/** The queue of a test app: in-process or Redis Streams. */
export type TestScoreQueue = MemoryScoreQueue | RedisScoreQueue;

/** The admin every test app is seeded with. */
export const ADMIN = { email: "admin@imbi.test", password: "Admin-Passw0rd!" } as const;

/** A running in-process Imbi over real stores, for HTTP-level tests. */
export interface TestApp {
  /**
   * Sends a request through the full router (paths like `/api/users`). With `peer`, it arrives as
   * the Node host delivers a request from that socket address (`IMBI_CLIENT_IP`); without, as on
   * Workers (the address comes from `CF-Connecting-IP`, if sent).
   */
  request(path: string, init?: RequestInit, peer?: string): Promise<Response>;
  /** The router's fetch with the app's bindings, to serve it on a socket (@hono/node-server). */
  fetch(req: Request): Promise<Response>;
  /** JSON helper: sets Content-Type and, with `token`, the Bearer header. */
  json(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<Response>;
  db: TestDatabase;
  analytics: AnalyticsStore;
  kv: Kv;
  /** Services outside a request (for seeding and assertions). */
  services: Services;
  adminToken: string;
  /** Creates a user (optionally an org member) and returns an access token for them. */
  user(
    email: string,
    memberships?: { org: string; role: string }[],
    opts?: { isAdmin?: boolean; password?: string },
  ): Promise<{ email: string; password: string; token: string }>;
  /** Creates an organization. */
  org(slug: string): Promise<void>;
  /** Waits for background work (audit rows) to finish. */
  drain(): Promise<void>;
  /** The score queue the app enqueues on (its consumer runs unless `scores.consumer` is false). */
  scores: TestScoreQueue;
  /** Another consumer on this app's Redis stream (kind "redis" only), as another process would be. */
  redisConsumer(name: string, o?: { claimIdleMs?: number }): RedisScoreQueue;
  /** Waits until background work and the score queue are both idle (scores written). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The suite's ClickHouse database for this target. Both targets run the same test files at the
 * same time; each gets its own database, so a file's analytics rows (keyed by organization slug,
 * the same in both runs) never show up in its twin's queries.
 */
export function clickhouseUrlFor(db: TestDatabase): string {
  const url = new URL(inject("clickhouseUrl"));
  if (db.target === "real") url.pathname = `${url.pathname}_postgres`;
  return url.toString();
}

/**
 * Boots a fresh database (PGlite + AGE, or one on the real PostgreSQL cluster: see
 * `startTestDatabase`) and wires the app to the suite's real ClickHouse (unless
 * `analytics: "embedded"`) and the real Redis behind the Upstash bridge (unless `kv: "memory"`).
 */
export async function startTestApp(
  opts: {
    env?: RawEnv;
    analytics?: "clickhouse" | "embedded";
    kv?: "upstash" | "memory";
    /** Overrides the suite's ClickHouse URL (e.g. a dead port, for outage tests). */
    clickhouseUrl?: string;
    /** The outbound-webhook transport (default: the Node hosts' `nodeTransport`). */
    outbound?: OutboundTransport;
    /** Postgres pool size on the real target (default 10, as the Node host); PGlite always has 1. */
    poolSize?: number;
    /** Score queue options (default: in-process, debounce 0, consumer running). */
    scores?: {
      /** in-process (default) or Redis Streams on the suite's redis-server behind the bridge. */
      kind?: "memory" | "redis";
      debounceMs?: number;
      consumer?: boolean;
      retryDelayMs?: number;
      maxAttempts?: number;
      claimIdleMs?: number;
    };
  } = {},
): Promise<TestApp> {
  const db = await startTestDatabase({ max: opts.poolSize });
  const env = parseEnv({
    ENVIRONMENT: "test",
    IMBI_AUTH_JWT_SECRET: "test-secret-test-secret-test-secret-0123",
    IMBI_AUTH_ENCRYPTION_KEY: "test-encryption-key-test-encryption-key-0",
    IMBI_ACCESS_LOG: "false",
    IMBI_AUTH_RATE_LIMIT_LOGIN: "1000/minute",
    IMBI_AUTH_RATE_LIMIT_TOKEN_REFRESH: "1000/minute",
    IMBI_AUTH_RATE_LIMIT_LOGIN_FAILURES: "1000/minute",
    IMBI_AUTH_RATE_LIMIT_LOGIN_ACCOUNT: "1000/minute",
    IMBI_AUTH_RATE_LIMIT_TOKEN: "1000/minute",
    IMBI_AUTH_RATE_LIMIT_DCR: "1000/minute",
    ...opts.env,
  });
  // The stores the settings choose (lib/adapters.ts), with the suite's servers and test tuning.
  const analytics = analyticsFor(
    {
      ...env,
      CLICKHOUSE_URL:
        opts.analytics === "embedded" ? undefined : (opts.clickhouseUrl ?? clickhouseUrlFor(db)),
      CLICKHOUSE_CONNECT_TIMEOUT: 2,
    },
    db.sql,
  );
  if (!opts.clickhouseUrl) await analytics.migrate();
  // A unique prefix per app keeps rate-limit counters of parallel test files apart.
  const prefix = `imbi-test:${crypto.randomUUID()}:`;
  const upstash = { url: inject("upstashUrl"), token: inject("upstashToken") };
  const kv = kvFor(env, { endpoint: opts.kv === "memory" ? null : upstash, prefix, lifetime: "process" });
  const runtime = createTrackingRuntime("test");
  const redisQueue = (consumerName?: string, o: { claimIdleMs?: number } = {}) =>
    processScoreQueue(env, {
      endpoint: upstash,
      debounceMs: opts.scores?.debounceMs ?? 0,
      retryDelayMs: opts.scores?.retryDelayMs ?? 50,
      maxAttempts: opts.scores?.maxAttempts,
      prefix: `${prefix}q:`,
      consumerName,
      claimIdleMs: o.claimIdleMs ?? opts.scores?.claimIdleMs ?? 60_000,
      pollMs: 25,
    }) as RedisScoreQueue;
  const scores: TestScoreQueue =
    opts.scores?.kind === "redis"
      ? redisQueue()
      : (processScoreQueue(env, {
          endpoint: null,
          debounceMs: opts.scores?.debounceMs ?? 0,
          retryDelayMs: opts.scores?.retryDelayMs ?? 50,
          maxAttempts: opts.scores?.maxAttempts,
        }) as MemoryScoreQueue);
  // The Node hosts' outbound transport (connect-time address checks), as `imbi serve` uses.
  const shared = {
    sql: db.sql,
    analytics,
    kv,
    log: createLogger("error"),
    scoreQueue: scores,
    outbound: opts.outbound ?? nodeTransport,
  };
  // ASSETS as the Node host provides it, so static files go through the same code path.
  const bindings: Bindings = { ...env, IMBI_HOST: { runtime, shared }, ASSETS: createNodeAssets() };
  const router = buildRouter(env);
  const services = createServices(env, runtime, shared);
  if (opts.scores?.consumer !== false) scores.start(scoreHandler(() => createServices(env, runtime, shared)));
  await seedIdentity(db.graph, { adminEmail: ADMIN.email, adminPassword: ADMIN.password });
  const adminToken = (await issueSession(services, ADMIN.email, { ip: "127.0.0.1", userAgent: "test" }))
    .access_token;

  const request = async (path: string, init?: RequestInit, peer?: string) =>
    router.request(path, init, peer === undefined ? bindings : { ...bindings, IMBI_CLIENT_IP: peer });
  return {
    request,
    fetch: async (req) => router.fetch(req, { ...bindings, IMBI_CLIENT_IP: "127.0.0.1" }),
    json: (method, path, body, token, headers = {}) =>
      request(path, {
        method,
        headers: {
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    db,
    analytics,
    kv,
    services,
    adminToken,
    async user(email, memberships = [], o = {}) {
      const password = o.password ?? "Us3r-Passw0rd!";
      await createUser(db.graph, {
        email,
        display_name: email.split("@")[0] ?? email,
        password,
        is_admin: o.isAdmin,
      });
      for (const m of memberships) await addMembership(db.graph, email, m.org, m.role);
      const token = (await issueSession(services, email, { ip: "127.0.0.1", userAgent: "test" }))
        .access_token;
      return { email, password, token };
    },
    async org(slug) {
      await createOrganization(db.graph, { slug, name: slug.toUpperCase() });
    },
    drain: () => runtime.drain(),
    scores,
    redisConsumer: (name, o) => redisQueue(name, o),
    async settle() {
      // A finished batch may enqueue nothing, but a background trigger may enqueue after a drain.
      for (let i = 0; i < 3; i++) {
        await runtime.drain();
        if (scores.kind === "memory") await scores.idle();
        else while ((await scores.length()) > 0) await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      await runtime.drain();
      await scores.stop();
      await analytics.close();
      await db.stop();
    },
  };
}
