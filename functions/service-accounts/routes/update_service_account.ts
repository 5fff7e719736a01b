import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { updateServiceAccount } from "../../../lib/identity/service_account_verbs.ts";
import { AccountParamSchema, ServiceAccountDetailSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateServiceAccount",
  method: "patch",
  path: "/service-accounts/{slug}",
  tags: ["service-accounts"],
  summary: "Update a service account",
  description:
    "JSON Patch over display_name, description and is_active (deactivating refuses its tokens at once). " +
    "Needs service_account:update globally.",
  ...verbAccess(updateServiceAccount),
  request: {
    params: AccountParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the account's writable fields"),
  },
  responses: {
    200: {
      description: "The updated service account",
      content: { "application/json": { schema: ServiceAccountDetailSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateServiceAccount(ctxOf(c), {
    slug: c.req.valid("param").slug,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
