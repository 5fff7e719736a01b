import { createRoute } from "@hono/zod-openapi";
import { getEffectiveSchema } from "../../../lib/blueprints/blueprint_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { EffectiveQuerySchema, EffectiveSchemaSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getEffectiveSchema",
  method: "get",
  path: "/blueprints/effective",
  tags: ["blueprints"],
  summary: "Merged schema for a context",
  description:
    "The schema that applies to an entity: every enabled blueprint whose filter matches `project_types` / " +
    "`environments`, merged by priority. Give `type` for a node, or `source`, `edge` and `target` for an edge. " +
    "Needs blueprint:read in any organization.",
  ...verbAccess(getEffectiveSchema),
  request: { query: EffectiveQuerySchema },
  responses: {
    200: {
      description: "The merged schema",
      content: { "application/json": { schema: EffectiveSchemaSchema } },
    },
    ...openApiErrorResponses,
  },
});

// The context lists travel as comma-separated query values.
const list = (csv: string | undefined) =>
  csv === undefined
    ? undefined
    : csv
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { project_types, environments, ...target } = c.req.valid("query");
  const schema = await getEffectiveSchema(ctxOf(c), {
    ...target,
    projectTypes: list(project_types),
    environments: list(environments),
  });
  return c.json(schema, 200);
};
