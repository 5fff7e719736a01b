import { createRoute } from "@hono/zod-openapi";
import { getEnvironment } from "../../../lib/catalog/environments.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { EnvironmentParamSchema, EnvironmentSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getEnvironment",
  method: "get",
  path: "/organizations/{org}/environments/{environment}",
  tags: ["catalog"],
  summary: "Get an environment",
  description: "Needs environment:read in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["environment:read"],
  request: { params: EnvironmentParamSchema },
  responses: {
    200: { description: "The environment", content: { "application/json": { schema: EnvironmentSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, environment } = c.req.valid("param");
  await requirePermission(c, "environment:read", org);
  const { graph } = c.get("services");
  return c.json(
    await withEtag(c, await getEnvironment(graph, await resolveOrg(graph, org), environment)),
    200,
  );
};
