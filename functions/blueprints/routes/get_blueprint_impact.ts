import { createRoute } from "@hono/zod-openapi";
import { getBlueprintImpact } from "../../../lib/blueprints/blueprint_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { BlueprintParamSchema, ImpactQuerySchema, ImpactSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getBlueprintImpact",
  method: "get",
  path: "/blueprints/{type}/{slug}/impact",
  tags: ["blueprints"],
  summary: "Projects failing a blueprint",
  description:
    "Checks the existing projects this Project blueprint applies to (in the organizations where the caller " +
    "has project:read; all for administrators) against its current schema, and lists those that fail. " +
    "At most `limit` failures and 2,000 projects per call; follow `next_cursor` for the rest. " +
    "Needs blueprint:read in any organization.",
  ...verbAccess(getBlueprintImpact),
  request: { params: BlueprintParamSchema, query: ImpactQuerySchema },
  responses: {
    200: { description: "The impact report", content: { "application/json": { schema: ImpactSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const report = await getBlueprintImpact(ctxOf(c), { ...c.req.valid("param"), ...q });
  linkNext(c, { data: report.failing, next_cursor: report.next_cursor }, q.limit);
  return c.json(report, 200);
};
