import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteOperationEntry } from "../../../lib/oplog/entry_verbs.ts";
import { EntryParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteOperationEntry",
  method: "delete",
  path: "/operations-log/{id}",
  tags: ["oplog"],
  summary: "Delete an operations-log entry",
  description:
    "Writes a tombstone version: the entry disappears from reads, and deleting it again is a 404. " +
    "Needs operations_log:delete in its organization.",
  ...verbAccess(deleteOperationEntry),
  request: { params: EntryParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteOperationEntry(ctxOf(c), { id: c.req.valid("param").id });
  return c.body(null, 204);
};
