import { createRoute } from "@hono/zod-openapi";
import { requireAuth, requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getUserWithOrganizations, normalizeEmail } from "../../../lib/identity/users.ts";
import { EmailParamSchema, UserDetailSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getUser",
  method: "get",
  path: "/users/{email}",
  tags: ["admin"],
  summary: "Get a user",
  description:
    "A user with their organizations and roles. Administrators may read anyone; users may read themselves.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["user:read"],
  request: { params: EmailParamSchema },
  responses: {
    200: { description: "The user", content: { "application/json": { schema: UserDetailSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const email = normalizeEmail(c.req.valid("param").email);
  if ((await requireAuth(c)).email !== email) await requirePermission(c, "user:read");
  const user = await getUserWithOrganizations(c.get("services").graph, email);
  return c.json(await withEtag(c, user), 200);
};
