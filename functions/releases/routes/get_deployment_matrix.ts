import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getDeploymentMatrix } from "../../../lib/releases/deployment_verbs.ts";
import { DeploymentMatrixSchema, MatrixQuerySchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getDeploymentMatrix",
  method: "get",
  path: "/organizations/{org}/deployments",
  tags: ["releases"],
  summary: "What's deployed where",
  description:
    "The organization's projects with deployments (by id, keyset paginated) × environments: the " +
    "version and status of the latest deployment in each. Needs project:deployment:read in the organization.",
  ...verbAccess(getDeploymentMatrix),
  request: { params: OrgParamSchema, query: MatrixQuerySchema },
  responses: {
    200: {
      description: "One page of the matrix",
      content: { "application/json": { schema: DeploymentMatrixSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await getDeploymentMatrix(ctxOf(c), q);
  return c.json({ ...page, ...linkNext(c, page, q.limit) }, 200);
};
