import { createRoute } from "@hono/zod-openapi";
import { archiveProject } from "../../../lib/catalog/project_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { ProjectParamSchema, ProjectSchema } from "../schemas.ts";
import { withProjectEtag } from "../support.ts";

export const route = createRoute({
  operationId: "archiveProject",
  method: "post",
  path: "/organizations/{org}/projects/{id}/archive",
  tags: ["projects"],
  summary: "Archive a project",
  description: "Archives the project (hidden from lists unless archived=true|all); idempotent.",
  ...verbAccess(archiveProject),
  request: { params: ProjectParamSchema },
  responses: {
    200: { description: "The project", content: { "application/json": { schema: ProjectSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const project = await archiveProject(ctxOf(c), { id: c.req.valid("param").id });
  return c.json(await withProjectEtag(c, project), 200);
};
