import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../../lib/auth/middleware.ts";
import { listBlueprints } from "../../../lib/blueprints/blueprints.ts";
import { openApiErrorResponses } from "../../../lib/errors.ts";
import { cursorKey } from "../../../lib/http.ts";
import type { AppRouteHandler } from "../../../lib/openapi.ts";
import { decodeCursor, finishPage } from "../../../lib/pagination.ts";
import { BlueprintPageSchema, ListBlueprintsQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listBlueprints",
  method: "get",
  path: "/blueprints",
  tags: ["blueprints"],
  summary: "List blueprints",
  description:
    "Every blueprint by slug, optionally by kind, target type and enabled flag. Any authenticated user.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["blueprint:read"],
  request: { query: ListBlueprintsQuerySchema },
  responses: {
    200: {
      description: "One page of blueprints",
      content: { "application/json": { schema: BlueprintPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { s: "string" });
  const rows = await listBlueprints(c.get("services").graph, {
    after: after ? String(after.s) : null,
    limit: q.limit,
    kind: q.kind,
    type: q.type,
    enabled: q.enabled === undefined ? undefined : q.enabled === "true",
  });
  return c.json(
    finishPage(c, rows, q.limit, (b) => ({ s: b.slug })),
    200,
  );
};
