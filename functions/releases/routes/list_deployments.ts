import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listDeployments } from "../../../lib/releases/deployment_verbs.ts";
import { DeploymentListQuerySchema, DeploymentPageSchema, ProjectParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listDeployments",
  method: "get",
  path: "/organizations/{org}/projects/{project_id}/deployments",
  tags: ["releases"],
  summary: "A project's deployment history",
  description:
    "Newest first (by when each started), keyset paginated; filter by environment, status or release. " +
    "Needs project:deployment:read in the organization.",
  ...verbAccess(listDeployments),
  request: { params: ProjectParamSchema, query: DeploymentListQuerySchema },
  responses: {
    200: {
      description: "One page of deployments",
      content: { "application/json": { schema: DeploymentPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listDeployments(ctxOf(c), { ...q, project: c.req.valid("param").project_id });
  return c.json(linkNext(c, page, q.limit), 200);
};
