import { createRoute } from "@hono/zod-openapi";
import { removeDependency } from "../../../lib/catalog/dependencies.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { projectIdOf } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
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
  const ref = await resolveOrg(graph, org);
  const [source, target] = [await projectIdOf(graph, ref, id), await projectIdOf(graph, ref, targetId)];
  await removeDependency(graph, ref, source, target);
  onDependencyChange(s, source, target, principal.email);
  return c.body(null, 204);
};
