import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { CascadeQuerySchema } from "../../../lib/http/fields.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteOrganization } from "../../../lib/identity/organization_verbs.ts";
import { OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteOrganization",
  method: "delete",
  path: "/organizations/{org}",
  tags: ["orgs"],
  summary: "Delete an organization",
  description:
    "Deletes the organization and its memberships; 409 (listing what) while it still owns teams, projects " +
    "or other entities, unless `cascade=true`, which deletes all of them with it in one transaction. " +
    "Needs organization:delete in that organization.",
  ...verbAccess(deleteOrganization),
  request: { params: OrgParamSchema, query: CascadeQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteOrganization(ctxOf(c), { cascade: c.req.valid("query").cascade === "true" });
  return c.body(null, 204);
};
