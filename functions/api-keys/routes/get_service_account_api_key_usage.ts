import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getServiceAccountApiKeyUsage } from "../../../lib/identity/api_key_verbs.ts";
import { AccountKeyParamSchema, ApiKeyUsageSchema, UsageQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getServiceAccountApiKeyUsage",
  method: "get",
  path: "/service-accounts/{slug}/api-keys/{key_id}/usage",
  tags: ["api-keys"],
  summary: "Usage of one of a service account's API keys",
  description:
    "Requests authenticated by the key, per UTC day, operation (path template), method and status, over days `from`..`to` (inclusive; default the last 30 days; at most 366). Needs service_account:read globally (an administrator, or a role in the system organization); an unknown account is a 404.",
  ...verbAccess(getServiceAccountApiKeyUsage),
  request: { params: AccountKeyParamSchema, query: UsageQuerySchema },
  responses: {
    200: { description: "Request counts", content: { "application/json": { schema: ApiKeyUsageSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(
    await getServiceAccountApiKeyUsage(ctxOf(c), { ...c.req.valid("param"), ...c.req.valid("query") }),
    200,
  );
};
