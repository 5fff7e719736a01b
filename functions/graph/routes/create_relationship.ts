import { createRoute } from "@hono/zod-openapi";
import { createRelationship } from "../../../lib/catalog/dependency_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
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
  ...verbAccess(createRelationship),
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
  const { created, ...body } = await createRelationship(ctxOf(c), { id, targetId });
  if (!created) return c.json(body, 200);
  // The edge is addressed by its two project ids (DELETE there removes it).
  c.header(
    "Location",
    locationOf(c, "organizations", org, "projects", body.source.id, "relationships", body.target.id),
  );
  return c.json(body, 201);
};
