import { z } from "@hono/zod-openapi";
import { slug, timestamp } from "../../lib/http/fields.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";
import { RECEIPT_STATUSES } from "../../lib/webhooks/inbound.ts";
import { RULE_ACTIONS } from "../../lib/webhooks/rules.ts";
import { WEBHOOK_PROVIDERS } from "../../lib/webhooks/signatures.ts";

// ---- Parameters -------------------------------------------------------------

const OrgSlugParam = slug("Slug of the organization", "acme").openapi({ param: { in: "path", name: "org" } });
const WebhookParam = z
  .string()
  .min(1)
  .max(64)
  .openapi({
    description: "Slug or id of the webhook",
    example: "github-deployments",
    param: { in: "path", name: "webhook" },
  });

export const OrgParamSchema = z.object({ org: OrgSlugParam });
export const WebhookParamSchema = z.object({ org: OrgSlugParam, webhook: WebhookParam });
export const WebhookDeliveryParamSchema = WebhookParamSchema.extend({
  delivery: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      description: "Id of the received delivery",
      example: "whd_4fK2m9QxP0aZ7cV1bN8yT",
      param: { in: "path", name: "delivery" },
    }),
});
export const PageOnlyQuerySchema = PageQuerySchema.strict();
export const ListWebhookDeliveriesQuerySchema = PageQuerySchema.extend({
  status: z.enum(RECEIPT_STATUSES).optional().openapi({
    description: "Only deliveries in this state; `dead` lists those whose retries ran out",
    example: "dead",
  }),
}).strict();

// ---- Rules ------------------------------------------------------------------

export const RuleSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(100)
      .openapi({ description: "A name for the delivery log", example: "Record deployments" }),
    filter: z.string().min(1).max(4096).optional().openapi({
      description:
        "CEL expression over `event`, `headers`, `payload`, `integration` and `delivery`: the rule applies when it is true (default `true`)",
      example: 'event == "deployment_status"',
    }),
    action: z.enum(RULE_ACTIONS).openapi({
      description:
        "The built-in action: update_project, create_release, record_deployment, publish_release, block_release or log_operation",
      example: "record_deployment",
    }),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({
        description:
          "The action's configuration; its values are CEL expressions over the delivery (docs/automations.md lists each action's keys)",
        example: {
          environment: "payload.deployment.environment",
          version: "payload.deployment.ref",
          external_run_id: "string(payload.deployment.id)",
        },
      }),
    enabled: z
      .boolean()
      .optional()
      .openapi({ description: "Disabled rules are skipped (default true)", example: true }),
  })
  .strict()
  .openapi("InboundWebhookRule");

// ---- Webhooks ---------------------------------------------------------------

const fields = {
  slug: slug("Slug of the webhook, unique in the organization", "github-deployments"),
  name: z.string().min(1).max(256).openapi({ description: "Display name", example: "GitHub deployments" }),
  description: z
    .string()
    .max(2048)
    .openapi({ description: "What the webhook is for", example: "Deployments of the payments repositories" }),
  provider: z.enum(WEBHOOK_PROVIDERS).openapi({
    description:
      "Who signs the deliveries: github (X-Hub-Signature-256), pagerduty (X-PagerDuty-Signature v1) or generic (X-Imbi-Signature t=…,v1=…)",
    example: "github",
  }),
  identifier_source: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/)
    .openapi({
      description: "The key of the projects' `identifiers` this sender's ids are under",
      example: "github",
    }),
  identifier_selector: z
    .string()
    .max(256)
    .regex(/^(\/[^/]*)+$/)
    .openapi({
      description: "JSON Pointer into the body to the project's external id",
      example: "/repository/id",
    }),
  event_type_selector: z.string().min(1).max(256).openapi({
    description:
      "Where the event type comes from: a header name, or a JSON Pointer into the body (leading `/`); a header that is absent is taken as the literal type",
    example: "X-GitHub-Event",
  }),
  sender_selector: z
    .string()
    .max(256)
    .regex(/^$|^(\/[^/]*)+$/)
    .openapi({
      description: "JSON Pointer to who caused the delivery (recorded as performed_by); empty for none",
      example: "/sender/login",
    }),
  service_account: slug(
    "The service account the rules run as (a member of the organization)",
    "github-gateway",
  ),
  rules: z.array(RuleSchema).max(50).openapi({ description: "The rules, run in this order", example: [] }),
  active: z.boolean().openapi({ description: "Inactive webhooks answer 404 to deliveries", example: true }),
};

export const WebhookSchema = z
  .object({
    id: z.string().openapi({
      description: "Id of the webhook (the receiver's path)",
      example: "whk_V1StGXR8Z5jdHi6BmyT0a",
    }),
    path: z.string().openapi({
      description: "Where the sender posts, under the API prefix",
      example: "/webhooks/whk_V1StGXR8Z5jdHi6BmyT0a",
    }),
    ...fields,
    created_by: z.string().openapi({ description: "Who created it", example: "ada@example.com" }),
    created_at: timestamp("webhook was created"),
    updated_at: timestamp("webhook was last changed"),
  })
  .openapi("InboundWebhook");

