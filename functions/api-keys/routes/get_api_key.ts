import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getApiKey } from "../../../lib/identity/api_key_verbs.ts";
import { ApiKeySchema, KeyParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getApiKey",
  method: "get",
  path: "/api-keys/{key_id}",
  tags: ["api-keys"],
  summary: "Get one of your API keys",
  description:
    "One of your API keys (never its secret). Your own keys only (a user's or a service account's, whichever calls); another owner's key answers 404.",
  ...verbAccess(getApiKey),
  request: { params: KeyParamSchema },
  responses: {
    200: { description: "The key", content: { "application/json": { schema: ApiKeySchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await getApiKey(ctxOf(c), c.req.valid("param")), 200);
};
