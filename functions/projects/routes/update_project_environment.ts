import { createRoute } from "@hono/zod-openapi";
import { updateProjectEnvironment } from "../../../lib/catalog/project_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema } from "../../../lib/http/routes.ts";
import { EnvironmentBodySchema, EnvParamSchema, ProjectSchema } from "../schemas.ts";
import { withProjectEtag } from "../support.ts";

export const route = createRoute({
  operationId: "updateProjectEnvironment",
  method: "patch",
  path: "/organizations/{org}/projects/{id}/environments/{env}",
  tags: ["projects"],
  summary: "Update a project's environment edge",
  description:
    "JSON Patch (array) or merge object on one DEPLOYED_IN edge's properties (url and blueprint edge " +
    "fields); creates the edge when the project is not yet deployed there. Returns the project.",
  ...verbAccess(updateProjectEnvironment),
  request: {
    params: EnvParamSchema,
    headers: IfMatchHeaderSchema,
    body: {
      description: "Operations or a merge object",
      required: true,
      content: {
        "application/json-patch+json": { schema: EnvironmentBodySchema },
        "application/merge-patch+json": { schema: EnvironmentBodySchema },
        "application/json": { schema: EnvironmentBodySchema },
      },
    },
  },
  responses: {
    200: { description: "The updated project", content: { "application/json": { schema: ProjectSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { id, env } = c.req.valid("param");
  const updated = await updateProjectEnvironment(ctxOf(c), {
    id,
    env,
    change: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withProjectEtag(c, updated), 200);
};
