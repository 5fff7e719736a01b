import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { deleteProjectType } from "../../../lib/catalog/project_types.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { NoQuerySchema, ProjectTypeParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteProjectType",
  method: "delete",
  path: "/organizations/{org}/project-types/{project_type}",
  tags: ["catalog"],
  summary: "Delete a project type",
  description:
    "Deletes the project type. 409 while any project has it; there is no cascade because a project must keep at least one type. Needs project_type:delete in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project_type:delete"],
  request: { params: ProjectTypeParamSchema, query: NoQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, project_type } = c.req.valid("param");
  const actor = await requirePermission(c, "project_type:delete", org);
  const s = c.get("services");
  await deleteProjectType(s.graph, await resolveOrg(s.graph, org), project_type);
  s.audit({ event: "project_type_deleted", actor: actor.email, organization: org, subject: project_type });
  return c.body(null, 204);
};
