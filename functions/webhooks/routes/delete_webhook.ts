import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteWebhook } from "../../../lib/webhooks/webhook_verbs.ts";
import { WebhookParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteWebhook",
  method: "delete",
  path: "/organizations/{org}/webhooks/{webhook}",
  tags: ["webhooks"],
  summary: "Delete an inbound webhook",
  description:
    "Deletes the webhook, its rules and its received deliveries; its URL answers 404 from now on. Needs webhook:delete in that organization.",
  ...verbAccess(deleteWebhook),
  request: { params: WebhookParamSchema },
  responses: { 204: { description: "Deleted" }, ...openApiErrorResponses, ...openApiWriteErrorResponses },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteWebhook(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
