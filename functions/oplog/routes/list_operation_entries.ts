import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listOperationEntries } from "../../../lib/oplog/entry_verbs.ts";
import { OperationEntryPageSchema, OperationListQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listOperationEntries",
  method: "get",
  path: "/operations-log",
  tags: ["oplog"],
  summary: "List operations-log entries",
  description:
    "Newest first, keyset paginated. With `organization`, needs operations_log:read there; " +
    "without, lists every organization and needs an administrator.",
  ...verbAccess(listOperationEntries),
  request: { query: OperationListQuerySchema },
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
  return c.json(linkNext(c, await listOperationEntries(ctxOf(c), q), q.limit), 200);
};
