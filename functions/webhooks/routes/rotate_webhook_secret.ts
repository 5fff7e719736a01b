import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { rotateWebhookSecret } from "../../../lib/webhooks/webhook_verbs.ts";
import { WebhookParamSchema, WebhookWithSecretSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "rotateWebhookSecret",
  method: "post",
  path: "/organizations/{org}/webhooks/{webhook}/rotate-secret",
  tags: ["webhooks"],
  summary: "Give an inbound webhook a new secret",
  description:
    "Generates a new secret, returned only in this answer; deliveries signed with the old one are refused (401) from now on, so update the sender right away. Needs webhook:update in that organization.",
  ...verbAccess(rotateWebhookSecret),
  request: { params: WebhookParamSchema },
  responses: {
    200: {
      description: "The webhook with its new secret",
      content: { "application/json": { schema: WebhookWithSecretSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(await rotateWebhookSecret(ctxOf(c), c.req.valid("param")), 200);
};
