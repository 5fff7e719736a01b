import { createRoute } from "@hono/zod-openapi";
import { listMySessions } from "../../../lib/auth/session_list_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { SessionListSchema } from "../../../lib/http/session_schemas.ts";

export const route = createRoute({
  operationId: "listMySessions",
  method: "get",
  path: "/users/me/sessions",
  tags: ["auth"],
  summary: "Where you are logged in",
  description:
    "Your live login sessions, most recently used first: the browser or client, the address, when it logged in and was last used, when it ends, and which one is this request's. A session not used for IMBI_AUTH_SESSION_TIMEOUT_SECONDS ends; at most IMBI_AUTH_MAX_CONCURRENT_SESSIONS live at once (a new login ends the oldest). Only a login session may list or end sessions: API keys and service accounts get 403.",
  ...verbAccess(listMySessions),
  responses: {
    200: { description: "Your sessions", content: { "application/json": { schema: SessionListSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  c.header("Cache-Control", "no-store");
  return c.json(await listMySessions(ctxOf(c), {}), 200);
};
