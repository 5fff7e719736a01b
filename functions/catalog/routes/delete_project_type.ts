import { createRoute } from "@hono/zod-openapi";
import { deleteProjectType } from "../../../lib/catalog/project_type_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
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
  ...verbAccess(deleteProjectType),
  request: { params: ProjectTypeParamSchema, query: NoQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteProjectType(ctxOf(c), { project_type: c.req.valid("param").project_type });
  return c.body(null, 204);
};
