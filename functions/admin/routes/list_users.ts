import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listUsers } from "../../../lib/identity/users.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { ListUsersQuerySchema, UserPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listUsers",
  method: "get",
  path: "/users",
  tags: ["admin"],
  summary: "List users",
  description: "Every user, ordered by email, with optional filters. Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["user:read"],
  request: { query: ListUsersQuerySchema },
  responses: {
    200: { description: "One page of users", content: { "application/json": { schema: UserPageSchema } } },
    ...openApiErrorResponses,
  },
});

const flag = (v: "true" | "false" | undefined) => (v === undefined ? undefined : v === "true");

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requirePermission(c, "user:read");
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { e: "string" });
  const rows = await listUsers(c.get("services").graph, {
    after: after ? String(after.e) : null,
    limit: q.limit,
    active: flag(q.is_active),
    admin: flag(q.is_admin),
  });
  return c.json(
    finishPage(c, rows, q.limit, (u) => ({ e: u.email })),
    200,
  );
};
