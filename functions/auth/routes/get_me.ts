import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { membershipsOf } from "../../../lib/identity/permissions.ts";
import { getUser } from "../../../lib/identity/users.ts";
import { MeSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getMe",
  method: "get",
  path: "/users/me",
  tags: ["auth"],
  summary: "Your profile, memberships and effective permissions",
  description: "Permissions are listed per organization because they are evaluated per organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": [],
  responses: {
    200: { description: "The authenticated user", content: { "application/json": { schema: MeSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const p = await requireAuth(c);
  const { graph } = c.get("services");
  const [user, organizations] = await Promise.all([getUser(graph, p.email), membershipsOf(graph, p.email)]);
  return c.json({ ...user, session_id: p.sessionId, organizations }, 200);
};
