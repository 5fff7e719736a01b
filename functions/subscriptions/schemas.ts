import { z } from "@hono/zod-openapi";
import { slug, timestamp } from "../../lib/http/fields.ts";
import { PageQuerySchema, pageOf } from "../../lib/http/pagination.ts";
import { DELIVERY_STATUSES } from "../../lib/webhooks/deliveries.ts";
import { EVENT_ACTIONS, EVENT_ENTITY_TYPES } from "../../lib/webhooks/events.ts";

// ---- Parameters -------------------------------------------------------------

const OrgSlugParam = slug("Slug of the organization", "acme").openapi({ param: { in: "path", name: "org" } });
const SubscriptionIdParam = z
  .string()
  .min(1)
  .max(64)
  .openapi({
    description: "Id of the subscription",
    example: "sub_3k9x0q2m7v1c8b5n4z6a0",
    param: { in: "path", name: "subscription" },
  });

export const OrgParamSchema = z.object({ org: OrgSlugParam });
export const SubscriptionParamSchema = z.object({ org: OrgSlugParam, subscription: SubscriptionIdParam });
export const DeliveryParamSchema = SubscriptionParamSchema.extend({
  delivery: z
    .string()
    .min(1)
    .max(64)
    .openapi({
      description: "Id of the delivery (its `webhook-id`)",
      example: "msg_2Zy8Qm4kT0bV6nW1cX3rP9sL",
      param: { in: "path", name: "delivery" },
    }),
});

export const PageOnlyQuerySchema = PageQuerySchema.strict();
export const NoQuerySchema = z.object({}).strict();

export const ListDeliveriesQuerySchema = PageQuerySchema.extend({
  status: z.enum(DELIVERY_STATUSES).optional().openapi({
    description: "Only deliveries in this state; `dead` lists the dead letters",
    example: "dead",
  }),
}).strict();

// ---- Subscriptions ----------------------------------------------------------

const Url = z.url().max(2048).openapi({
  description:
    "Where events are POSTed: https, to a public address (private, loopback and link-local targets are refused unless IMBI_WEBHOOKS_ALLOW_PRIVATE_TARGETS is on, which also allows http to loopback)",
  example: "https://hooks.example.com/imbi",
});
const Description = z
  .string()
  .max(1024)
  .openapi({ description: "What the subscription is for (free text)", example: "Deploy dashboard" });
const EntityTypes = z
  .array(z.enum(EVENT_ENTITY_TYPES))
  .max(100)
  .openapi({
    description: "Only events about these entity types; empty: all",
    example: ["project", "score"],
  });
const Actions = z
  .array(z.enum(EVENT_ACTIONS))
  .max(100)
  .openapi({ description: "Only events with these actions; empty: all", example: ["created", "updated"] });
const Projects = z
  .array(z.string().min(1).max(64))
  .max(100)
  .openapi({
    description: "Only events of these project ids; empty: all",
    example: ["V1StGXR8_Z5jdHi6B-myT"],
  });
const Teams = z
  .array(z.string().min(1).max(63))
  .max(100)
  .openapi({
    description:
      "Only events of projects owned by these team slugs (project and score events carry the team); empty: all",
    example: ["platform"],
  });
const Active = z.boolean().openapi({ description: "Whether events are delivered", example: true });

export const SubscriptionSchema = z
  .object({
    id: z.string().openapi({ description: "Id of the subscription", example: "sub_3k9x0q2m7v1c8b5n4z6a0" }),
    url: Url,
    description: Description,
    entity_types: EntityTypes,
    actions: Actions,
    projects: Projects,
    teams: Teams,
    active: Active,
    created_by: z.string().openapi({ description: "Who created it", example: "ada@example.com" }),
    created_at: timestamp("subscription was created"),
    updated_at: timestamp("subscription was last changed"),
    consecutive_failures: z.number().int().openapi({
      description: "Failed attempts in a row (the circuit breaker's count; 0 after a success)",
      example: 0,
    }),
    circuit_open_until: z.string().nullable().openapi({
      description: "While in the future the circuit is open: nothing is sent (deliveries wait)",
      example: null,
    }),
  })
  .openapi("WebhookSubscription");

export const SubscriptionWithSecretSchema = SubscriptionSchema.extend({
  secret: z.string().openapi({
    description:
      "The signing secret (Standard Webhooks `whsec_…`), shown only in this answer: store it now, it cannot be read again",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  }),
}).openapi("WebhookSubscriptionWithSecret");

export const SubscriptionPageSchema = pageOf(SubscriptionSchema, "WebhookSubscriptionPage");

export const CreateSubscriptionSchema = z
  .object({
    url: Url,
    description: Description.optional(),
    entity_types: EntityTypes.optional(),
    actions: Actions.optional(),
    projects: Projects.optional(),
    teams: Teams.optional(),
    active: Active.optional(),
  })
  .strict()
  .openapi("CreateWebhookSubscription");

// ---- Deliveries -------------------------------------------------------------

export const DeliverySchema = z
  .object({
    id: z.string().openapi({
      description: "Id of the delivery, sent as `webhook-id` on every attempt (deduplicate on it)",
      example: "msg_2Zy8Qm4kT0bV6nW1cX3rP9sL",
    }),
    seq: z.number().int().openapi({ description: "Order in which it was queued", example: 42 }),
    event_type: z.string().openapi({ description: "`<entity_type>.<action>`", example: "project.updated" }),
    ordering_key: z.string().openapi({
      description: "The project whose deliveries go out one at a time, in order",
      example: "V1StGXR8_Z5jdHi6B-myT",
    }),
    status: z.enum(DELIVERY_STATUSES).openapi({
      description:
        "pending (waiting or retrying), delivered, or dead (attempts exhausted: redeliver by hand)",
      example: "delivered",
    }),
    attempts: z.number().int().openapi({ description: "Attempts made so far", example: 1 }),
    next_attempt_at: z
      .string()
      .nullable()
      .openapi({ description: "When a pending delivery is tried next", example: null }),
    last_attempt_at: z
      .string()
      .nullable()
      .openapi({ description: "When it was last tried", example: "2024-05-01T12:00:01.000Z" }),
    last_status: z.number().int().nullable().openapi({
      description:
        "The receiver's HTTP status on the last attempt; null when none came (refused, network error, timeout)",
      example: 200,
    }),
    last_error: z.string().nullable().openapi({ description: "Why the last attempt failed", example: null }),
    delivered_at: z
      .string()
      .nullable()
      .openapi({ description: "When the receiver accepted it (2xx)", example: "2024-05-01T12:00:01.000Z" }),
    created_at: timestamp("event was queued for this subscription"),
    payload: z.unknown().openapi({
      description: "The event as sent: `{type, timestamp, data}`",
      example: { type: "project.updated", timestamp: "2024-05-01T12:00:00.000Z", data: {} },
    }),
  })
  .openapi("WebhookDelivery");

export const DeliveryPageSchema = pageOf(DeliverySchema, "WebhookDeliveryPage");
