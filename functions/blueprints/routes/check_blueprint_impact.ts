import { createRoute } from "@hono/zod-openapi";
import { checkBlueprintImpact } from "../../../lib/blueprints/blueprint_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import {
  BlueprintParamSchema,
  ImpactQuerySchema,
  ImpactSchema,
  ProposedSchemaBodySchema,
} from "../schemas.ts";

export const route = createRoute({
  operationId: "checkBlueprintImpact",
  method: "post",
  path: "/blueprints/{type}/{slug}/impact",
  tags: ["blueprints"],
  summary: "Projects failing a proposed schema",
  description:
    "Like GET …/impact, but checks the projects the blueprint applies to against a proposed `schema` " +
    "(checked like a create: 400 when invalid). Nothing is saved. Needs blueprint:read in any organization.",
  ...verbAccess(checkBlueprintImpact),
  request: {
    params: BlueprintParamSchema,
    query: ImpactQuerySchema,
    body: {
      description: "The proposed schema",
      required: true,
      content: { "application/json": { schema: ProposedSchemaBodySchema } },
    },
  },
  responses: {
    200: { description: "The impact report", content: { "application/json": { schema: ImpactSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const report = await checkBlueprintImpact(ctxOf(c), {
    ...c.req.valid("param"),
    ...q,
    schema: c.req.valid("json").schema,
  });
  linkNext(c, { data: report.failing, next_cursor: report.next_cursor }, q.limit);
  return c.json(report, 200);
};
