import { createRoute } from "@hono/zod-openapi";
import { createBlueprint, slugify } from "../../../lib/blueprints/blueprints.ts";
import type { JsonObjectSchema } from "../../../lib/blueprints/effective.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { onBlueprintChange } from "../../../lib/scoring/triggers.ts";
import { BlueprintSchema, CreateBlueprintSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createBlueprint",
  method: "post",
  path: "/blueprints",
  tags: ["blueprints"],
  summary: "Create a blueprint",
  description:
    "Creates a node blueprint (`type`) or a relationship blueprint (`source`, `edge`, `target`). Slugs are " +
    "unique across all blueprints (409 otherwise). A schema that is not an object schema, defines a core " +
    "field, or cannot be compiled is a 400. Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["blueprint:write"],
  request: {
    body: {
      description: "The new blueprint",
      required: true,
      content: { "application/json": { schema: CreateBlueprintSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: BlueprintSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requirePermission(c, "blueprint:write");
  const s = c.get("services");
  const body = c.req.valid("json");
  const bp = await createBlueprint(s.graph, {
    slug: body.slug ?? slugify(body.name),
    name: body.name,
    description: body.description ?? "",
    kind: body.kind,
    type: body.type ?? null,
    source: body.source ?? null,
    edge: body.edge ?? null,
    target: body.target ?? null,
    filter: body.filter ?? { project_types: [], environments: [] },
    priority: body.priority ?? 0,
    enabled: body.enabled ?? true,
    schema: body.schema as JsonObjectSchema,
  });
  s.audit({ event: "blueprint_created", actor: actor.email, subject: bp.slug });
  onBlueprintChange(s, [bp], actor.email);
  c.header("Location", locationOf(c, "blueprints", bp.type ?? "relationship", bp.slug));
  return c.json(await withEtag(c, bp), 201);
};
