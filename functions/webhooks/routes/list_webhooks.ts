import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listWebhooks } from "../../../lib/webhooks/webhook_verbs.ts";
import { OrgParamSchema, PageOnlyQuerySchema, WebhookPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listWebhooks",
  method: "get",
  path: "/organizations/{org}/webhooks",
  tags: ["webhooks"],
  summary: "List inbound webhooks",
  description:
    "The organization's inbound webhooks by slug, with their selectors and rules; secrets are never shown. Needs webhook:read in that organization.",
  ...verbAccess(listWebhooks),
  request: { params: OrgParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of webhooks",
      content: { "application/json": { schema: WebhookPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listWebhooks(ctxOf(c), q), q.limit), 200);
};
