import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteSubscription } from "../../../lib/webhooks/subscription_verbs.ts";
import { NoQuerySchema, SubscriptionParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteSubscription",
  method: "delete",
  path: "/organizations/{org}/subscriptions/{subscription}",
  tags: ["subscriptions"],
  summary: "Delete a webhook subscription",
  description:
    "Deletes the subscription and its delivery log; pending deliveries are dropped. Needs subscription:delete in that organization.",
  ...verbAccess(deleteSubscription),
  request: { params: SubscriptionParamSchema, query: NoQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteSubscription(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
