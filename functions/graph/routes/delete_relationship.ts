import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/auth/middleware.ts";
import { removeDependency } from "../../../lib/catalog/dependencies.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { openApiErrorResponses } from "../../../lib/errors.ts";
import type { AppRouteHandler } from "../../../lib/openapi.ts";
import { onDependencyChange } from "../../../lib/scoring/triggers.ts";
import { RelationshipParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteRelationship",
  method: "delete",
  path: "/organizations/{org}/projects/{id}/relationships/{targetId}",
  tags: ["graph"],
  summary: "Remove a dependency between two projects",
  description:
    "Deletes `(id)-[:DEPENDS_ON]->(targetId)`; 404 when there is no such edge. Needs project:write.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:write"],
  request: { params: RelationshipParamSchema },
  responses: {
    204: { description: "The dependency was removed" },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, id, targetId } = c.req.valid("param");
  const principal = await requirePermission(c, "project:write", org);
  const s = c.get("services");
  const { graph } = s;
  await removeDependency(graph, await resolveOrg(graph, org), id, targetId);
  onDependencyChange(s, id, targetId, principal.email);
  return c.body(null, 204);
};
