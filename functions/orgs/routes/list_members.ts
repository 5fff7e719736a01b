import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listMembers } from "../../../lib/identity/memberships.ts";
import { getOrganization } from "../../../lib/identity/organizations.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { MemberPageSchema, OrgParamSchema, PageOnlyQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listMembers",
  method: "get",
  path: "/organizations/{org}/members",
  tags: ["orgs"],
  summary: "List an organization's members",
  description: "Members with their role, by email. Needs organization:read in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["organization:read"],
  request: { params: OrgParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of members",
      content: { "application/json": { schema: MemberPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  await requirePermission(c, "organization:read", org);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { e: "string" });
  const { graph } = c.get("services");
  await getOrganization(graph, org);
  const rows = await listMembers(graph, org, { after: after ? String(after.e) : null, limit: q.limit });
  return c.json(
    finishPage(c, rows, q.limit, (m) => ({ e: m.email })),
    200,
  );
};
