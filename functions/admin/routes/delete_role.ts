import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteRole } from "../../../lib/identity/roles.ts";
import { RoleParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteRole",
  method: "delete",
  path: "/roles/{slug}",
  tags: ["admin"],
  summary: "Delete a role",
  description:
    "Deletes a custom role. System roles → 400; a role still held by a membership or inherited by " +
    "another role → 409. Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["role:delete"],
  request: { params: RoleParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requirePermission(c, "role:delete");
  const { slug } = c.req.valid("param");
  const s = c.get("services");
  await deleteRole(s.graph, slug);
  s.audit({ event: "role_deleted", actor: actor.email, subject: slug });
  return c.body(null, 204);
};
