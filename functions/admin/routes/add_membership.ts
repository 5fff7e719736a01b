import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { addMembership } from "../../../lib/identity/membership_verbs.ts";
import { AddMembershipSchema, EmailParamSchema, MembershipSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "addMembership",
  method: "post",
  path: "/users/{email}/organizations",
  tags: ["admin"],
  summary: "Add a user to an organization",
  description:
    "Makes the user a member of the organization with a role. Needs user:update in that organization, " +
    "and the role may grant only permissions you hold there.",
  ...verbAccess(addMembership),
  request: {
    params: EmailParamSchema,
    body: {
      description: "Organization and role",
      required: true,
      content: { "application/json": { schema: AddMembershipSchema } },
    },
  },
  responses: {
    201: { description: "Added", content: { "application/json": { schema: MembershipSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const membership = await addMembership(ctxOf(c), {
    ...c.req.valid("json"),
    email: c.req.valid("param").email,
  });
  c.header("Location", locationOf(c, "users", membership.email, "organizations", membership.organization));
  return c.json(await withEtag(c, membership), 201);
};
