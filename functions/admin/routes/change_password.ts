import { createRoute } from "@hono/zod-openapi";
import { hashPassword, verifyPassword } from "../../../lib/auth/password.ts";
import { revokeAllSessions } from "../../../lib/auth/tokens.ts";
import { requireAuth, requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { ApiError, openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { getCredentials, getUser, normalizeEmail, setPasswordHash } from "../../../lib/identity/users.ts";
import { ChangePasswordSchema, EmailParamSchema } from "../schemas.ts";
import { assertPasswordPolicy } from "../support.ts";

export const route = createRoute({
  operationId: "changePassword",
  method: "post",
  path: "/users/{email}/password",
  tags: ["admin"],
  summary: "Change a password",
  description:
    "Users change their own password with current_password; administrators may reset another user's " +
    "password without it. Every other session of the user is revoked.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["user:update"],
  request: {
    params: EmailParamSchema,
    body: {
      description: "Old and new password",
      required: true,
      content: { "application/json": { schema: ChangePasswordSchema } },
    },
  },
  responses: {
    204: { description: "Changed" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

// One answer for a missing and a wrong current password, so neither can be told apart.
const wrongCurrent = () =>
  new ApiError({ code: "BAD_REQUEST", detail: "The current password is missing or incorrect." });

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const email = normalizeEmail(c.req.valid("param").email);
  const actor = await requireAuth(c);
  const self = actor.email === email;
  if (!self) await requirePermission(c, "user:update");
  const body = c.req.valid("json");
  const s = c.get("services");
  await getUser(s.graph, email);
  if (self) {
    const creds = await getCredentials(s.graph, email);
    const ok =
      body.current_password !== undefined &&
      creds?.hash &&
      (await verifyPassword(body.current_password, creds.hash));
    if (!ok) throw wrongCurrent();
  }
  assertPasswordPolicy(body.new_password, c.env, "json.new_password");
  await setPasswordHash(s.graph, email, await hashPassword(body.new_password));
  const revoked = self
    ? await revokeAllSessions(s, email, "password changed", actor.sessionId)
    : await revokeAllSessions(s, email, "password reset by an administrator");
  s.audit({
    event: "password_changed",
    actor: actor.email,
    subject: email,
    details: { revoked_sessions: revoked },
  });
  return c.body(null, 204);
};
