// The Cloudflare entry of @upstash/redis is plain fetch: it runs unchanged on Workers and Node,
// whereas the default (Node) entry passes `cache: "no-store"`, which older workerd rejects.
import { Redis } from "@upstash/redis/cloudflare";
import { attempt } from "../result.ts";
import {
  assertPositiveSeconds,
  DEFAULT_KV_PREFIX,
  decodeValue,
  encodeValue,
  type Kv,
  type KvSetOptions,
  type KvWindowHit,
} from "./types.ts";

/** Options for {@link createUpstashKv}. */
export interface UpstashKvOptions {
  /** Upstash REST URL, or the URL of the Node host's Upstash-REST bridge. */
  url: string;
  /** REST token sent as `Authorization: Bearer …`. */
  token: string;
  /** Key namespace; defaults to `imbi:`. */
  prefix?: string;
  /**
   * Retries on network errors (not on Redis errors). The client's own default is 5 with
   * exponential backoff (~4 s in total), which would stall every rate-limited request while the
   * store is down; we retry briefly and let callers fail open instead.
   */
  retries?: number;
}

/**
 * A {@link Kv} over Upstash's REST protocol (`@upstash/redis`), for Upstash itself and for any
 * Redis/Valkey behind the bridge in `apps/node/redis_bridge.ts`. Holds no socket, so it is safe to
 * build per request on Workers.
 */
export function createUpstashKv(opts: UpstashKvOptions): Kv {
  const prefix = opts.prefix ?? DEFAULT_KV_PREFIX;
  const redis = new Redis({
    url: opts.url,
    token: opts.token,
    // We encode JSON ourselves: the client's guessing parser turns a stored "123" into 123.
    automaticDeserialization: false,
    enableTelemetry: false,
    retry: { retries: opts.retries ?? 2, backoff: (n) => 25 * 2 ** n },
  });

  return {
    kind: "upstash",

    async get<T = unknown>(key: string): Promise<T | null> {
      return decodeValue<T>(await redis.get<string>(prefix + key));
    },

    async set(key: string, value: unknown, setOpts: KvSetOptions = {}): Promise<boolean> {
      const raw = encodeValue(value);
      const k = prefix + key;
      const nx = setOpts.onlyIfAbsent === true;
      let reply: unknown;
      if (setOpts.ttlSeconds !== undefined) {
        assertPositiveSeconds("ttlSeconds", setOpts.ttlSeconds);
        // PX keeps sub-second TTLs exact; EX would truncate them.
        const px = Math.max(1, Math.round(setOpts.ttlSeconds * 1000));
        reply = nx ? await redis.set(k, raw, { px, nx: true }) : await redis.set(k, raw, { px });
      } else {
        reply = nx ? await redis.set(k, raw, { nx: true }) : await redis.set(k, raw);
      }
      // SET answers OK, or nil when NX found the key.
      return reply !== null;
    },

    async del(...keys: string[]): Promise<number> {
      // DEL without keys is a Redis syntax error; deleting nothing is not.
      if (keys.length === 0) return 0;
      return await redis.del(...keys.map((k) => prefix + k));
    },

    async exists(key: string): Promise<boolean> {
      return (await redis.exists(prefix + key)) > 0;
    },

    async incrWindow(key: string, windowSeconds: number): Promise<KvWindowHit> {
      assertPositiveSeconds("windowSeconds", windowSeconds);
      const k = prefix + key;
      const px = Math.max(1, Math.round(windowSeconds * 1000));
      // One MULTI/EXEC instead of a Lua script: "create at 0 with expiry if absent, then INCR"
      // is atomic, works on every Redis, Valkey and Upstash, and lets the bridge keep refusing
      // script commands that could reach around its command block-list. INCR keeps the TTL.
      const [, count, pttl] = await redis
        .multi()
        .set(k, "0", { px, nx: true })
        .incr(k)
        .pttl(k)
        .exec<[unknown, number, number]>();
      if (pttl >= 0) return { count, resetMs: pttl };
      // The key existed without an expiry (written by set()): bound it now. Not atomic with the
      // INCR, but it only repairs keys that were in the wrong state already.
      await redis.pexpire(k, px);
      return { count, resetMs: px };
    },

    async ping() {
      return attempt(async () => {
        const started = performance.now();
        await redis.ping();
        return { latencyMs: performance.now() - started };
      });
    },
  };
}
