import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { removeMembership } from "../../../lib/identity/memberships.ts";
import { normalizeEmail } from "../../../lib/identity/users.ts";
import { MembershipParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteMembership",
  method: "delete",
  path: "/users/{email}/organizations/{org}",
  tags: ["admin"],
  summary: "Remove a user from an organization",
  description: "Ends the membership. Needs user:update in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["user:update"],
  request: { params: MembershipParamSchema },
  responses: {
    204: { description: "Removed" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { email: raw, org } = c.req.valid("param");
  const actor = await requirePermission(c, "user:update", org);
  const email = normalizeEmail(raw);
  const s = c.get("services");
  await removeMembership(s.graph, email, org);
  s.audit({ event: "membership_removed", actor: actor.email, organization: org, subject: email });
  return c.body(null, 204);
};
