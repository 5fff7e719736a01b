import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getOperationEntry } from "../../../lib/oplog/entry_verbs.ts";
import { EntryParamSchema, OperationEntrySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getOperationEntry",
  method: "get",
  path: "/operations-log/{id}",
  tags: ["oplog"],
  summary: "Get an operations-log entry",
  description: "The latest version of the entry. Needs operations_log:read in its organization.",
  ...verbAccess(getOperationEntry),
  request: { params: EntryParamSchema },
  responses: {
    200: { description: "The entry", content: { "application/json": { schema: OperationEntrySchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const entry = await getOperationEntry(ctxOf(c), { id: c.req.valid("param").id });
  return c.json(await withEtag(c, entry), 200);
};
