import { createRoute } from "@hono/zod-openapi";
import { updateProject } from "../../../lib/catalog/project_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody } from "../../../lib/http/routes.ts";
import { ProjectParamSchema, ProjectSchema } from "../schemas.ts";
import { withProjectEtag } from "../support.ts";

export const route = createRoute({
  operationId: "updateProject",
  method: "patch",
  path: "/organizations/{org}/projects/{id}",
  tags: ["projects"],
  summary: "Update a project",
  description:
    "JSON Patch over the project document (name, slug, description, team, project_types, environments, " +
    "links, identifiers and blueprint attributes). /id, /org_id, /created_at, /updated_at and /archived " +
    "are read-only (use the archive routes). Attributes are re-validated against the new types' blueprints.",
  ...verbAccess(updateProject),
  request: {
    params: ProjectParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the project document"),
  },
  responses: {
    200: { description: "The updated project", content: { "application/json": { schema: ProjectSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateProject(ctxOf(c), {
    id: c.req.valid("param").id,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withProjectEtag(c, updated), 200);
};
