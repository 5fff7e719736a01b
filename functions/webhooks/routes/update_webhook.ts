import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { updateWebhook } from "../../../lib/webhooks/webhook_verbs.ts";
import { WebhookParamSchema, WebhookSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateWebhook",
  method: "patch",
  path: "/organizations/{org}/webhooks/{webhook}",
  tags: ["webhooks"],
  summary: "Update an inbound webhook or its rules",
  description:
    "JSON Patch over slug, name, description, provider, the selectors, service_account, active and `rules` (e.g. `{op: add, path: /rules/-, value: {...}}` appends a rule, `/rules/0` is the first). Rules are checked again; a new service account is checked like on create. With If-Match the patch applies only to that version (412 otherwise). Needs webhook:update in that organization.",
  ...verbAccess(updateWebhook),
  request: {
    params: WebhookParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the webhook's writable fields"),
  },
  responses: {
    200: { description: "The updated webhook", content: { "application/json": { schema: WebhookSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateWebhook(ctxOf(c), {
    webhook: c.req.valid("param").webhook,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
