import { createRoute } from "@hono/zod-openapi";
import { getProjectType } from "../../../lib/catalog/project_type_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
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
  ...verbAccess(getProjectType),
  request: { params: ProjectTypeParamSchema },
  responses: {
    200: { description: "The project type", content: { "application/json": { schema: ProjectTypeSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const found = await getProjectType(ctxOf(c), { project_type: c.req.valid("param").project_type });
  return c.json(await withEtag(c, found), 200);
};
