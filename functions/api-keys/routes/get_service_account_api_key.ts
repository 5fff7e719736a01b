import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getServiceAccountApiKey } from "../../../lib/identity/api_key_verbs.ts";
import { AccountKeyParamSchema, ApiKeySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getServiceAccountApiKey",
  method: "get",
  path: "/service-accounts/{slug}/api-keys/{key_id}",
  tags: ["api-keys"],
  summary: "Get one of a service account's API keys",
  description:
    "One API key of the account (never its secret). Needs service_account:read globally (an administrator, or a role in the system organization); an unknown account is a 404.",
  ...verbAccess(getServiceAccountApiKey),
  request: { params: AccountKeyParamSchema },
  responses: {
    200: { description: "The key", content: { "application/json": { schema: ApiKeySchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await getServiceAccountApiKey(ctxOf(c), c.req.valid("param")), 200);
};
