import { createRoute } from "@hono/zod-openapi";
import { listRelationships } from "../../../lib/catalog/dependency_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { ProjectParamSchema, RelationshipsSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listRelationships",
  method: "get",
  path: "/organizations/{org}/projects/{id}/relationships",
  tags: ["graph"],
  summary: "List a project's direct dependencies and dependents",
  description: "Every DEPENDS_ON edge touching the project, both ways, with counts. Needs project:read.",
  ...verbAccess(listRelationships),
  request: { params: ProjectParamSchema },
  responses: {
    200: {
      description: "The project's edges",
      content: { "application/json": { schema: RelationshipsSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await listRelationships(ctxOf(c), { id: c.req.valid("param").id }), 200);
};
