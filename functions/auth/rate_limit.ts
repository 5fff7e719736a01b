import type { Context } from "hono";
import type { AppEnv } from "../../lib/http/app.ts";
import { ApiError } from "../../lib/http/problem.ts";
import { checkRateLimit, parseRateLimit } from "../../lib/kv/index.ts";

/**
 * Enforces a rate limit (slowapi format from settings) on each of `keys`; 429 with Retry-After
 * when any is exhausted. Counters live in Redis, so the limit holds across Workers isolates and
 * Node replicas.
 */
export async function enforceRateLimit(c: Context<AppEnv>, spec: string, keys: string[]): Promise<void> {
  const limit = parseRateLimit(spec);
  const { kv, log } = c.get("services");
  for (const key of keys) {
    const d = await checkRateLimit(kv, `rl:${key}`, limit);
    if (d.degraded) log.warn("rate limiter degraded: kv unreachable, allowing", { key });
    if (!d.allowed)
      throw new ApiError({
        code: "RATE_LIMITED",
        detail: `Rate limit of ${spec} exceeded; retry in ${d.retryAfterSeconds} s.`,
        headers: { "Retry-After": String(Math.max(1, d.retryAfterSeconds)) },
      });
  }
}
