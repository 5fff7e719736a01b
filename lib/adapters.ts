import { Redis } from "@upstash/redis/cloudflare";
import { type AnalyticsStore, createAnalytics } from "./analytics/index.ts";
import type { Sql } from "./db.ts";
import type { Env } from "./env.ts";
import { createKv, createMemoryKv, type Kv } from "./kv/index.ts";
import type { Logger } from "./log.ts";
import { createKvDebouncer, createUpstashDebouncer, type Debouncer } from "./scoring/debounce.ts";
import { createCloudflareScoreQueue } from "./scoring/queue_cloudflare.ts";
import { createInlineScoreQueue } from "./scoring/queue_inline.ts";
import { createMemoryScoreQueue, type MemoryScoreQueue } from "./scoring/queue_memory.ts";
import { createRedisScoreQueue, type RedisScoreQueue } from "./scoring/queue_redis.ts";
import type { ScoreMessage, ScoreQueue } from "./scoring/types.ts";

// Which adapter each store uses, decided from the settings in this one module for every host: the
// Node host (long-lived clients), the Worker (clients per request), the score consumer and the test
// harness. A host supplies only what the env cannot say (the Node host's bridge in front of Valkey).

/** An Upstash-REST endpoint: Upstash itself, or the Node host's bridge in front of Redis/Valkey. */
export interface UpstashEndpoint {
  url: string;
  token: string;
}

/** The Upstash endpoint the settings name, if any (VALKEY_URL needs the Node host's bridge first). */
export function upstashOf(env: Env): UpstashEndpoint | null {
  if (!env.UPSTASH_REDIS_REST_URL) return null;
  return { url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN ?? "" };
}

/** ClickHouse when `CLICKHOUSE_URL` is set (with its timeout), else the tables in Postgres. */
export function analyticsFor(env: Env, sql: Sql): AnalyticsStore {
  return createAnalytics({
    clickhouseUrl: env.CLICKHOUSE_URL,
    sql,
    requestTimeoutMs: env.CLICKHOUSE_CONNECT_TIMEOUT * 1000,
  });
}

// Isolate-safe: without Upstash configured, a Worker isolate keeps its own counters. That is
// documented as per-isolate rate limiting; production Workers configure Upstash.
let isolateKv: Kv | undefined;

/**
 * Upstash REST when an endpoint is configured, else memory: one store per process on Node (pass
 * `lifetime: "process"`), one per isolate on Workers.
 */
export function kvFor(
  env: Env,
  opts: { endpoint?: UpstashEndpoint | null; prefix?: string; lifetime: "process" | "isolate" },
): Kv {
  const endpoint = opts.endpoint === undefined ? upstashOf(env) : opts.endpoint;
  if (endpoint)
    return createKv({ upstashUrl: endpoint.url, upstashToken: endpoint.token, prefix: opts.prefix });
  if (opts.lifetime === "process") return createKv({ prefix: opts.prefix });
  isolateKv ??= createMemoryKv();
  return isolateKv;
}

/**
 * Debounce keys for the Cloudflare queue: pipelined on Upstash (one request per 500 projects, so a
 * bulk rescore stays inside Workers' subrequest limit), else through the isolate's kv.
 */
function workerDebouncer(env: Env, kv: Kv): Debouncer {
  const endpoint = upstashOf(env);
  if (!endpoint) return createKvDebouncer(kv);
  const redis = new Redis({
    url: endpoint.url,
    token: endpoint.token,
    automaticDeserialization: false,
    enableTelemetry: false,
  });
  return createUpstashDebouncer(redis);
}

/** Tuning the settings do not carry (tests, benchmarks): merged over the env's values. */
export interface QueueTuning {
  debounceMs?: number;
  retryDelayMs?: number;
  maxAttempts?: number;
  claimIdleMs?: number;
  pollMs?: number;
  prefix?: string;
  consumerName?: string;
  batchSize?: number;
}

/** A long-lived process's queue: Redis Streams when Redis is reachable, else in-process. */
export type ProcessScoreQueue = MemoryScoreQueue | RedisScoreQueue;

/**
 * The score queue of a long-lived process (the Node host, `imbi consume-scores`, tests): Redis
 * Streams on the endpoint when there is one (shared by every process), else in-process.
 */
export function processScoreQueue(
  env: Env,
  opts: { endpoint: UpstashEndpoint | null; log?: Logger; consumerName?: string } & QueueTuning,
): ProcessScoreQueue {
  const common = {
    debounceMs: opts.debounceMs ?? env.IMBI_SCORE_DEBOUNCE_SECONDS * 1000,
    maxAttempts: opts.maxAttempts ?? env.IMBI_SCORE_MAX_ATTEMPTS,
    retryDelayMs: opts.retryDelayMs,
    batchSize: opts.batchSize,
  };
  if (!opts.endpoint) return createMemoryScoreQueue(common);
  return createRedisScoreQueue({
    ...common,
    url: opts.endpoint.url,
    token: opts.endpoint.token,
    prefix: opts.prefix,
    consumerName: opts.consumerName,
    pollMs: opts.pollMs,
    // Never reclaim a live consumer's batch: above the debounce window and a slow batch.
    claimIdleMs:
      opts.claimIdleMs ??
      Math.max(env.IMBI_SCORE_CLAIM_IDLE_SECONDS * 1000, env.IMBI_SCORE_DEBOUNCE_SECONDS * 2000 + 10_000),
    log: opts.log,
  });
}

/**
 * The score queue of one request without a long-lived one (Workers): Cloudflare Queues when the
 * `SCORE_QUEUE` binding exists, else recomputation after the response (`inline`: no debounce).
 */
export function requestScoreQueue(env: Env, kv: Kv, inline: (batch: ScoreMessage[]) => void): ScoreQueue {
  if (env.SCORE_QUEUE)
    return createCloudflareScoreQueue(env.SCORE_QUEUE, workerDebouncer(env, kv), {
      debounceMs: env.IMBI_SCORE_DEBOUNCE_SECONDS * 1000,
    });
  return createInlineScoreQueue(inline);
}
