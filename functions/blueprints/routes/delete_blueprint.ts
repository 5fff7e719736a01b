import { createRoute } from "@hono/zod-openapi";
import { deleteBlueprint } from "../../../lib/blueprints/blueprint_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { BlueprintParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteBlueprint",
  method: "delete",
  path: "/blueprints/{type}/{slug}",
  tags: ["blueprints"],
  summary: "Delete a blueprint",
  description:
    "Deletes the blueprint; attribute values already stored on entities are kept (they become unknown " +
    "attributes until another blueprint defines them). " +
    "Needs blueprint:delete globally (an administrator, or a role in the system organization).",
  ...verbAccess(deleteBlueprint),
  request: { params: BlueprintParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteBlueprint(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
