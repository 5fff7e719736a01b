import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listReleases } from "../../../lib/releases/release_verbs.ts";
import { ProjectParamSchema, ReleaseListQuerySchema, ReleasePageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listReleases",
  method: "get",
  path: "/organizations/{org}/projects/{project_id}/releases",
  tags: ["releases"],
  summary: "List a project's releases",
  description: "Newest first, keyset paginated. Needs project:read in the organization.",
  ...verbAccess(listReleases),
  request: { params: ProjectParamSchema, query: ReleaseListQuerySchema },
  responses: {
    200: {
      description: "One page of releases",
      content: { "application/json": { schema: ReleasePageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listReleases(ctxOf(c), { ...q, project: c.req.valid("param").project_id });
  return c.json(linkNext(c, page, q.limit), 200);
};
