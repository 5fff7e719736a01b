import { createRoute } from "@hono/zod-openapi";
import { logout } from "../../../lib/auth/session_verbs.ts";
import { clientMeta } from "../../../lib/http/client.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
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
  ...verbAccess(logout),
  request: { query: LogoutQuerySchema },
  responses: { 204: { description: "Logged out" }, ...openApiErrorResponses },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await logout(ctxOf(c), {
    allSessions: c.req.valid("query").revoke_all_sessions === "true",
    client: clientMeta(c),
  });
  clearAuthCookies(c);
  return c.body(null, 204);
};
