import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import { CascadeQuerySchema } from "../../../lib/http/fields.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteOrganization } from "../../../lib/identity/organizations.ts";
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
  security: [{ bearer: [] }],
  "x-imbi-permission": ["organization:delete"],
  request: { params: OrgParamSchema, query: CascadeQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  const actor = await requirePermission(c, "organization:delete", org);
  const s = c.get("services");
  await deleteOrganization(s.graph, org, { cascade: c.req.valid("query").cascade === "true" });
  s.audit({ event: "organization_deleted", actor: actor.email, organization: org, subject: org });
  return c.body(null, 204);
};
