import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { createOperationEntry } from "../../../lib/oplog/entry_verbs.ts";
import { CreateOperationEntrySchema, OperationEntrySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createOperationEntry",
  method: "post",
  path: "/operations-log",
  tags: ["oplog"],
  summary: "Record an operations-log entry",
  description:
    "Records a change (deploy, restart, migration, …) of a project in one of its organization's " +
    "environments. Needs operations_log:create in the project's organization. Accepted even while " +
    "ClickHouse is down: the entry waits in the outbox and becomes readable once it is back.",
  ...verbAccess(createOperationEntry),
  request: {
    body: {
      description: "The entry",
      required: true,
      content: { "application/json": { schema: CreateOperationEntrySchema } },
    },
  },
  responses: {
    201: { description: "Recorded", content: { "application/json": { schema: OperationEntrySchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const entry = await createOperationEntry(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "operations-log", entry.id));
  return c.json(await withEtag(c, entry), 201);
};
