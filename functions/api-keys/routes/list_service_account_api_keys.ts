import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listServiceAccountApiKeys } from "../../../lib/identity/api_key_verbs.ts";
import { AccountParamSchema, ApiKeyPageSchema, ListApiKeysQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listServiceAccountApiKeys",
  method: "get",
  path: "/service-accounts/{slug}/api-keys",
  tags: ["api-keys"],
  summary: "List a service account's API keys",
  description:
    "The account's API keys, newest first, with their status (revoked and expired keys included; never a secret). Needs service_account:read globally (an administrator, or a role in the system organization); an unknown account is a 404.",
  ...verbAccess(listServiceAccountApiKeys),
  request: { params: AccountParamSchema, query: ListApiKeysQuerySchema },
  responses: {
    200: { description: "One page of keys", content: { "application/json": { schema: ApiKeyPageSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listServiceAccountApiKeys(ctxOf(c), {
    ...c.req.valid("param"),
    limit: q.limit,
    cursor: q.cursor,
  });
  return c.json(linkNext(c, page, q.limit), 200);
};
