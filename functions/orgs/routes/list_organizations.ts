import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listOrganizations } from "../../../lib/identity/organization_verbs.ts";
import { OrganizationPageSchema, PageOnlyQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listOrganizations",
  method: "get",
  path: "/organizations",
  tags: ["orgs"],
  summary: "List organizations",
  description:
    "With organization:read globally (an administrator, or a role in the system organization) every " +
    "organization; otherwise the organizations you hold organization:read in (403 when none).",
  ...verbAccess(listOrganizations),
  request: { query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of organizations",
      content: { "application/json": { schema: OrganizationPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listOrganizations(ctxOf(c), q), q.limit), 200);
};
