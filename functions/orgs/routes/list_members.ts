import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { linkNext } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listMembers } from "../../../lib/identity/organization_verbs.ts";
import { MemberPageSchema, OrgParamSchema, PageOnlyQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listMembers",
  method: "get",
  path: "/organizations/{org}/members",
  tags: ["orgs"],
  summary: "List an organization's members",
  description: "Members with their role, by email. Needs organization:read in that organization.",
  ...verbAccess(listMembers),
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
  const q = c.req.valid("query");
  return c.json(linkNext(c, await listMembers(ctxOf(c), q), q.limit), 200);
};
