import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listReleaseBlockers } from "../../../lib/releases/release_verbs.ts";
import { BlockerListQuerySchema, BlockerPageSchema, ReleaseParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listReleaseBlockers",
  method: "get",
  path: "/organizations/{org}/projects/{project_id}/releases/{release_id}/blockers",
  tags: ["releases"],
  summary: "List a release's blockers",
  description:
    "Open and resolved, newest first, keyset paginated; the release by id or version. Needs " +
    "project:deployment:read in the organization.",
  ...verbAccess(listReleaseBlockers),
  request: { params: ReleaseParamSchema, query: BlockerListQuerySchema },
  responses: {
    200: {
      description: "One page of blockers",
      content: { "application/json": { schema: BlockerPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const { project_id, release_id } = c.req.valid("param");
  const page = await listReleaseBlockers(ctxOf(c), { ...q, project: project_id, release: release_id });
  return c.json(linkNext(c, page, q.limit), 200);
};
