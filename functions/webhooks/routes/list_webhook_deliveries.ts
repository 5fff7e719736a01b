import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listWebhookDeliveries } from "../../../lib/webhooks/webhook_verbs.ts";
import {
  ListWebhookDeliveriesQuerySchema,
  WebhookDeliveryPageSchema,
  WebhookParamSchema,
} from "../schemas.ts";

export const route = createRoute({
  operationId: "listWebhookDeliveries",
  method: "get",
  path: "/organizations/{org}/webhooks/{webhook}/deliveries",
  tags: ["webhooks"],
  summary: "An inbound webhook's delivery log",
  description:
    "What the webhook received, newest first: the event type, redacted headers, the body, the projects matched and what each rule did (succeeded, skipped with why, failed with the error, and how long it took). `status=dead` lists deliveries whose retries ran out. Processed deliveries are kept IMBI_WEBHOOKS_RECEIPT_RETENTION_DAYS days. Needs webhook:read in that organization.",
  ...verbAccess(listWebhookDeliveries),
  request: { params: WebhookParamSchema, query: ListWebhookDeliveriesQuerySchema },
  responses: {
    200: {
      description: "One page of deliveries",
      content: { "application/json": { schema: WebhookDeliveryPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listWebhookDeliveries(ctxOf(c), { ...q, ...c.req.valid("param") });
  return c.json(linkNext(c, page, q.limit), 200);
};
