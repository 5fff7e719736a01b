import { z } from "zod";
import type { Result } from "../result.ts";
import { type ApiKeyUsagePoint, type ApiKeyUsageQuery, ApiKeyUsageRowSchema } from "./api_key_usage.ts";
import { AnalyticsTimestamp, text } from "./columns.ts";
import { type EventPage, type EventQuery, EventRowSchema } from "./event_log.ts";
import { McpAccessRowSchema } from "./mcp_access_log.ts";
import {
  type OperationFilter,
  type OperationMetrics,
  type OperationPage,
  type OperationQuery,
  type OperationRow,
  OperationRowSchema,
} from "./operations.ts";
import {
  type LatestScore,
  type ScoreHistoryQuery,
  ScoreHistoryRowSchema,
  type ScorePoint,
  type TeamScoreHistoryQuery,
  type TeamScorePoint,
} from "./score_history.ts";
import {
  type WebhookDeliveryPage,
  type WebhookDeliveryQuery,
  WebhookDeliveryRowSchema,
} from "./webhook_deliveries.ts";

export { AnalyticsTimestamp } from "./columns.ts";
export { AnalyticsQueryError } from "./errors.ts";

/** Audit event names are open-ended (new features add events) but shaped like `token_revoked`. */
export const AuditEventName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_.:-]*$/, "lower-case letters, digits and _ . : -");

/** The kinds of actor an audit row names (lib/core/actor.ts `ActorKind`); `""`: not recorded. */
export const AUDIT_ACTOR_KINDS = ["user", "service_account", "system", "anonymous"] as const;
export const AuditActorKind = z.enum([...AUDIT_ACTOR_KINDS, ""]);

/**
 * Events the API records today (the API guide lists them); the column is not limited to these.
 * `lib/audit/known_events.test.ts` fails when a verb records an event missing here.
 */
export const KNOWN_AUDIT_EVENTS = [
  // Sessions (the actor is the user; refused attempts name the email tried, actor_kind anonymous)
  "login",
  "login_failed",
  "login_throttled",
  "login_rate_limited",
  "token_issued",
  "token_refreshed",
  "token_revoked",
  "token_reuse_detected",
  "token_refresh_retried",
  "session_revoked",
  // Users, roles, memberships
  "user_created",
  "user_updated",
  "user_deleted",
  "password_changed",
  "role_changed",
  "role_created",
  "role_updated",
  "role_deleted",
  "permission_granted",
  "permission_revoked",
  "api_key_created",
  "api_key_rotated",
  "api_key_revoked",
  "membership_added",
  "membership_changed",
  "membership_removed",
  // Machine identities (service accounts, their client credentials and public keys; the token endpoint)
  "service_account_created",
  "service_account_updated",
  "service_account_deleted",
  "client_credential_created",
  "client_credential_rotated",
  "client_credential_revoked",
  "service_account_key_registered",
  "service_account_key_revoked",
  "client_authentication_failed",
  // The OAuth authorization server (issue 11): registered clients, users' consents
  "oauth_client_registered",
  "oauth_client_revoked",
  "oauth_consent_granted",
  "oauth_authorization_revoked",
  // Inbound webhooks (the gateway)
  "webhook_created",
  "webhook_updated",
  "webhook_deleted",
  "webhook_secret_rotated",
  "webhook_delivery_replayed",
  // Outbound webhooks
  "webhook_subscription_created",
  "webhook_subscription_updated",
  "webhook_subscription_deleted",
  "webhook_subscription_secret_rotated",
  "webhook_delivery_redelivered",
  // Organizations and their configuration
  "organization_created",
  "organization_updated",
  "organization_deleted",
  "team_created",
  "team_updated",
  "team_deleted",
  "team_member_added",
  "team_member_removed",
  "environment_created",
  "environment_updated",
  "environment_deleted",
  "link_definition_created",
  "link_definition_updated",
  "link_definition_deleted",
  "project_type_created",
  "project_type_updated",
  "project_type_deleted",
  // Scoring and blueprints
  "scoring_policy_created",
  "scoring_policy_updated",
  "scoring_policy_deleted",
  "score_levels_changed",
  "rescore_requested",
  "blueprint_created",
  "blueprint_updated",
  "blueprint_deleted",
] as const;

/** One security-relevant event (DESIGN.md §6). Unset text columns are `""`, never NULL. */
export const AuditRowSchema = z
  .object({
    /** Unique event id; inserting the same id twice keeps one row (outbox retries are safe). */
    id: text(128).min(1),
    occurred_at: AnalyticsTimestamp,
    event: AuditEventName,
    /** Principal email or id, `""` for anonymous. */
    actor: text(320).default(""),
    /** What the actor is; `""` on rows recorded before analytics migration 0005. */
    actor_kind: AuditActorKind.default(""),
    /** `credentialLabel()` of the credential used (`api_key:ik_…`, `password:<session>`); `""` when none. */
    credential: text(256).default(""),
    /** Organization slug, `""` for global events. */
    organization: text(128).default(""),
    /** What was acted on (user email, token family, role slug, …). */
    subject: text(512).default(""),
    ip: z.union([z.literal(""), z.ipv4(), z.ipv6()]).default(""),
    user_agent: text(1024).default(""),
    request_id: text(128).default(""),
    success: z.boolean().default(true),
    /** Free-form JSON object; stored as JSON text in both stores. */
    details: z.record(z.string(), z.json()).default({}),
  })
  .strict();

/** An audit row as stored and returned (defaults applied, timestamp normalised). */
export type AuditRow = z.output<typeof AuditRowSchema>;

