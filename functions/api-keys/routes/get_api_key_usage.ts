import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getApiKeyUsage } from "../../../lib/identity/api_key_verbs.ts";
import { ApiKeyUsageSchema, KeyParamSchema, UsageQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getApiKeyUsage",
  method: "get",
  path: "/api-keys/{key_id}/usage",
  tags: ["api-keys"],
  summary: "Usage of one of your API keys",
  description:
    "Requests authenticated by the key, per UTC day, operation (path template), method and status, over days `from`..`to` (inclusive; default the last 30 days; at most 366). Your own keys only (a user's or a service account's, whichever calls); another owner's key answers 404.",
  ...verbAccess(getApiKeyUsage),
  request: { params: KeyParamSchema, query: UsageQuerySchema },
  responses: {
    200: { description: "Request counts", content: { "application/json": { schema: ApiKeyUsageSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await getApiKeyUsage(ctxOf(c), { ...c.req.valid("param"), ...c.req.valid("query") }), 200);
};
