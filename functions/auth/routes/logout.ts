import { createRoute } from "@hono/zod-openapi";
import { revokeAllSessions, revokeSession } from "../../../lib/auth/tokens.ts";
import { requireAuth } from "../../../lib/http/auth.ts";
import { clientMeta } from "../../../lib/http/client.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { clearAuthCookies } from "../cookies.ts";
import { LogoutQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "logout",
  method: "post",
  path: "/auth/logout",
  tags: ["auth"],
  summary: "End this session (or all of them)",
  description:
    "Revokes the session of the presented access token: its refresh token stops working and its access " +
    "tokens are rejected. `?revoke_all_sessions=true` ends every session of the user.",
  security: [{ bearer: [] }],
  "x-imbi-permission": [],
  request: { query: LogoutQuerySchema },
  responses: { 204: { description: "Logged out" }, ...openApiErrorResponses },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const p = await requireAuth(c);
  const s = c.get("services");
  const all = c.req.valid("query").revoke_all_sessions === "true";
  const meta = clientMeta(c);
  const count = all
    ? await revokeAllSessions(s, p.email, "logout: all sessions")
    : await revokeSession(s, p.sessionId, "logout");
  s.audit({
    event: "token_revoked",
    actor: p.email,
    subject: p.sessionId,
    ip: meta.ip,
    user_agent: meta.userAgent,
    details: { all_sessions: all, sessions_revoked: Number(count) },
  });
  clearAuthCookies(c);
  return c.body(null, 204);
};
