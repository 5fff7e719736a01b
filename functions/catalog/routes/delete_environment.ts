import { createRoute } from "@hono/zod-openapi";
import { deleteEnvironment } from "../../../lib/catalog/environment_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { CascadeQuerySchema } from "../../../lib/http/fields.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { EnvironmentParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteEnvironment",
  method: "delete",
  path: "/organizations/{org}/environments/{environment}",
  tags: ["catalog"],
  summary: "Delete an environment",
  description:
    "Deletes the environment. 409 while projects are deployed in it, unless `cascade=true`, which removes those DEPLOYED_IN edges (the projects stay). Needs environment:delete in that organization.",
  ...verbAccess(deleteEnvironment),
  request: { params: EnvironmentParamSchema, query: CascadeQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteEnvironment(ctxOf(c), {
    environment: c.req.valid("param").environment,
    cascade: c.req.valid("query").cascade === "true",
  });
  return c.body(null, 204);
};
