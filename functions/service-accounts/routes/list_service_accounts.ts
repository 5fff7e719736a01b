import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listServiceAccounts } from "../../../lib/identity/service_account_verbs.ts";
import { ListServiceAccountsQuerySchema, ServiceAccountPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listServiceAccounts",
  method: "get",
  path: "/service-accounts",
  tags: ["service-accounts"],
  summary: "List service accounts",
  description:
    "Every service account, ordered by slug. Needs service_account:read globally (an administrator, or a role in the system organization).",
  ...verbAccess(listServiceAccounts),
  request: { query: ListServiceAccountsQuerySchema },
  responses: {
    200: {
      description: "One page of service accounts",
      content: { "application/json": { schema: ServiceAccountPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listServiceAccounts(ctxOf(c), {
    limit: q.limit,
    cursor: q.cursor,
    active: q.is_active === undefined ? undefined : q.is_active === "true",
  });
  return c.json(linkNext(c, page, q.limit), 200);
};
