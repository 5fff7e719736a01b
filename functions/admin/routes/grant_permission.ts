import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { grantPermission } from "../../../lib/identity/roles.ts";
import { GrantPermissionSchema, RoleParamSchema, RoleSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "grantPermission",
  method: "post",
  path: "/roles/{slug}/permissions",
  tags: ["admin"],
  summary: "Grant a permission to a role",
  description: "Idempotent. System roles → 403; an unknown permission → 400. Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["role:update"],
  request: {
    params: RoleParamSchema,
    body: {
      description: "The permission",
      required: true,
      content: { "application/json": { schema: GrantPermissionSchema } },
    },
  },
  responses: {
    200: { description: "The role with the grant", content: { "application/json": { schema: RoleSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requirePermission(c, "role:update");
  const { slug } = c.req.valid("param");
  const { permission } = c.req.valid("json");
  const s = c.get("services");
  const role = await grantPermission(s.graph, slug, permission);
  s.audit({ event: "permission_granted", actor: actor.email, subject: slug, details: { permission } });
  return c.json(await withEtag(c, role), 200);
};
