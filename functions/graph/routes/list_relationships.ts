import { createRoute } from "@hono/zod-openapi";
import { listRelationships } from "../../../lib/catalog/dependencies.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { projectIdOf } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { ProjectParamSchema, RelationshipsSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listRelationships",
  method: "get",
  path: "/organizations/{org}/projects/{id}/relationships",
  tags: ["graph"],
  summary: "List a project's direct dependencies and dependents",
  description: "Every DEPENDS_ON edge touching the project, both ways, with counts. Needs project:read.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
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
  const { org, id } = c.req.valid("param");
  await requirePermission(c, "project:read", org);
  const { graph } = c.get("services");
  const ref = await resolveOrg(graph, org);
  const { outbound, inbound } = await listRelationships(graph, ref, await projectIdOf(graph, ref, id));
  return c.json({ outbound, inbound, counts: { outbound: outbound.length, inbound: inbound.length } }, 200);
};
