import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { updateMembership } from "../../../lib/identity/membership_verbs.ts";
import { MembershipParamSchema, MembershipSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateMembership",
  method: "patch",
  path: "/users/{email}/organizations/{org}",
  tags: ["admin"],
  summary: "Change a member's role",
  description:
    "JSON Patch over `role`. Needs user:update in that organization, and the new role may grant only " +
    "permissions you hold there.",
  ...verbAccess(updateMembership),
  request: {
    params: MembershipParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the membership's role"),
  },
  responses: {
    200: {
      description: "The updated membership",
      content: { "application/json": { schema: MembershipSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateMembership(ctxOf(c), {
    ...c.req.valid("param"),
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
