import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { updateUser } from "../../../lib/identity/user_verbs.ts";
import { EmailParamSchema, UserDetailSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateUser",
  method: "patch",
  path: "/users/{email}",
  tags: ["admin"],
  summary: "Update a user",
  description:
    "JSON Patch over display_name, is_active and is_admin. Users may change their own display_name; " +
    "changing anyone else needs user:update globally (an administrator, or a role in the system organization); is_active and is_admin are for " +
    "administrators (is_admin) and never on yourself. Deactivating a user revokes all their sessions.",
  ...verbAccess(updateUser),
  request: {
    params: EmailParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the user's writable fields"),
  },
  responses: {
    200: { description: "The updated user", content: { "application/json": { schema: UserDetailSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateUser(ctxOf(c), {
    email: c.req.valid("param").email,
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
