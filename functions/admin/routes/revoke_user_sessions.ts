import { createRoute } from "@hono/zod-openapi";
import { revokeUserSessions } from "../../../lib/auth/session_list_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { RevokedCountSchema } from "../../../lib/http/session_schemas.ts";
import { EmailParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "revokeUserSessions",
  method: "delete",
  path: "/users/{email}/sessions",
  tags: ["users"],
  summary: "Log a user out everywhere",
  description:
    "Ends every login session of the user at once (a lost laptop, someone leaving): refresh tokens stop working and access tokens are refused on their next use. API keys are not touched (revoke them separately). Needs user:update globally.",
  ...verbAccess(revokeUserSessions),
  request: { params: EmailParamSchema },
  responses: {
    200: {
      description: "How many were ended",
      content: { "application/json": { schema: RevokedCountSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await revokeUserSessions(ctxOf(c), c.req.valid("param")), 200);
};
