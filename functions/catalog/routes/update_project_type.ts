import { createRoute } from "@hono/zod-openapi";
import { updateProjectType } from "../../../lib/catalog/project_type_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { ProjectTypeParamSchema, ProjectTypeSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateProjectType",
  method: "patch",
  path: "/organizations/{org}/project-types/{project_type}",
  tags: ["catalog"],
  summary: "Update a project type",
  description:
    "JSON Patch over slug, name, description, deployable, releasable and the blueprint attributes (re-validated against the ProjectType blueprints; a removed attribute is deleted). Needs project_type:update in that organization.",
  ...verbAccess(updateProjectType),
  request: {
    params: ProjectTypeParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the project type's writable fields"),
  },
  responses: {
    200: {
      description: "The updated project type",
      content: { "application/json": { schema: ProjectTypeSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateProjectType(ctxOf(c), {
    project_type: c.req.valid("param").project_type,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
