import { createRoute } from "@hono/zod-openapi";
import { revokeAllSessions } from "../../../lib/auth/tokens.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { ApiError, openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteUser, getUser, normalizeEmail } from "../../../lib/identity/users.ts";
import { EmailParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteUser",
  method: "delete",
  path: "/users/{email}",
  tags: ["admin"],
  summary: "Delete a user",
  description: "Deletes a user and their memberships and revokes their sessions. You cannot delete yourself.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["user:delete"],
  request: { params: EmailParamSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requirePermission(c, "user:delete");
  const email = normalizeEmail(c.req.valid("param").email);
  if (actor.email === email)
    throw new ApiError({
      code: "BAD_REQUEST",
      detail: "You cannot delete your own account; ask another administrator.",
    });
  const s = c.get("services");
  await getUser(s.graph, email);
  await revokeAllSessions(s, email, "user deleted");
  await deleteUser(s.graph, email);
  s.audit({ event: "user_deleted", actor: actor.email, subject: email });
  return c.body(null, 204);
};
