import { z } from "zod";
import { AnalyticsTimestamp, text } from "./columns.ts";

// The MCP door's access log (issue 11): one row per tool call on /mcp, whatever its outcome, so
// an operator can see which agents call what, how often, how slowly, and what they were refused.
// Kept apart from the adapters' main files, like the API-key usage.

/** ok: the tool answered; error: bad input or a failure; denied: the verb or the rate limit refused. */
export const McpCallStatus = z.enum(["ok", "error", "denied"]);

/** One tool call as inserted. */
export const McpAccessRowSchema = z
  .object({
    id: text(128).min(1),
    occurred_at: AnalyticsTimestamp,
    /** The actor's id: a user's email or a service account's slug. */
    actor: text(320),
    actor_kind: z.enum(["user", "service_account", "system", "anonymous"]),
    /** `credentialLabel()` of the credential used (`api_key:ik_…`, `oauth:<client>`). */
    credential: text(256).default(""),
    /** The tool's registered name (or the name asked for, when there is no such tool). */
    tool: text(128).min(1),
    status: McpCallStatus,
    duration_ms: z.number().int().min(0).max(4_294_967_295),
    request_id: text(128).default(""),
  })
  .strict();

/** A row after validation. */
export type McpAccessRow = z.output<typeof McpAccessRowSchema>;

/** Encodes a row for ClickHouse: DateTime as unix seconds plus the milliseconds column. */
export function encodeMcpAccessClickHouse(row: McpAccessRow): Record<string, string | number> {
  const ms = Date.parse(row.occurred_at);
  return { ...row, occurred_at: Math.floor(ms / 1000), occurred_ms: ms % 1000 };
}
