import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { redeliverSubscriptionDelivery } from "../../../lib/webhooks/subscription_verbs.ts";
import { DeliveryParamSchema, DeliverySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "redeliverSubscriptionDelivery",
  method: "post",
  path: "/organizations/{org}/subscriptions/{subscription}/deliveries/{delivery}/redeliver",
  tags: ["subscriptions"],
  summary: "Redeliver a delivery",
  description:
    "Sends a dead-lettered (or already delivered) delivery again: it becomes pending with fresh attempts and the same `webhook-id`, and the subscription's circuit closes. A delivery still pending is a 409. Needs subscription:update in that organization.",
  ...verbAccess(redeliverSubscriptionDelivery),
  request: { params: DeliveryParamSchema },
  responses: {
    202: {
      description: "Queued for delivery",
      content: { "application/json": { schema: DeliverySchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await redeliverSubscriptionDelivery(ctxOf(c), c.req.valid("param")), 202);
};
