import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
import { createSubscription } from "../../../lib/webhooks/subscription_verbs.ts";
import { CreateSubscriptionSchema, OrgParamSchema, SubscriptionWithSecretSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createSubscription",
  method: "post",
  path: "/organizations/{org}/subscriptions",
  tags: ["subscriptions"],
  summary: "Subscribe a URL to the organization's change events",
  description:
    "Every change event of the organization that passes the filter (project, operations-log and score events) is POSTed to the URL as JSON signed with Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`), at least once and in order per project. The answer holds the signing secret (`whsec_…`), shown only now. The URL must be https to a public address: private, loopback, link-local and reserved addresses — as IP literals or as what the host name resolves to — are a 400 unless the development allowance IMBI_WEBHOOKS_ALLOW_PRIVATE_TARGETS is on. Needs subscription:create in that organization.",
  ...verbAccess(createSubscription),
  request: {
    params: OrgParamSchema,
    body: {
      description: "The URL and its event filter",
      required: true,
      content: { "application/json": { schema: CreateSubscriptionSchema } },
    },
  },
  responses: {
    201: {
      description: "Created; the secret is in this answer only",
      content: { "application/json": { schema: SubscriptionWithSecretSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const created = await createSubscription(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "organizations", c.req.valid("param").org, "subscriptions", created.id));
  c.header("Cache-Control", "no-store");
  return c.json(created, 201);
};
