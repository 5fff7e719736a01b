import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getOrganization } from "../../../lib/identity/organization_verbs.ts";
import { OrganizationSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getOrganization",
  method: "get",
  path: "/organizations/{org}",
  tags: ["orgs"],
  summary: "Get an organization",
  description: "Needs organization:read in that organization.",
  ...verbAccess(getOrganization),
  request: { params: OrgParamSchema },
  responses: {
    200: { description: "The organization", content: { "application/json": { schema: OrganizationSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await withEtag(c, await getOrganization(ctxOf(c), {})), 200);
};
