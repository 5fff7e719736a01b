import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getOrganization } from "../../../lib/identity/organizations.ts";
import { OrganizationSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getOrganization",
  method: "get",
  path: "/organizations/{org}",
  tags: ["orgs"],
  summary: "Get an organization",
  description: "Needs organization:read in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["organization:read"],
  request: { params: OrgParamSchema },
  responses: {
    200: { description: "The organization", content: { "application/json": { schema: OrganizationSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  await requirePermission(c, "organization:read", org);
  return c.json(await withEtag(c, await getOrganization(c.get("services").graph, org)), 200);
};
