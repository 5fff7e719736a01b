import { createRoute } from "@hono/zod-openapi";
import { whoami } from "../../../lib/auth/whoami_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { WhoAmISchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "whoami",
  method: "get",
  path: "/auth/whoami",
  tags: ["auth"],
  summary: "Who is calling: identity, credential, scope and effective permissions",
  description:
    "For any principal (a user's session or API key, a service account's token): how it authenticated, the " +
    "credential's id, its scope, and per organization the role and the permissions it has there after the scope.",
  ...verbAccess(whoami),
  responses: {
    200: { description: "The caller", content: { "application/json": { schema: WhoAmISchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  return c.json(await whoami(ctxOf(c), {}), 200);
};
