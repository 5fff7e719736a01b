import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { grantPermission } from "../../../lib/identity/role_verbs.ts";
import { GrantPermissionSchema, RoleParamSchema, RoleSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "grantPermission",
  method: "post",
  path: "/roles/{slug}/permissions",
  tags: ["admin"],
  summary: "Grant a permission to a role",
  description:
    "Idempotent. System roles → 403; an unknown permission → 400. Needs role:update globally (an administrator, or a role in the system organization).",
  ...verbAccess(grantPermission),
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
  const role = await grantPermission(ctxOf(c), { ...c.req.valid("param"), ...c.req.valid("json") });
  return c.json(await withEtag(c, role), 200);
};
