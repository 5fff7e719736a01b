import { DomainError } from "../errors.ts";
import type { Kv } from "../kv/index.ts";
import { checkRateLimit, parseRateLimit } from "../kv/index.ts";
import type { Logger } from "../log.ts";

/**
 * Counts one hit of `key` against `spec` (slowapi format from settings) and refuses past it with a
 * 429 `RATE_LIMITED` carrying Retry-After. An unreachable kv store allows the hit and is logged
 * (a cache outage must not become a full outage). `message` words the refusal for the caller.
 */
export async function enforceRateLimit(
  s: { kv: Kv; log: Logger },
  key: string,
  spec: string,
  message: (retryAfterSeconds: number) => string,
): Promise<void> {
  const d = await checkRateLimit(s.kv, key, parseRateLimit(spec));
  if (d.degraded) s.log.warn("rate limiter degraded: kv unreachable, allowing", { key });
  if (!d.allowed)
    throw new DomainError("RATE_LIMITED", message(d.retryAfterSeconds), undefined, {
      "Retry-After": String(Math.max(1, d.retryAfterSeconds)),
    });
}
