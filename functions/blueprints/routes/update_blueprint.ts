import { createRoute } from "@hono/zod-openapi";
import { getBlueprint, updateBlueprint } from "../../../lib/blueprints/blueprints.ts";
import type { JsonObjectSchema } from "../../../lib/blueprints/effective.ts";
import { patchFields } from "../../../lib/core/patch.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { onBlueprintChange } from "../../../lib/scoring/triggers.ts";
import { BlueprintParamSchema, BlueprintSchema, BlueprintWritableSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateBlueprint",
  method: "patch",
  path: "/blueprints/{type}/{slug}",
  tags: ["blueprints"],
  summary: "Update a blueprint",
  description:
    "JSON Patch over name, description, filter, priority, enabled and schema (e.g. `/schema/properties/tier`); " +
    "slug, kind, type, source, edge and target are read-only. The patched schema is re-checked. " +
    "Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["blueprint:write"],
  request: {
    params: BlueprintParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the blueprint's writable fields"),
  },
  responses: {
    200: {
      description: "The updated blueprint",
      content: { "application/json": { schema: BlueprintSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

const READ_ONLY = ["id", "slug", "kind", "type", "source", "edge", "target", "created_at", "updated_at"];

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requirePermission(c, "blueprint:write");
  const { type, slug } = c.req.valid("param");
  const s = c.get("services");
  const current = await getBlueprint(s.graph, type, slug);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, current);
  const next = patchFields(current, c.req.valid("json"), READ_ONLY, BlueprintWritableSchema);
  // With If-Match the write only applies if nobody changed it since the check (else 412).
  const updated = await updateBlueprint(
    s.graph,
    current,
    { ...next, schema: next.schema as JsonObjectSchema },
    unchangedSince(ifMatch, current.updated_at),
  );
  s.audit({ event: "blueprint_updated", actor: actor.email, subject: updated.slug });
  onBlueprintChange(s, [current, updated], actor.email);
  return c.json(await withEtag(c, updated), 200);
};
