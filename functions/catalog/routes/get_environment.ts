import { createRoute } from "@hono/zod-openapi";
import { getEnvironment } from "../../../lib/catalog/environment_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
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
  ...verbAccess(getEnvironment),
  request: { params: EnvironmentParamSchema },
  responses: {
    200: { description: "The environment", content: { "application/json": { schema: EnvironmentSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const found = await getEnvironment(ctxOf(c), { environment: c.req.valid("param").environment });
  return c.json(await withEtag(c, found), 200);
};
