import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { updateRole } from "../../../lib/identity/role_verbs.ts";
import { RoleParamSchema, RoleSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateRole",
  method: "patch",
  path: "/roles/{slug}",
  tags: ["admin"],
  summary: "Update a role",
  description:
    "JSON Patch over name, description, priority and inherits_from of a custom role. System roles are " +
    "immutable (400); grants change through the permissions sub-resource. Needs role:update globally (an administrator, or a role in the system organization).",
  ...verbAccess(updateRole),
  request: {
    params: RoleParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the role's writable fields"),
  },
  responses: {
    200: { description: "The updated role", content: { "application/json": { schema: RoleSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const role = await updateRole(ctxOf(c), {
    slug: c.req.valid("param").slug,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, role), 200);
};
