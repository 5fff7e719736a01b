import { createRoute } from "@hono/zod-openapi";
import { revokeMySession } from "../../../lib/auth/session_list_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { SessionParamSchema } from "../../../lib/http/session_schemas.ts";

export const route = createRoute({
  operationId: "revokeMySession",
  method: "delete",
  path: "/users/me/sessions/{session}",
  tags: ["auth"],
  summary: "End one of your sessions",
  description:
    "Logs that session out at once: its refresh token stops working and its access tokens are refused on their next use. Ending the current session is a logout. 404 for a session that is not yours or already ended.",
  ...verbAccess(revokeMySession),
  request: { params: SessionParamSchema },
  responses: { 204: { description: "Ended" }, ...openApiErrorResponses, ...openApiWriteErrorResponses },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await revokeMySession(ctxOf(c), c.req.valid("param"));
  return c.body(null, 204);
};
