import { createRoute } from "@hono/zod-openapi";
import { listUserSessions } from "../../../lib/auth/session_list_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { SessionListSchema } from "../../../lib/http/session_schemas.ts";
import { EmailParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listUserSessions",
  method: "get",
  path: "/users/{email}/sessions",
  tags: ["users"],
  summary: "Where a user is logged in",
  description:
    "The user's live login sessions, most recently used first (browser or client, address, times). Needs user:read globally.",
  ...verbAccess(listUserSessions),
  request: { params: EmailParamSchema },
  responses: {
    200: {
      description: "The user's sessions",
      content: { "application/json": { schema: SessionListSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(await listUserSessions(ctxOf(c), c.req.valid("param")), 200);
};
