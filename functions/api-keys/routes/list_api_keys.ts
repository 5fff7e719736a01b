import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listApiKeys } from "../../../lib/identity/api_key_verbs.ts";
import { ApiKeyPageSchema, ListApiKeysQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listApiKeys",
  method: "get",
  path: "/api-keys",
  tags: ["api-keys"],
  summary: "List your API keys",
  description:
    "Your API keys, newest first, with their status (revoked and expired keys included; never a secret). Your own keys only (a user's or a service account's, whichever calls); another owner's key answers 404.",
  ...verbAccess(listApiKeys),
  request: { query: ListApiKeysQuerySchema },
  responses: {
    200: { description: "One page of keys", content: { "application/json": { schema: ApiKeyPageSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listApiKeys(ctxOf(c), { limit: q.limit, cursor: q.cursor });
  return c.json(linkNext(c, page, q.limit), 200);
};
