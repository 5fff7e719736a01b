import { createRoute } from "@hono/zod-openapi";
import { deleteRelationship } from "../../../lib/catalog/dependency_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { RelationshipParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteRelationship",
  method: "delete",
  path: "/organizations/{org}/projects/{id}/relationships/{targetId}",
  tags: ["graph"],
  summary: "Remove a dependency between two projects",
  description:
    "Deletes `(id)-[:DEPENDS_ON]->(targetId)`; 404 when there is no such edge. Needs project:write.",
  ...verbAccess(deleteRelationship),
  request: { params: RelationshipParamSchema },
  responses: {
    204: { description: "The dependency was removed" },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { id, targetId } = c.req.valid("param");
  await deleteRelationship(ctxOf(c), { id, targetId });
  return c.body(null, 204);
};
