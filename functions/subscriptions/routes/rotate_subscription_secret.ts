import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { rotateSubscriptionSecret } from "../../../lib/webhooks/subscription_verbs.ts";
import { SubscriptionParamSchema, SubscriptionWithSecretSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "rotateSubscriptionSecret",
  method: "post",
  path: "/organizations/{org}/subscriptions/{subscription}/rotate-secret",
  tags: ["subscriptions"],
  summary: "Rotate a subscription's signing secret",
  description:
    "Replaces the signing secret; the answer holds the new one, shown only now. Every attempt from now on (retries of earlier deliveries too) is signed with it. Needs subscription:update in that organization.",
  ...verbAccess(rotateSubscriptionSecret),
  request: { params: SubscriptionParamSchema },
  responses: {
    200: {
      description: "The subscription with its new secret",
      content: { "application/json": { schema: SubscriptionWithSecretSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const rotated = await rotateSubscriptionSecret(ctxOf(c), c.req.valid("param"));
  c.header("Cache-Control", "no-store");
  return c.json(rotated, 200);
};
