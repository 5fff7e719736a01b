import { createRoute } from "@hono/zod-openapi";
import { getBlueprint } from "../../../lib/blueprints/blueprints.ts";
import { checkBlueprintSchema } from "../../../lib/blueprints/check_schema.ts";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import {
  BlueprintParamSchema,
  ImpactQuerySchema,
  ImpactSchema,
  ProposedSchemaBodySchema,
} from "../schemas.ts";
import { impactFor } from "../support.ts";

export const route = createRoute({
  operationId: "checkBlueprintImpact",
  method: "post",
  path: "/blueprints/{type}/{slug}/impact",
  tags: ["blueprints"],
  summary: "Projects failing a proposed schema",
  description:
    "Like GET …/impact, but checks the projects the blueprint applies to against a proposed `schema` " +
    "(checked like a create: 400 when invalid). Nothing is saved.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["blueprint:read"],
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
  await requireAuth(c);
  const { type, slug } = c.req.valid("param");
  const bp = await getBlueprint(c.get("services").graph, type, slug);
  const schema = checkBlueprintSchema(c.req.valid("json").schema);
  return c.json(await impactFor(c, bp, schema, c.req.valid("query")), 200);
};