/**
 * Table name → row schema. Adding a table means adding its schema here, its DDL under
 * `schema/clickhouse/`, and its encoder in each adapter — the adapters type their encoders as
 * `Record<AnalyticsTable, …>` so a missing one does not compile.
 */
export const analyticsTables = {
  audit_log: AuditRowSchema,
  operations_log: OperationRowSchema,
  events: EventRowSchema,
  score_history: ScoreHistoryRowSchema,
  api_key_usage: ApiKeyUsageRowSchema,
  mcp_access_log: McpAccessRowSchema,
  webhook_deliveries: WebhookDeliveryRowSchema,
} as const;

/** Names of the analytics tables. */
export type AnalyticsTable = keyof typeof analyticsTables;

/** What callers pass to `insert` for table `T` (defaults may be omitted). */
export type AnalyticsRow<T extends AnalyticsTable> = z.input<(typeof analyticsTables)[T]>;

/** A row of table `T` after validation, as the adapters write it. */
export type StoredRow<T extends AnalyticsTable> = z.output<(typeof analyticsTables)[T]>;

/**
 * Audit log query. `from` is inclusive and `to` exclusive, so consecutive windows never
 * overlap. `cursor` is the opaque `nextCursor` of the previous page.
 */
export const AuditQuerySchema = z
  .object({
    event: AuditEventName.optional(),
    actor: text(320).optional(),
    /** Exact `credential` label. */
    credential: text(256).optional(),
    organization: text(128).optional(),
    /** Rows of any of these organizations (an authorization limit; ANDed with `organization`). */
    organizations: z.array(text(128)).min(1).max(1000).optional(),
    from: AnalyticsTimestamp.optional(),
    to: AnalyticsTimestamp.optional(),
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().max(512).optional(),
  })
  .strict();

/** Input of {@link AnalyticsStore.listAudit}. */
export type AuditQuery = z.input<typeof AuditQuerySchema>;

/** One page of audit rows, newest first. */
export interface AuditPage {
  data: AuditRow[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** Time-series and log storage (DESIGN.md §4): ClickHouse in production, Postgres when embedded. */
export interface AnalyticsStore {
  readonly kind: "clickhouse" | "embedded";
  /** Validates rows with the table's zod schema, then inserts. Returns a Result (never throws on I/O failure). */
  insert<T extends AnalyticsTable>(table: T, rows: AnalyticsRow<T>[]): Promise<Result<void>>;
  /**
   * Audit log query: filters (event, actor, credential, organization(s), from, to), newest first (ties by id,
   * descending), keyset pagination via an opaque cursor; limit 1..500. Throws
   * {@link AnalyticsQueryError} on a bad query and the store's error when it is unreachable.
   */
  listAudit(q: AuditQuery): Promise<AuditPage>;
  /**
   * Operations log, latest version of each entry, tombstones excluded; newest `occurred_at` first
   * (ties by id, descending), keyset cursor. Throws like {@link listAudit}.
   */
  listOperations(q: OperationQuery): Promise<OperationPage>;
  /** The latest version of one entry; `null` when it never existed or its latest row is a tombstone. */
  getOperation(id: string): Promise<OperationRow | null>;
  /** Counts per entry type and environment over the whole filter (not a page). */
  operationMetrics(q: OperationFilter): Promise<OperationMetrics>;
  /** Change events (filters organization, entity, field, principal, action, time), newest first. */
  listEvents(q: EventQuery): Promise<EventPage>;
  /**
   * A project's score over time, oldest first: the first `limit` points (1..1000, default 500)
   * in `[from, to)`. `raw` gives one point per row; `hour`/`day` aggregate UTC buckets (last,
   * avg, min, max, samples) over the rows inside the window. Throws {@link AnalyticsQueryError}.
   */
  scoreHistory(q: ScoreHistoryQuery): Promise<ScorePoint[]>;
  /** Each project's newest score (projects without one are absent); up to 10,000 ids per call. */
  latestScores(projectIds: string[]): Promise<Map<string, LatestScore>>;
  /** Each project's last score at or before `at` (inclusive); up to 10,000 ids per call. */
  scoresAsOf(projectIds: string[], at: string): Promise<Map<string, LatestScore>>;
  /**
   * Per UTC bucket and team of an organization: the mean over projects of each project's last
   * score within the bucket (team as recorded on that row), ordered by `at`, then team bytewise.
   */
  teamScoreHistory(q: TeamScoreHistoryQuery): Promise<TeamScorePoint[]>;
  /**
   * Requests made with one API key per UTC day, route template, method and status, days `from`..`to`
   * inclusive (at most 366), ordered by day, route, method, status. Throws {@link AnalyticsQueryError}.
   */
  apiKeyUsage(q: ApiKeyUsageQuery): Promise<ApiKeyUsagePoint[]>;
  /**
   * The inbound deliveries of one webhook (organization and webhook slug), one row per processing
   * attempt, newest first (ties by id, descending), keyset cursor; limit 1..500. Throws like
   * {@link listAudit}.
   */
  listWebhookDeliveries(q: WebhookDeliveryQuery): Promise<WebhookDeliveryPage>;
  /** Round-trips a trivial query; `err` when the store is unreachable. */
  ping(): Promise<Result<{ latencyMs: number }>>;
  /** Applies the DDL idempotently; a ledger table records each applied migration once. */
  migrate(): Promise<void>;
  /** Releases the store's own resources (not a caller-owned SQL client). */
  close(): Promise<void>;
}
