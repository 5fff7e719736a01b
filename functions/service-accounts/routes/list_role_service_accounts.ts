import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext, PageQuerySchema } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listRoleServiceAccounts } from "../../../lib/identity/service_account_verbs.ts";
import { RoleParamSchema, RoleServiceAccountPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listRoleServiceAccounts",
  method: "get",
  path: "/roles/{slug}/service-accounts",
  tags: ["service-accounts"],
  summary: "Service accounts holding a role",
  description:
    "One entry per (account, organization) where the account holds this role, ordered by slug. Needs role:read in any organization.",
  ...verbAccess(listRoleServiceAccounts),
  request: { params: RoleParamSchema, query: PageQuerySchema.strict() },
  responses: {
    200: {
      description: "One page of service accounts",
      content: { "application/json": { schema: RoleServiceAccountPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listRoleServiceAccounts(ctxOf(c), { ...q, slug: c.req.valid("param").slug });
  return c.json(linkNext(c, page, q.limit), 200);
};
