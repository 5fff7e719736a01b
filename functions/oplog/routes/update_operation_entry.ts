import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { updateOperationEntry } from "../../../lib/oplog/entry_verbs.ts";
import { EntryParamSchema, OperationEntrySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateOperationEntry",
  method: "patch",
  path: "/operations-log/{id}",
  tags: ["oplog"],
  summary: "Update an operations-log entry",
  description:
    "JSON Patch over the entry's writable fields; writes a new version of the entry (the old one is " +
    "kept until ClickHouse merges it away). id, organization, project_id, recorded_by, recorded_at and " +
    "row_version are read-only. Needs operations_log:update in its organization.",
  ...verbAccess(updateOperationEntry),
  request: {
    params: EntryParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the entry's writable fields"),
  },
  responses: {
    200: {
      description: "The updated entry",
      content: { "application/json": { schema: OperationEntrySchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateOperationEntry(ctxOf(c), {
    id: c.req.valid("param").id,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
