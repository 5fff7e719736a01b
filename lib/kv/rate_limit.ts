import type { Kv } from "./types.ts";

/** A parsed rate limit: at most `limit` hits per fixed window of `windowSeconds`. */
export interface RateLimitSpec {
  limit: number;
  windowSeconds: number;
}

/** The verdict for one request. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The spec's limit, for `RateLimit-Limit` style headers. */
  limit: number;
  /** Hits in the current window, this one included (0 when degraded). */
  count: number;
  /** Hits left in the current window (0 once the limit is reached). */
  remaining: number;
  /** Whole seconds until the window resets when refused (for `Retry-After`); 0 when allowed. */
  retryAfterSeconds: number;
  /** Whole seconds until the current window resets. */
  resetSeconds: number;
  /** True when the store failed and the request was let through unchecked. */
  degraded: boolean;
}

const UNIT_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3_600, day: 86_400 };

// The slowapi / `limits` grammar: "5/minute", "5 per minute", "10/5 minutes", "1000/days".
const SPEC_RE = /^\s*(\d+)\s*(?:\/|\s+per\s+)\s*(\d+)?\s*(second|minute|hour|day)s?\s*$/i;

/**
 * Parses a slowapi-style limit (`"5/minute"`, `"100 per hour"`, `"10/5 minutes"`). Throws an
 * Error naming the bad value, so configuration validation can fail at boot instead of at the
 * first request.
 */
export function parseRateLimit(spec: string): RateLimitSpec {
  const m = SPEC_RE.exec(spec);
  const count = Number(m?.[1]);
  const multiplier = m?.[2] === undefined ? 1 : Number(m[2]);
  const unit = UNIT_SECONDS[m?.[3]?.toLowerCase() ?? ""];
  if (!m || unit === undefined || !Number.isSafeInteger(count) || count < 1 || multiplier < 1) {
    throw new Error(
      `Invalid rate limit ${JSON.stringify(spec)}: expected "<count>/<unit>" or "<count>/<n> <units>" ` +
        `with count ≥ 1 and unit second, minute, hour or day (e.g. "5/minute", "10/5 minutes")`,
    );
  }
  return { limit: count, windowSeconds: multiplier * unit };
}

/**
 * Counts one hit against `key` in a fixed window and decides whether it is allowed.
 *
 * Fails open: when the store is unreachable the request is allowed with `degraded: true`. Rate
 * limits here protect against abuse, not for correctness, and refusing every login because Redis
 * blinked would turn a cache outage into a full outage; callers log the degraded flag (and may
 * choose to fail closed for especially sensitive routes).
 */
export async function checkRateLimit(kv: Kv, key: string, spec: RateLimitSpec): Promise<RateLimitDecision> {
  try {
    const hit = await kv.incrWindow(`rl:${key}`, spec.windowSeconds);
    const allowed = hit.count <= spec.limit;
    const resetSeconds = Math.max(1, Math.ceil(hit.resetMs / 1000));
    return {
      allowed,
      limit: spec.limit,
      count: hit.count,
      remaining: Math.max(0, spec.limit - hit.count),
      retryAfterSeconds: allowed ? 0 : resetSeconds,
      resetSeconds,
      degraded: false,
    };
  } catch {
    return {
      allowed: true,
      limit: spec.limit,
      count: 0,
      remaining: spec.limit,
      retryAfterSeconds: 0,
      resetSeconds: spec.windowSeconds,
      degraded: true,
    };
  }
}
