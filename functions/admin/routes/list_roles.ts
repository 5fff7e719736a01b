import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listRolesPage } from "../../../lib/identity/roles.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { PageOnlyQuerySchema, RolePageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listRoles",
  method: "get",
  path: "/roles",
  tags: ["admin"],
  summary: "List roles",
  description:
    "Every role, highest priority first. Roles are global definitions, not organization data, so any " +
    "authenticated user may read them (role:read is not checked per organization).",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["role:read"],
  request: { query: PageOnlyQuerySchema },
  responses: {
    200: { description: "One page of roles", content: { "application/json": { schema: RolePageSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { p: "number", s: "string" });
  const rows = await listRolesPage(c.get("services").graph, {
    after: after ? { priority: Number(after.p), slug: String(after.s) } : null,
    limit: q.limit,
  });
  return c.json(
    finishPage(c, rows, q.limit, (r) => ({ p: r.priority, s: r.slug })),
    200,
  );
};
