import { createRoute } from "@hono/zod-openapi";
import { effectiveRelationshipSchema, effectiveSchema } from "../../../lib/blueprints/effective.ts";
import { DomainError } from "../../../lib/errors.ts";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
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
    "`environments`, merged by priority. Give `type` for a node, or `source`, `edge` and `target` for an edge.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["blueprint:read"],
  request: { query: EffectiveQuerySchema },
  responses: {
    200: {
      description: "The merged schema",
      content: { "application/json": { schema: EffectiveSchemaSchema } },
    },
    ...openApiErrorResponses,
  },
});

const list = (csv: string | undefined) =>
  csv === undefined
    ? undefined
    : csv
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await requireAuth(c);
  const q = c.req.valid("query");
  const { graph } = c.get("services");
  const context = { projectTypes: list(q.project_types), environments: list(q.environments) };
  const edge = [q.source, q.edge, q.target];
  if (q.type && edge.every((x) => x === undefined))
    return c.json(await effectiveSchema(graph, { type: q.type, ...context }), 200);
  if (!q.type && q.source && q.edge && q.target)
    return c.json(
      await effectiveRelationshipSchema(graph, {
        source: q.source,
        edge: q.edge,
        target: q.target,
        ...context,
      }),
      200,
    );
  throw new DomainError("BAD_REQUEST", "Give either `type`, or all of `source`, `edge` and `target`.");
};
