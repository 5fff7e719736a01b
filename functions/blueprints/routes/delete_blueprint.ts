import { createRoute } from "@hono/zod-openapi";
import { deleteBlueprint, getBlueprint } from "../../../lib/blueprints/blueprints.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { onBlueprintChange } from "../../../lib/scoring/triggers.ts";
import { BlueprintParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteBlueprint",
  method: "delete",
  path: "/blueprints/{type}/{slug}",
  tags: ["blueprints"],
  summary: "Delete a blueprint",
  description:
    "Deletes the blueprint; attribute values already stored on entities are kept (they become unknown " +
    "attributes until another blueprint defines them). Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["blueprint:delete"],
  request: { params: BlueprintParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requirePermission(c, "blueprint:delete");
  const { type, slug } = c.req.valid("param");
  const s = c.get("services");
  const before = await getBlueprint(s.graph, type, slug);
  await deleteBlueprint(s.graph, type, slug);
  s.audit({ event: "blueprint_deleted", actor: actor.email, subject: slug });
  onBlueprintChange(s, [before], actor.email);
  return c.body(null, 204);
};
