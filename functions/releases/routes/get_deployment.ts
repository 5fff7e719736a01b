import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getDeployment } from "../../../lib/releases/deployment_verbs.ts";
import { DeploymentParamSchema, DeploymentSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getDeployment",
  method: "get",
  path: "/organizations/{org}/projects/{project_id}/deployments/{deployment_id}",
  tags: ["releases"],
  summary: "Get a deployment",
  description: "One deployment of the project. Needs project:deployment:read in the organization.",
  ...verbAccess(getDeployment),
  request: { params: DeploymentParamSchema },
  responses: {
    200: { description: "The deployment", content: { "application/json": { schema: DeploymentSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { project_id, deployment_id } = c.req.valid("param");
  return c.json(await getDeployment(ctxOf(c), { project: project_id, deployment: deployment_id }), 200);
};
