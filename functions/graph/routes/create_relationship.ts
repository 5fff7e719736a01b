import { createRoute } from "@hono/zod-openapi";
import { addDependency } from "../../../lib/catalog/dependencies.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { projectIdOf } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
import { onDependencyChange } from "../../../lib/scoring/triggers.ts";
import { DependencySchema, RelationshipParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createRelationship",
  method: "post",
  path: "/organizations/{org}/projects/{id}/relationships/{targetId}",
  tags: ["graph"],
  summary: "Record that a project depends on another",
  description:
    "Creates `(id)-[:DEPENDS_ON]->(targetId)`. Idempotent: 201 when created, 200 when it already existed " +
    "(also under concurrent creates). A self-dependency or a target outside the organization is a 400. " +
    "Needs project:write in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:write"],
  request: { params: RelationshipParamSchema },
  responses: {
    200: {
      description: "The dependency already existed",
      content: { "application/json": { schema: DependencySchema } },
    },
    201: {
      description: "The dependency was created",
      content: { "application/json": { schema: DependencySchema } },
    },
    ...openApiErrorResponses,
    409: openApiWriteErrorResponses[409],
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, id, targetId } = c.req.valid("param");
  const principal = await requirePermission(c, "project:write", org);
  const s = c.get("services");
  const { graph } = s;
  const ref = await resolveOrg(graph, org);
  const [source, target] = [await projectIdOf(graph, ref, id), await projectIdOf(graph, ref, targetId)];
  const { created, ...body } = await addDependency(graph, ref, source, target);
  if (created) onDependencyChange(s, source, target, principal.email);
  if (!created) return c.json(body, 200);
  // The edge is addressed by its two project ids (DELETE there removes it).
  c.header("Location", locationOf(c, "organizations", org, "projects", source, "relationships", target));
  return c.json(body, 201);
};
