/** Thrown by the list queries for a malformed query or cursor: a client mistake, not an outage. */
export class AnalyticsQueryError extends Error {
  override readonly name = "AnalyticsQueryError";
}
