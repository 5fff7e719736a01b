import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listUsers } from "../../../lib/identity/user_verbs.ts";
import { ListUsersQuerySchema, UserPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listUsers",
  method: "get",
  path: "/users",
  tags: ["admin"],
  summary: "List users",
  description:
    "Every user, ordered by email, with optional filters. Needs user:read globally (an administrator, or a role in the system organization).",
  ...verbAccess(listUsers),
  request: { query: ListUsersQuerySchema },
  responses: {
    200: { description: "One page of users", content: { "application/json": { schema: UserPageSchema } } },
    ...openApiErrorResponses,
  },
});

const flag = (v: "true" | "false" | undefined) => (v === undefined ? undefined : v === "true");

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const page = await listUsers(ctxOf(c), {
    limit: q.limit,
    cursor: q.cursor,
    active: flag(q.is_active),
    admin: flag(q.is_admin),
  });
  return c.json(linkNext(c, page, q.limit), 200);
};
