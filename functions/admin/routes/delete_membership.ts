import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { deleteMembership } from "../../../lib/identity/membership_verbs.ts";
import { MembershipParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteMembership",
  method: "delete",
  path: "/users/{email}/organizations/{org}",
  tags: ["admin"],
  summary: "Remove a user from an organization",
  description: "Ends the membership. Needs user:update in that organization.",
  ...verbAccess(deleteMembership),
  request: { params: MembershipParamSchema },
  responses: {
    204: { description: "Removed" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  await deleteMembership(ctxOf(c), { email: c.req.valid("param").email });
  return c.body(null, 204);
};
