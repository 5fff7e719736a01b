import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getWebhook } from "../../../lib/webhooks/webhook_verbs.ts";
import { WebhookParamSchema, WebhookSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getWebhook",
  method: "get",
  path: "/organizations/{org}/webhooks/{webhook}",
  tags: ["webhooks"],
  summary: "Get an inbound webhook",
  description:
    "One webhook by slug or id, with its selectors and rules (never its secret) and an ETag for conditional updates. Needs webhook:read in that organization.",
  ...verbAccess(getWebhook),
  request: { params: WebhookParamSchema },
  responses: {
    200: { description: "The webhook", content: { "application/json": { schema: WebhookSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await withEtag(c, await getWebhook(ctxOf(c), c.req.valid("param"))), 200);
};
