import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listSubscriptions } from "../../../lib/webhooks/subscription_verbs.ts";
import { OrgParamSchema, PageOnlyQuerySchema, SubscriptionPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listSubscriptions",
  method: "get",
  path: "/organizations/{org}/subscriptions",
  tags: ["subscriptions"],
  summary: "List webhook subscriptions",
  description:
    "The organization's outbound webhook subscriptions by id, with their circuit-breaker state; secrets are never shown. Needs subscription:read in that organization.",
  ...verbAccess(listSubscriptions),
  request: { params: OrgParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of subscriptions",
      content: { "application/json": { schema: SubscriptionPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listSubscriptions(ctxOf(c), q), q.limit), 200);
};
