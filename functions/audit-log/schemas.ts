import { z } from "@hono/zod-openapi";
import { AUDIT_ACTOR_KINDS } from "../../lib/analytics/types.ts";
import { instant, slug } from "../../lib/http/fields.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";

const EVENT = /^[a-z][a-z0-9_.:-]*$/;

/** One audit row as the API returns it. Unset text fields are `""`, never null. */
export const AuditEntrySchema = z
  .object({
    id: z.string().openapi({ description: "Audit row id", example: "aud_V1StGXR8_Z5jdHi6B-myT" }),
    occurred_at: z.string().openapi({
      description: "When it happened (ISO 8601, UTC, milliseconds)",
      example: "2024-05-01T12:00:00.123Z",
    }),
    event: z.string().openapi({
      description: "What happened (the action), e.g. login, membership_added; see the API guide's list",
      example: "membership_added",
    }),
    actor: z.string().openapi({
      description:
        "Who acted: a user's email, a service account's slug, a system component's name; for a refused " +
        'login, the email tried; "" when nobody was named',
      example: "ada@example.com",
    }),
    actor_kind: z.enum([...AUDIT_ACTOR_KINDS, ""]).openapi({
      description:
        "What the actor is: user, service_account, system (Imbi itself: CLI, score consumer) or anonymous " +
        '(nothing proved, e.g. a failed login); "" on rows recorded before this field existed',
      example: "user",
    }),
    credential: z.string().openapi({
      description:
        "The credential used, as <method>:<id> (password:<session>, refresh:<session>, api_key:ik_…, " +
        'client_credentials:cc_…, private_key_jwt:cc_…/<key id>) or internal; "" when none. Never a secret',
      example: "password:V1StGXR8_Z5jdHi6B-myT",
    }),
    organization: z.string().openapi({
      description: 'Organization slug the event happened in; "" for global events',
      example: "acme",
    }),
    subject: z.string().openapi({
      description: 'What was acted on (user email, session, role slug, team slug, …); "" when nothing',
      example: "grace@example.com",
    }),
    ip: z
      .string()
      .openapi({ description: 'Client address, when the event records one; else ""', example: "192.0.2.10" }),
    user_agent: z
      .string()
      .openapi({ description: 'Client user agent, when recorded; else ""', example: "curl/8.5.0" }),
    request_id: z
      .string()
      .openapi({ description: "Request that caused it (X-Request-ID)", example: "req_V1StGXR8Z5jdHi6B" }),
    success: z
      .boolean()
      .openapi({ description: "false for refused attempts (failed login, token reuse)", example: true }),
    details: z.record(z.string(), z.unknown()).openapi({
      description: "Event-specific facts (JSON object), e.g. the role of a membership",
      example: { role: "developer" },
    }),
  })
  .openapi("AuditEntry");

export const AuditEntryPageSchema = pageOf(AuditEntrySchema, "AuditEntryPage");

/** Filters of GET /audit-log; every one is an exact match, combined with AND. */
export const AuditLogQuerySchema = PageQuerySchema.extend({
  actor: z.string().min(1).max(320).optional().openapi({
    description:
      "Only rows of this actor (exact: a user's email as stored, lower-case; a service account's slug)",
    example: "ada@example.com",
  }),
  event: z
    .string()
    .min(1)
    .max(64)
    .regex(EVENT, "must match ^[a-z][a-z0-9_.:-]*$ (an audit event name such as login)")
    .optional()
    .openapi({ description: "Only this action (audit event name)", example: "login" }),
  organization: slug(
    "Only rows of this organization; you need audit_log:read there (or globally)",
    "acme",
  ).optional(),
  credential: z.string().min(1).max(256).optional().openapi({
    description: "Only rows made with this credential (exact label, e.g. api_key:ik_… or password:<session>)",
    example: "api_key:ik_V1StGXR8_Z5jdHi6B",
  }),
  from: instant("Rows that occurred at or after this instant (inclusive)").optional(),
  to: instant("Rows that occurred before this instant (exclusive)").optional(),
}).strict();
