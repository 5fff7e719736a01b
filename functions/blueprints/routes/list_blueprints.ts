import { createRoute } from "@hono/zod-openapi";
import { listBlueprints } from "../../../lib/blueprints/blueprint_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { BlueprintPageSchema, ListBlueprintsQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listBlueprints",
  method: "get",
  path: "/blueprints",
  tags: ["blueprints"],
  summary: "List blueprints",
  description:
    "Every blueprint by slug, optionally by kind, target type and enabled flag. " +
    "Needs blueprint:read in any organization.",
  ...verbAccess(listBlueprints),
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
  const q = c.req.valid("query");
  const page = await listBlueprints(ctxOf(c), {
    ...q,
    enabled: q.enabled === undefined ? undefined : q.enabled === "true",
  });
  return c.json(linkNext(c, page, q.limit), 200);
};
