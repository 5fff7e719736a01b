import { createRoute } from "@hono/zod-openapi";
import { analyticsRead } from "../../../lib/analytics/read.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { projectIdOf } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { requireProjectInOrg, toEntry } from "../../../lib/oplog/entries.ts";
import { OperationEntryPageSchema, ProjectOperationListQuerySchema, ProjectParamSchema } from "../schemas.ts";
import { pageBody, timeRange } from "../support.ts";

export const route = createRoute({
  operationId: "listProjectOperationEntries",
  method: "get",
  path: "/organizations/{org}/projects/{project_id}/operations-log",
  tags: ["oplog"],
  summary: "List a project's operations-log entries",
  description: "Newest first, keyset paginated. Needs operations_log:read in the organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["operations_log:read"],
  request: { params: ProjectParamSchema, query: ProjectOperationListQuerySchema },
  responses: {
    200: {
      description: "One page of entries",
      content: { "application/json": { schema: OperationEntryPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, project_id: ref } = c.req.valid("param");
  const q = c.req.valid("query");
  await requirePermission(c, "operations_log:read", org);
  const s = c.get("services");
  const orgRef = await resolveOrg(s.graph, org);
  const project_id = await projectIdOf(s.graph, orgRef, ref);
  await requireProjectInOrg(s.graph, orgRef.id, project_id);
  const page = await analyticsRead(c.get("services").log, () =>
    s.analytics.listOperations({ ...timeRange(q), organization: org, project_id }),
  );
  return c.json(pageBody(c, { data: page.data.map(toEntry), nextCursor: page.nextCursor }, q.limit), 200);
};
