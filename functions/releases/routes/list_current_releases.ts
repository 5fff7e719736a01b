import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listCurrentReleases } from "../../../lib/releases/deployment_verbs.ts";
import { CurrentReleasesSchema, ProjectParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listCurrentReleases",
  method: "get",
  path: "/organizations/{org}/projects/{project_id}/releases/current",
  tags: ["releases"],
  summary: "The current release per environment",
  description:
    "For each environment, the release of the project's latest successful deployment there (environments " +
    "without one are left out). Needs project:deployment:read in the organization.",
  ...verbAccess(listCurrentReleases),
  request: { params: ProjectParamSchema },
  responses: {
    200: {
      description: "Current releases",
      content: { "application/json": { schema: CurrentReleasesSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(await listCurrentReleases(ctxOf(c), { project: c.req.valid("param").project_id }), 200);
