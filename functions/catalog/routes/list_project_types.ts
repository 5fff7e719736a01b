import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { listProjectTypes } from "../../../lib/catalog/project_types.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { cursorKey, decodeCursor } from "../../../lib/pagination.ts";
import { OrgParamSchema, PageOnlyQuerySchema, ProjectTypePageSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "listProjectTypes",
  method: "get",
  path: "/organizations/{org}/project-types",
  tags: ["catalog"],
  summary: "List project types",
  description: "Project types of the organization by slug. Needs project_type:read in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project_type:read"],
  request: { params: OrgParamSchema, query: PageOnlyQuerySchema },
  responses: {
    200: {
      description: "One page of project types",
      content: { "application/json": { schema: ProjectTypePageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  await requirePermission(c, "project_type:read", org);
  const q = c.req.valid("query");
  const after = cursorKey(decodeCursor(q.cursor), { s: "string" });
  const { graph } = c.get("services");
  const rows = await listProjectTypes(graph, await resolveOrg(graph, org), {
    after: after ? String(after.s) : null,
    limit: q.limit,
  });
  return c.json(
    finishPage(c, rows, q.limit, (x) => ({ s: x.slug })),
    200,
  );
};
