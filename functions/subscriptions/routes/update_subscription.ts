import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { updateSubscription } from "../../../lib/webhooks/subscription_verbs.ts";
import { SubscriptionParamSchema, SubscriptionSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateSubscription",
  method: "patch",
  path: "/organizations/{org}/subscriptions/{subscription}",
  tags: ["subscriptions"],
  summary: "Update a webhook subscription",
  description:
    "JSON Patch over url (checked again like on create), description, entity_types, actions, projects, teams and active. Re-activating a subscription closes its circuit. Needs subscription:update in that organization.",
  ...verbAccess(updateSubscription),
  request: {
    params: SubscriptionParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the subscription's writable fields"),
  },
  responses: {
    200: {
      description: "The updated subscription",
      content: { "application/json": { schema: SubscriptionSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateSubscription(ctxOf(c), {
    subscription: c.req.valid("param").subscription,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