export const WebhookWithSecretSchema = WebhookSchema.extend({
  secret: z.string().openapi({
    description:
      "The secret deliveries are signed with, shown only in this answer: give it to the sender now",
    example: "5d3c1f8e0a9b4c7d2e6f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d",
  }),
}).openapi("InboundWebhookWithSecret");

export const WebhookPageSchema = pageOf(WebhookSchema, "InboundWebhookPage");

export const CreateWebhookSchema = z
  .object({
    slug: fields.slug,
    name: fields.name,
    service_account: fields.service_account,
    description: fields.description.optional(),
    provider: fields.provider
      .optional()
      .openapi({ description: "Who signs the deliveries (default github)", example: "github" }),
    identifier_source: fields.identifier_source.optional(),
    identifier_selector: fields.identifier_selector.optional(),
    event_type_selector: fields.event_type_selector.optional(),
    sender_selector: fields.sender_selector.optional(),
    rules: fields.rules.optional(),
    active: fields.active.optional(),
    secret: z.string().min(16).max(256).optional().openapi({
      description:
        "The secret to use when the sender makes its own; generated (32 random bytes, hex) when absent",
      example: "a-secret-of-at-least-16-characters",
    }),
  })
  .strict()
  .openapi("CreateInboundWebhook");

// ---- Deliveries -------------------------------------------------------------

const OutcomeSchema = z
  .object({
    project: z.string().openapi({ description: "The project's id", example: "V1StGXR8_Z5jdHi6B-myT" }),
    rule: z.string().openapi({ description: "The rule's name", example: "Record deployments" }),
    rule_index: z
      .number()
      .int()
      .openapi({ description: "The rule's place in the list when it ran", example: 0 }),
    action: z.string().openapi({ description: "The rule's action", example: "record_deployment" }),
    status: z.enum(["succeeded", "skipped", "failed"]).openapi({
      description:
        "succeeded; skipped (the delivery lacks what the action needs, or it was already done); failed",
      example: "succeeded",
    }),
    retryable: z.boolean().openapi({ description: "A failure that is retried with backoff", example: false }),
    duration_ms: z.number().int().openapi({ description: "How long the action took", example: 12 }),
    detail: z.string().openapi({
      description: "What it did, or why it skipped or failed",
      example: "recorded deployment 8dJk2mQpX0aZ7cV1bN8yT (success)",
    }),
  })
  .openapi("InboundWebhookRuleOutcome");

export const WebhookDeliverySchema = z
  .object({
    id: z
      .string()
      .openapi({ description: "Imbi's id of the delivery", example: "whd_4fK2m9QxP0aZ7cV1bN8yT" }),
    seq: z.number().int().openapi({ description: "Order of arrival", example: 7 }),
    external_id: z.string().nullable().openapi({
      description:
        "The sender's delivery id (X-GitHub-Delivery, X-Webhook-Id, X-Imbi-Delivery): redeliveries of it are not rerun",
      example: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    }),
    event_type: z
      .string()
      .openapi({ description: "The event type, by the webhook's selector", example: "deployment_status" }),
    status: z.enum(RECEIPT_STATUSES).openapi({
      description:
        "pending (waiting, or retrying a failed rule), processed, or dead (retries ran out: replay it)",
      example: "processed",
    }),
    attempts: z.number().int().openapi({ description: "Processing attempts so far", example: 1 }),
    next_attempt_at: z
      .string()
      .nullable()
      .openapi({ description: "When a pending delivery is processed next", example: null }),
    matched_projects: z.array(z.string()).openapi({
      description: "Ids of the projects the identifier matched",
      example: ["V1StGXR8_Z5jdHi6B-myT"],
    }),
    outcomes: z.array(OutcomeSchema).openapi({ description: "What each matching rule did, per project" }),
    last_error: z.string().nullable().openapi({
      description: "Why nothing ran (no identifier, inactive webhook) or why it is retried",
      example: null,
    }),
    received_at: timestamp("delivery was received"),
    processed_at: z
      .string()
      .nullable()
      .openapi({ description: "When processing finished", example: "2024-05-01T12:00:01.000Z" }),
    headers: z.record(z.string(), z.string()).openapi({
      description: "The request's headers, lower-cased; signatures and credentials redacted",
      example: { "x-github-event": "deployment_status", "x-hub-signature-256": "[redacted]" },
    }),
    payload: z.unknown().openapi({ description: "The body as received", example: { action: "created" } }),
  })
  .openapi("InboundWebhookDelivery");

export const WebhookDeliveryPageSchema = pageOf(WebhookDeliverySchema, "InboundWebhookDeliveryPage");
