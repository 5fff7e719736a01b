import type { Sql } from "postgres";
import { createClickHouseAnalytics } from "./clickhouse.ts";
import { createEmbeddedAnalytics } from "./embedded.ts";
import type { AnalyticsStore } from "./types.ts";

export {
  type ApiKeyUsagePoint,
  type ApiKeyUsageQuery,
  ApiKeyUsageQuerySchema,
  type ApiKeyUsageRow,
  ApiKeyUsageRowSchema,
  isCalendarDay,
  MAX_USAGE_DAYS,
  UsageDay,
} from "./api_key_usage.ts";
export {
  type ClickHouseAnalyticsOptions,
  type ClickHouseConnection,
  chString,
  chUInt,
  createClickHouseAnalytics,
  parseClickHouseUrl,
} from "./clickhouse.ts";
export { decodeCursor, encodeCursor } from "./codec.ts";
export { createEmbeddedAnalytics } from "./embedded.ts";
export {
  EventAction,
  type EventPage,
  type EventQuery,
  EventQuerySchema,
  type EventRow,
  EventRowSchema,
} from "./event_log.ts";
export { type AnalyticsMigration, clickhouseMigrations, embeddedMigrations } from "./migrations.ts";
export {
  ENTRY_TYPES,
  EntryType,
  type OperationFilter,
  OperationFilterSchema,
  type OperationMetrics,
  type OperationPage,
  type OperationQuery,
  OperationQuerySchema,
  type OperationRow,
  OperationRowSchema,
} from "./operations.ts";
export { type FlushResult, type OutboxedAnalytics, type OutboxOptions, withOutbox } from "./outbox.ts";
export {
  BUCKET_MS,
  type LatestScore,
  MAX_SCORE_PROJECTS,
  type ScoreHistoryQuery,
  ScoreHistoryQuerySchema,
  type ScoreHistoryRow,
  ScoreHistoryRowSchema,
  type ScorePoint,
  type TeamScoreHistoryQuery,
  TeamScoreHistoryQuerySchema,
  type TeamScorePoint,
} from "./score_history.ts";
export {
  AnalyticsQueryError,
  type AnalyticsRow,
  type AnalyticsStore,
  type AnalyticsTable,
  AnalyticsTimestamp,
  AuditEventName,
  type AuditPage,
  type AuditQuery,
  AuditQuerySchema,
  type AuditRow,
  AuditRowSchema,
  analyticsTables,
  KNOWN_AUDIT_EVENTS,
  type StoredRow,
} from "./types.ts";
export {
  listWebhookDeliveryRecords,
  WEBHOOK_DELIVERY_STATUSES,
  type WebhookDeliveryPage,
  type WebhookDeliveryQuery,
  WebhookDeliveryQuerySchema,
  type WebhookDeliveryRow,
  WebhookDeliveryRowSchema,
  WebhookDeliveryStatus,
  WebhookRuleOutcomeSchema,
} from "./webhook_deliveries.ts";

/** Options for {@link createAnalytics}. */
export interface CreateAnalyticsOptions {
  /** CLICKHOUSE_URL; when empty or missing, analytics live in the embedded Postgres. */
  clickhouseUrl?: string;
  /** The application's Postgres client, used by the embedded adapter. */
  sql: Sql;
  /** Per-request timeout for ClickHouse. */
  requestTimeoutMs?: number;
}

/** Picks ClickHouse when a URL is configured, otherwise the embedded Postgres tables. */
export function createAnalytics(opts: CreateAnalyticsOptions): AnalyticsStore {
  return opts.clickhouseUrl
    ? createClickHouseAnalytics({ url: opts.clickhouseUrl, requestTimeoutMs: opts.requestTimeoutMs })
    : createEmbeddedAnalytics(opts.sql);
}
