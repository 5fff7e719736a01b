import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { addMembership } from "../../../lib/identity/memberships.ts";
import { normalizeEmail } from "../../../lib/identity/users.ts";
import { AddMembershipSchema, EmailParamSchema, MembershipSchema } from "../schemas.ts";
import { assertCanAssign } from "../support.ts";

export const route = createRoute({
  operationId: "addMembership",
  method: "post",
  path: "/users/{email}/organizations",
  tags: ["admin"],
  summary: "Add a user to an organization",
  description:
    "Makes the user a member of the organization with a role. Needs user:update in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["user:update"],
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
  const { organization, role } = c.req.valid("json");
  const actor = await requirePermission(c, "user:update", organization);
  const email = normalizeEmail(c.req.valid("param").email);
  await assertCanAssign(c, actor, organization, role);
  const s = c.get("services");
  const membership = await addMembership(s.graph, email, organization, role);
  s.audit({ event: "membership_added", actor: actor.email, organization, subject: email, details: { role } });
  c.header("Location", locationOf(c, "users", email, "organizations", organization));
  return c.json(await withEtag(c, membership), 201);
};
