import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listSubscriptionDeliveries } from "../../../lib/webhooks/subscription_verbs.ts";
import { DeliveryPageSchema, ListDeliveriesQuerySchema, SubscriptionParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listSubscriptionDeliveries",
  method: "get",
  path: "/organizations/{org}/subscriptions/{subscription}/deliveries",
  tags: ["subscriptions"],
  summary: "A subscription's delivery log",
  description:
    "Deliveries of the subscription, newest first: the event as sent, attempts, the last HTTP status or error, when it is tried next. `status=dead` lists the dead letters (attempts exhausted), which can be redelivered. Needs subscription:read in that organization.",
  ...verbAccess(listSubscriptionDeliveries),
  request: { params: SubscriptionParamSchema, query: ListDeliveriesQuerySchema },
  responses: {
    200: {
      description: "One page of deliveries",
      content: { "application/json": { schema: DeliveryPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listSubscriptionDeliveries(ctxOf(c), { ...q, ...c.req.valid("param") });
  return c.json(linkNext(c, page, q.limit), 200);
};
