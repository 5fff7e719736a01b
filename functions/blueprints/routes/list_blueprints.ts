import { createRoute } from "@hono/zod-openapi";
import { listBlueprints } from "../../../lib/blueprints/blueprints.ts";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
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
