import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getLevels } from "../../../lib/scoring/levels.ts";
import { scoreRollup } from "../../../lib/scoring/rollup.ts";
import { OrgParamSchema, RollupQuerySchema, RollupSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getScoreRollup",
  method: "get",
  path: "/organizations/{org}/scores/rollup",
  tags: ["scoring"],
  summary: "Current scores by team or project type",
  description:
    "For each team (or project type) of the organization: how many projects, how many are scored, the " +
    "average, lowest and highest stored score and how many projects reach each level. Archived projects are " +
    "left out; the worst average comes first — what needs attention.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: OrgParamSchema, query: RollupQuerySchema },
  responses: {
    200: { description: "The rollup", content: { "application/json": { schema: RollupSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug } = c.req.valid("param");
  await requirePermission(c, "project:read", slug);
  const { graph } = c.get("services");
  const org = await resolveOrg(graph, slug);
  const { dimension } = c.req.valid("query");
  const data = await scoreRollup(graph, org.id, dimension, await getLevels(graph, slug));
  return c.json({ dimension, data }, 200);
};
