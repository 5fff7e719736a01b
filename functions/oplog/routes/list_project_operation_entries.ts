import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listProjectOperationEntries } from "../../../lib/oplog/entry_verbs.ts";
import { OperationEntryPageSchema, ProjectOperationListQuerySchema, ProjectParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listProjectOperationEntries",
  method: "get",
  path: "/organizations/{org}/projects/{project_id}/operations-log",
  tags: ["oplog"],
  summary: "List a project's operations-log entries",
  description: "Newest first, keyset paginated. Needs operations_log:read in the organization.",
  ...verbAccess(listProjectOperationEntries),
  request: { params: ProjectParamSchema, query: ProjectOperationListQuerySchema },
  responses: {
    200: {
      description: "One page of entries",
      content: { "application/json": { schema: OperationEntryPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listProjectOperationEntries(ctxOf(c), {
    ...q,
    project: c.req.valid("param").project_id,
  });
  return c.json(linkNext(c, page, q.limit), 200);
};
