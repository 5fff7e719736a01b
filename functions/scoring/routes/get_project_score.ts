import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { projectIdOf } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { projectScore } from "../../../lib/scoring/reads.ts";
import { ProjectScoreParamSchema, ProjectScoreSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getProjectScore",
  method: "get",
  path: "/organizations/{org}/projects/{id}/score",
  tags: ["scoring"],
  summary: "Get a project's score and its breakdown",
  description:
    "Computes the score now from the live policies, blueprints and neighbours (with the contribution of each " +
    "policy and the level), next to the score the consumer last stored.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: ProjectScoreParamSchema },
  responses: {
    200: { description: "The score", content: { "application/json": { schema: ProjectScoreSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug, id } = c.req.valid("param");
  await requirePermission(c, "project:read", slug);
  const { graph } = c.get("services");
  // projectScore loads the project itself (and 404s outside the organization): no separate read.
  const org = await resolveOrg(graph, slug);
  return c.json(await projectScore(graph, org, await projectIdOf(graph, org, id)), 200);
};
