import { DomainError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { AnalyticsQueryError } from "./errors.ts";

/**
 * Runs an analytics read. A bad query is the caller's 400; anything else means the analytics store
 * is unreachable, which is a 503 telling the caller what still works and when to retry.
 */
export async function analyticsRead<T>(log: Logger, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AnalyticsQueryError)
      throw new DomainError("BAD_REQUEST", `The query is invalid: ${e.message}`);
    log.warn("analytics read failed", { error: e instanceof Error ? e.message : String(e) });
    throw new DomainError(
      "SERVICE_UNAVAILABLE",
      "The analytics store (ClickHouse) is unreachable, so the operations log, events, audit log and score history " +
        "cannot be read right now. New entries are still accepted and appear once it is back; retry shortly " +
        "and check GET /api/status.",
      undefined,
      { "Retry-After": "30" },
    );
  }
}
