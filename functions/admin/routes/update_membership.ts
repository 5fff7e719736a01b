import { createRoute } from "@hono/zod-openapi";
import { patchFields } from "../../../lib/core/patch.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { changeMembershipRole, getMembership } from "../../../lib/identity/memberships.ts";
import { normalizeEmail } from "../../../lib/identity/users.ts";
import { MembershipParamSchema, MembershipSchema, MembershipWritableSchema } from "../schemas.ts";
import { assertCanAssign } from "../support.ts";

export const route = createRoute({
  operationId: "updateMembership",
  method: "patch",
  path: "/users/{email}/organizations/{org}",
  tags: ["admin"],
  summary: "Change a member's role",
  description: "JSON Patch over `role`. Needs user:update in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["user:update"],
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
  const { email: raw, org } = c.req.valid("param");
  const actor = await requirePermission(c, "user:update", org);
  const email = normalizeEmail(raw);
  const s = c.get("services");
  const current = await getMembership(s.graph, email, org);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, current);
  const { role } = patchFields(
    current,
    c.req.valid("json"),
    ["email", "organization", "created_at"],
    MembershipWritableSchema,
  );
  await assertCanAssign(c, actor, org, role);
  // With If-Match the role only changes if nobody changed it since the check (else 412).
  const { membership, previous } = await changeMembershipRole(
    s.graph,
    email,
    org,
    role,
    unchangedSince(ifMatch, current.role),
  );
  s.audit({
    event: "membership_changed",
    actor: actor.email,
    organization: org,
    subject: email,
    details: { old_role: previous, new_role: role },
  });
  return c.json(await withEtag(c, membership), 200);
};
