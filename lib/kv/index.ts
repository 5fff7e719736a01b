import { createMemoryKv } from "./memory.ts";
import type { Kv } from "./types.ts";
import { createUpstashKv } from "./upstash.ts";

export { createMemoryKv, type MemoryKv, type MemoryKvOptions } from "./memory.ts";
export {
  checkRateLimit,
  parseRateLimit,
  type RateLimitDecision,
  type RateLimitSpec,
} from "./rate_limit.ts";
export { DEFAULT_KV_PREFIX, type Kv, type KvSetOptions, type KvWindowHit } from "./types.ts";
export { createUpstashKv, type UpstashKvOptions } from "./upstash.ts";

/** Options for {@link createKv}, named after the configuration they come from. */
export interface CreateKvOptions {
  upstashUrl?: string;
  upstashToken?: string;
  prefix?: string;
}

/**
 * Picks the store: Upstash REST (Upstash itself, or the Node host's bridge to Valkey) when a URL is
 * configured, otherwise the in-process store of the embedded default. A URL without a token is a
 * configuration error, not a reason to silently fall back to memory.
 *
 * The memory store lives as long as its instance: build it once per process (the Node host's
 * services), not per request. On Workers it would be per isolate, so configure Upstash there.
 */
export function createKv(opts: CreateKvOptions = {}): Kv {
  if (opts.upstashUrl) {
    if (!opts.upstashToken) throw new Error("kv: an Upstash URL was configured without a token");
    return createUpstashKv({ url: opts.upstashUrl, token: opts.upstashToken, prefix: opts.prefix });
  }
  return createMemoryKv({ prefix: opts.prefix });
}
