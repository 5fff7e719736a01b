import { createRoute } from "@hono/zod-openapi";
import { getMe } from "../../../lib/auth/session_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { MeSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getMe",
  method: "get",
  path: "/users/me",
  tags: ["auth"],
  summary: "Your profile, memberships and effective permissions",
  description:
    "Permissions are listed per organization because they are evaluated per organization. A user's " +
    "profile: a service account's credential gets 404 pointing at GET /api/auth/whoami, which describes " +
    "any principal (with the scopes of the credential used).",
  ...verbAccess(getMe),
  responses: {
    200: { description: "The authenticated user", content: { "application/json": { schema: MeSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await getMe(ctxOf(c), {}), 200);
};
