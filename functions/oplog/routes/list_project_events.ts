import { createRoute } from "@hono/zod-openapi";
import { analyticsRead } from "../../../lib/analytics/read.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { projectIdOf } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { requireProjectInOrg } from "../../../lib/oplog/entries.ts";
import { EventPageSchema, ProjectEventListQuerySchema, ProjectParamSchema } from "../schemas.ts";
import { pageBody, timeRange } from "../support.ts";

export const route = createRoute({
  operationId: "listProjectEvents",
  method: "get",
  path: "/organizations/{org}/projects/{project_id}/events",
  tags: ["oplog"],
  summary: "List a project's change events",
  description:
    "One row per changed field, newest first, keyset paginated. Needs project:read in the organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: ProjectParamSchema, query: ProjectEventListQuerySchema },
  responses: {
    200: { description: "One page of events", content: { "application/json": { schema: EventPageSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, project_id: ref } = c.req.valid("param");
  const q = c.req.valid("query");
  await requirePermission(c, "project:read", org);
  const s = c.get("services");
  const orgRef = await resolveOrg(s.graph, org);
  const project_id = await projectIdOf(s.graph, orgRef, ref);
  await requireProjectInOrg(s.graph, orgRef.id, project_id);
  // Project ids are unique across organizations, so the entity id alone scopes the feed.
  const page = await analyticsRead(c.get("services").log, () =>
    s.analytics.listEvents({ ...timeRange(q), entity_type: "project", entity_id: project_id }),
  );
  return c.json(pageBody(c, page, q.limit), 200);
};
