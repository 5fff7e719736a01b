import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
import { createWebhook } from "../../../lib/webhooks/webhook_verbs.ts";
import { CreateWebhookSchema, OrgParamSchema, WebhookWithSecretSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createWebhook",
  method: "post",
  path: "/organizations/{org}/webhooks",
  tags: ["webhooks"],
  summary: "Create an inbound webhook",
  description:
    "A URL (`path`, under the API prefix) a sender such as GitHub posts signed deliveries to, and the ordered rules that turn them into releases, deployments, project updates and operations-log entries. Selectors default per provider (github: `/repository/id` under the `github` identifiers, the X-GitHub-Event header, `/sender/login`). The rules run as `service_account`, which must be a member of the organization; naming it needs service_account:update globally. Every rule is checked (CEL parses, config has the action's keys): a bad one is a 400 naming it. The answer holds the secret, shown only now. Needs webhook:create in that organization.",
  ...verbAccess(createWebhook),
  request: {
    params: OrgParamSchema,
    body: {
      description: "The webhook, its selectors and rules",
      required: true,
      content: { "application/json": { schema: CreateWebhookSchema } },
    },
  },
  responses: {
    201: {
      description: "Created; the secret is in this answer only",
      content: { "application/json": { schema: WebhookWithSecretSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const created = await createWebhook(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "organizations", c.req.valid("param").org, "webhooks", created.slug));
  c.header("Cache-Control", "no-store");
  return c.json(created, 201);
};
