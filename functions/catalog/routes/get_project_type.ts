import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { getProjectType } from "../../../lib/catalog/project_types.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { ProjectTypeParamSchema, ProjectTypeSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getProjectType",
  method: "get",
  path: "/organizations/{org}/project-types/{project_type}",
  tags: ["catalog"],
  summary: "Get a project type",
  description: "Needs project_type:read in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project_type:read"],
  request: { params: ProjectTypeParamSchema },
  responses: {
    200: { description: "The project type", content: { "application/json": { schema: ProjectTypeSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, project_type } = c.req.valid("param");
  await requirePermission(c, "project_type:read", org);
  const { graph } = c.get("services");
  return c.json(
    await withEtag(c, await getProjectType(graph, await resolveOrg(graph, org), project_type)),
    200,
  );
};
