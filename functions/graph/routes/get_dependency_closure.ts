import { createRoute } from "@hono/zod-openapi";
import { closure } from "../../../lib/catalog/dependencies.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { projectIdOf } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { ClosureQuerySchema, ClosureSchema, ProjectParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getDependencyClosure",
  method: "get",
  path: "/organizations/{org}/projects/{id}/dependencies/closure",
  tags: ["graph"],
  summary: "A project's whole transitive dependency closure",
  description:
    "Everything reachable downstream or upstream, each at its minimum depth, nearest first; capped at " +
    "10,000 projects with `truncated` set. Needs project:read.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: ProjectParamSchema, query: ClosureQuerySchema },
  responses: {
    200: { description: "The closure", content: { "application/json": { schema: ClosureSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, id } = c.req.valid("param");
  const { direction } = c.req.valid("query");
  await requirePermission(c, "project:read", org);
  const { graph } = c.get("services");
  const ref = await resolveOrg(graph, org);
  return c.json(await closure(graph, ref, await projectIdOf(graph, ref, id), direction), 200);
};
