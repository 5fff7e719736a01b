import { createRoute } from "@hono/zod-openapi";
import { listAuditLog } from "../../../lib/audit/audit_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { AuditEntryPageSchema, AuditLogQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listAuditLog",
  method: "get",
  path: "/audit-log",
  tags: ["audit-log"],
  summary: "List audit-log rows",
  description:
    "Security-relevant events (logins, token refreshes and revocations, user, role and membership changes, " +
    'catalog configuration changes), newest first, keyset paginated (Link: rel="next"). Each row names the ' +
    "actor, its kind and the credential it used. audit_log:read held globally reads every row; held only in " +
    "some organizations it reads theirs: without `organization` the list is filtered to them, with " +
    "`organization` that one must be among them. A cursor works only with the filters that issued it. " +
    "503 while the analytics store (ClickHouse) is unreachable.",
  ...verbAccess(listAuditLog),
  request: { query: AuditLogQuerySchema },
  responses: {
    200: {
      description: "One page of audit rows",
      content: { "application/json": { schema: AuditEntryPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listAuditLog(ctxOf(c), q), q.limit), 200);
};
