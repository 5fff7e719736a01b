import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { replayWebhookDelivery } from "../../../lib/webhooks/webhook_verbs.ts";
import { WebhookDeliveryParamSchema, WebhookDeliverySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "replayWebhookDelivery",
  method: "post",
  path: "/organizations/{org}/webhooks/{webhook}/deliveries/{delivery}/replay",
  tags: ["webhooks"],
  summary: "Replay a received delivery",
  description:
    "Runs the webhook's current rules again on the stored body (after fixing a rule, or the service account's role), as a new round of attempts. Actions are idempotent where the data allows (an existing release is skipped, a CI run already recorded is updated in place). 409 while the delivery is still pending. Needs webhook:update in that organization.",
  ...verbAccess(replayWebhookDelivery),
  request: { params: WebhookDeliveryParamSchema },
  responses: {
    202: {
      description: "Queued again; read the delivery for its outcome",
      content: { "application/json": { schema: WebhookDeliverySchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await replayWebhookDelivery(ctxOf(c), c.req.valid("param")), 202);
};
