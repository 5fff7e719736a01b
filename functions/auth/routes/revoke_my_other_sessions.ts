import { createRoute } from "@hono/zod-openapi";
import { revokeMyOtherSessions } from "../../../lib/auth/session_list_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { RevokedCountSchema } from "../../../lib/http/session_schemas.ts";

export const route = createRoute({
  operationId: "revokeMyOtherSessions",
  method: "delete",
  path: "/users/me/sessions",
  tags: ["auth"],
  summary: "Log out everywhere else",
  description:
    "Ends every one of your sessions except the one making this request (a lost device, a shared computer).",
  ...verbAccess(revokeMyOtherSessions),
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
  return c.json(await revokeMyOtherSessions(ctxOf(c), {}), 200);
};
