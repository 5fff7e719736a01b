import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getSubscription } from "../../../lib/webhooks/subscription_verbs.ts";
import { NoQuerySchema, SubscriptionParamSchema, SubscriptionSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getSubscription",
  method: "get",
  path: "/organizations/{org}/subscriptions/{subscription}",
  tags: ["subscriptions"],
  summary: "Get a webhook subscription",
  description:
    "One subscription with its filter and circuit-breaker state; the secret is never shown (rotate it to get a new one). Needs subscription:read in that organization.",
  ...verbAccess(getSubscription),
  request: { params: SubscriptionParamSchema, query: NoQuerySchema },
  responses: {
    200: { description: "The subscription", content: { "application/json": { schema: SubscriptionSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const sub = await getSubscription(ctxOf(c), c.req.valid("param"));
  return c.json(await withEtag(c, sub), 200);
};
