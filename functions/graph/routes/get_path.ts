import { createRoute } from "@hono/zod-openapi";
import { PATH_MAX_DEPTH, shortestPath } from "../../../lib/catalog/dependencies.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { projectIdOf } from "../../../lib/catalog/projects.ts";
import { DomainError } from "../../../lib/errors.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { OrgParamSchema, PathQuerySchema, PathSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getPath",
  method: "get",
  path: "/organizations/{org}/graph/path",
  tags: ["graph"],
  summary: "The shortest dependency path between two projects",
  description:
    "Follows DEPENDS_ON edges from `from` towards `to` (at most 20 hops); 404 when there is no such path. " +
    "Needs project:read.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: OrgParamSchema, query: PathQuerySchema },
  responses: {
    200: { description: "The path, in order", content: { "application/json": { schema: PathSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  const { from, to } = c.req.valid("query");
  await requirePermission(c, "project:read", org);
  const { graph } = c.get("services");
  const ref = await resolveOrg(graph, org);
  const path = await shortestPath(
    graph,
    ref,
    await projectIdOf(graph, ref, from),
    await projectIdOf(graph, ref, to),
  );
  if (!path)
    throw new DomainError(
      "NOT_FOUND",
      `Project '${from}' does not depend on '${to}', directly or within ${PATH_MAX_DEPTH} hops.`,
    );
  return c.json(path, 200);
};
