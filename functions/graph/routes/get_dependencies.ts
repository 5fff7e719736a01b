import { createRoute } from "@hono/zod-openapi";
import { neighbourhood } from "../../../lib/catalog/dependencies.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { projectIdOf } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { DependenciesQuerySchema, NeighbourhoodSchema, ProjectParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getDependencies",
  method: "get",
  path: "/organizations/{org}/projects/{id}/dependencies",
  tags: ["graph"],
  summary: "A project's dependency neighbourhood to a depth",
  description:
    "Projects within `depth` DEPENDS_ON hops downstream (what it depends on) or upstream (what depends on it), " +
    "each at its minimum depth, and the edges among them. Needs project:read.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: ProjectParamSchema, query: DependenciesQuerySchema },
  responses: {
    200: {
      description: "The neighbourhood",
      content: { "application/json": { schema: NeighbourhoodSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, id } = c.req.valid("param");
  const { direction, depth } = c.req.valid("query");
  await requirePermission(c, "project:read", org);
  const { graph } = c.get("services");
  const ref = await resolveOrg(graph, org);
  return c.json(await neighbourhood(graph, ref, await projectIdOf(graph, ref, id), direction, depth), 200);
};
