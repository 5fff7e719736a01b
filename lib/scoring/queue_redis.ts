// The Node host's score queue: Redis Streams with a consumer group (the reference's design,
// DESIGN.md §8), spoken over the Upstash REST protocol so the same code runs against Upstash or
// against Valkey/Redis behind apps/node/redis_bridge.ts.
import { Redis } from "@upstash/redis/cloudflare";
import { nanoid } from "nanoid";
import type { Logger } from "../log.ts";
import { createUpstashDebouncer, debounceKey } from "./debounce.ts";
import {
  checkQueueOptions,
  DEFAULT_BATCH_SIZE,
  DEFAULT_DEBOUNCE_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_DELAY_MS,
  type DeadLetter,
  newMessageId,
  uniqueRequests,
} from "./queue_common.ts";
import { createStreamConsumer } from "./queue_redis_consumer.ts";
import { parseDeadLetter, toEntries } from "./queue_redis_stream.ts";
import type { ScoreConsumer, ScoreQueue } from "./types.ts";

/** Options for {@link createRedisScoreQueue}. */
export interface RedisScoreQueueOptions {
  /** Upstash REST URL, or the URL of the Node host's Upstash-REST bridge. */
  url: string;
  token: string;
  /** Key namespace, the same as the Kv's; defaults to `imbi:`. */
  prefix?: string;
  /** Stream name below the prefix; defaults to `score-recompute`. The DLQ is `<stream>:dlq`. */
  stream?: string;
  /** Consumer group; defaults to `score-workers`. */
  group?: string;
  /** This consumer's name in the group; defaults to `<hostname>-<pid>-<random>`. */
  consumerName?: string;
  /** Trailing debounce window per project; defaults to 5000, 0 disables it. */
  debounceMs?: number;
  /** Messages per handler call; defaults to 16. */
  batchSize?: number;
  /**
   * Messages pending this long (ms) are taken over from whichever consumer holds them (XAUTOCLAIM):
   * how long a crashed consumer's messages wait. Keep it above the handler's worst batch time and
   * above `debounceMs`, or live consumers' messages get processed twice. Defaults to 60000.
   */
  claimIdleMs?: number;
  /** Deliveries before a message is dead-lettered; defaults to 5. */
  maxAttempts?: number;
  /**
   * First retry delay, doubled per delivery up to 30 s; defaults to 500. A retry never waits
   * longer than `claimIdleMs`: by then any consumer's XAUTOCLAIM takes the message.
   */
  retryDelayMs?: number;
  /** How often an idle consumer polls (ms); defaults to 1000. The bridge must not see BLOCK. */
  pollMs?: number;
  /** REST client retries on network errors; defaults to 2. */
  retries?: number;
  /** Where Redis errors of the consumer loop are reported; silent when omitted. */
  log?: Logger;
}

/** The Redis Streams queue: producer, consumer, and introspection for tests and the status route. */
export interface RedisScoreQueue extends ScoreQueue, ScoreConsumer {
  readonly kind: "redis";
  /** This consumer's name in the group. */
  readonly consumerName: string;
  /** The oldest `limit` (default 100) dead-lettered messages. */
  deadLetters(limit?: number): Promise<DeadLetter[]>;
  /** Messages delivered to some consumer and not acked yet (the group's PEL). */
  pendingCount(): Promise<number>;
  /** Messages in the stream (undelivered plus pending); acked ones are deleted. */
  length(): Promise<number>;
}

/** Puts requests in a pipeline round trip at a time (~100 KiB, well under the REST body cap). */
const CHUNK = 500;

/**
 * A {@link ScoreQueue} and {@link ScoreConsumer} over a Redis stream `<prefix><stream>` with the
 * consumer group `group`. Enqueue takes the debounce keys `<prefix>score:debounce:<project>` and
 * XADDs the winners, both pipelined. See {@link createStreamConsumer} for the consumer loop.
 */
