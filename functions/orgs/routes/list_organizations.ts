import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { listOrganizations } from "../../../lib/identity/organizations.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { OrganizationPageSchema, PageOnlyQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listOrganizations",
  method: "get",
  path: "/organizations",
  tags: ["orgs"],
  summary: "List organizations",
  description: "Administrators see every organization; other users see the organizations they belong to.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["organization:read"],
  request: { query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of organizations",
      content: { "application/json": { schema: OrganizationPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const actor = await requireAuth(c);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { s: "string" });
  const rows = await listOrganizations(c.get("services").graph, {
    after: after ? String(after.s) : null,
    limit: q.limit,
    memberEmail: actor.isAdmin ? undefined : actor.email,
  });
  return c.json(
    finishPage(c, rows, q.limit, (o) => ({ s: o.slug })),
    200,
  );
};
