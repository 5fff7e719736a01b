import { createRoute } from "@hono/zod-openapi";
import { deleteProject } from "../../../lib/catalog/project_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema } from "../../../lib/http/routes.ts";
import { ProjectParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteProject",
  method: "delete",
  path: "/organizations/{org}/projects/{id}",
  tags: ["projects"],
  summary: "Delete a project",
  description: "Deletes the project and every edge touching it, including dependencies.",
  ...verbAccess(deleteProject),
  request: { params: ProjectParamSchema, headers: IfMatchHeaderSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteProject(ctxOf(c), { id: c.req.valid("param").id, ifMatch: c.req.valid("header")["if-match"] });
  return c.body(null, 204);
};