export function createRedisScoreQueue(opts: RedisScoreQueueOptions): RedisScoreQueue {
  checkQueueOptions(opts);
  const prefix = opts.prefix ?? "imbi:";
  const key = `${prefix}${opts.stream ?? "score-recompute"}`;
  const dlqKey = `${key}:dlq`;
  const group = opts.group ?? "score-workers";
  const consumerName = opts.consumerName ?? defaultConsumerName();
  const debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const claimIdleMs = opts.claimIdleMs ?? 60_000;
  const pollMs = opts.pollMs ?? 1_000;
  if (!(claimIdleMs > 0) || !(pollMs > 0)) {
    throw new RangeError(
      `score queue: claimIdleMs and pollMs must be positive, got ${claimIdleMs}, ${pollMs}`,
    );
  }
  if (debounceMs >= claimIdleMs) {
    opts.log?.warn("score queue: claimIdleMs should exceed debounceMs, or held messages get taken over", {
      debounceMs,
      claimIdleMs,
    });
  }
  const redis = new Redis({
    url: opts.url,
    token: opts.token,
    // Stream fields are our own strings; the client's guessing parser would turn "123" into 123.
    automaticDeserialization: false,
    enableTelemetry: false,
    retry: { retries: opts.retries ?? 2, backoff: (n) => 25 * 2 ** n },
  });
  const debouncer = createUpstashDebouncer(redis, { prefix, chunkSize: CHUNK });
  const consumer = createStreamConsumer({
    redis,
    key,
    dlqKey,
    group,
    consumerName,
    batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
    claimIdleMs,
    maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryDelayMs: opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    pollMs,
    log: opts.log,
  });

  return {
    kind: "redis",
    consumerName,
    start: consumer.start,
    stop: consumer.stop,

    async enqueue(requests) {
      const unique = uniqueRequests(requests);
      const projectIds = unique.map((r) => r.project_id);
      const claimed = debounceMs > 0 ? await debouncer.claim(projectIds, debounceMs) : undefined;
      const winners = claimed ? unique.filter((r) => claimed.has(r.project_id)) : unique;
      const now = Date.now();
      const common = { requested_at: new Date(now).toISOString(), not_before: String(now + debounceMs) };
      try {
        for (let i = 0; i < winners.length; i += CHUNK) {
          const p = redis.pipeline();
          for (const r of winners.slice(i, i + CHUNK)) {
            const { project_id, reason, requested_by } = r;
            p.xadd(key, "*", { id: newMessageId(), project_id, reason, requested_by, ...common });
          }
          await p.exec();
        }
      } catch (err) {
        // Keys without a message behind them would swallow every request for a whole window.
        if (claimed && claimed.size > 0)
          await releaseKeys(redis, prefix, [...claimed]).catch(() => undefined);
        throw err;
      }
      if (winners.length > 0) consumer.wake();
      return { enqueued: winners.length, debounced: requests.length - winners.length };
    },

    async deadLetters(limit = 100) {
      const reply = await redis.exec<unknown>(["XRANGE", dlqKey, "-", "+", "COUNT", limit]);
      return toEntries(reply).map(parseDeadLetter);
    },

    async pendingCount() {
      try {
        const [count] = await redis.exec<[number]>(["XPENDING", key, group]);
        return Number(count);
      } catch (err) {
        if (/NOGROUP/.test(String(err))) return 0;
        throw err;
      }
    },

    async length() {
      return Number(await redis.exec<number>(["XLEN", key]));
    },

    async stats() {
      const p = redis.pipeline();
      p.xlen(key);
      p.xlen(dlqKey);
      const [waiting, dead] = await p.exec<[number, number]>();
      return { waiting: Number(waiting), dead_letters: Number(dead) };
    },
  };
}

async function releaseKeys(redis: Redis, prefix: string, projectIds: string[]): Promise<void> {
  for (let i = 0; i < projectIds.length; i += CHUNK) {
    await redis.del(...projectIds.slice(i, i + CHUNK).map((id) => prefix + debounceKey(id)));
  }
}

/** `<hostname>-<pid>-<random>`; the random part keeps two queues in one process apart. */
function defaultConsumerName(): string {
  // Read guardedly: this module must also load where `process` and node:os do not exist (workerd).
  const proc = (
    globalThis as {
      process?: { pid?: number; getBuiltinModule?: (id: string) => { hostname?: () => string } | undefined };
    }
  ).process;
  const host = proc?.getBuiltinModule?.("node:os")?.hostname?.() ?? "host";
  return `${host}-${proc?.pid ?? 0}-${nanoid(6)}`;
}
