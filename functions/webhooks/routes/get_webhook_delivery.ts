import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getWebhookDelivery } from "../../../lib/webhooks/webhook_verbs.ts";
import { WebhookDeliveryParamSchema, WebhookDeliverySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getWebhookDelivery",
  method: "get",
  path: "/organizations/{org}/webhooks/{webhook}/deliveries/{delivery}",
  tags: ["webhooks"],
  summary: "One received delivery",
  description:
    "A delivery with its body, redacted headers, matched projects and every rule's outcome. Needs webhook:read in that organization.",
  ...verbAccess(getWebhookDelivery),
  request: { params: WebhookDeliveryParamSchema },
  responses: {
    200: { description: "The delivery", content: { "application/json": { schema: WebhookDeliverySchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await getWebhookDelivery(ctxOf(c), c.req.valid("param")), 200);
};
