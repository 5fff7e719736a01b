import { createRoute } from "@hono/zod-openapi";
import { PERMISSIONS } from "../../../lib/auth/catalog.ts";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { PageOnlyQuerySchema, PermissionPageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listPermissions",
  method: "get",
  path: "/permissions",
  tags: ["admin"],
  summary: "List permissions",
  description: "The permission catalog (`resource:action`), by name. Any authenticated user may read it.",
  security: [{ bearer: [] }],
  "x-imbi-permission": [],
  request: { query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of permissions",
      content: { "application/json": { schema: PermissionPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

// Isolate-safe: derived once from the constant catalog.
const CATALOG = [...PERMISSIONS].sort().map((name) => {
  const i = name.lastIndexOf(":");
  return { name, resource: name.slice(0, i), action: name.slice(i + 1) };
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { n: "string" });
  const rows = CATALOG.filter((p) => !after || p.name > String(after.n)).slice(0, q.limit + 1);
  return c.json(
    finishPage(c, rows, q.limit, (p) => ({ n: p.name })),
    200,
  );
};
