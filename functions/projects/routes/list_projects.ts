import { createRoute } from "@hono/zod-openapi";
import { listProjects, SORTS } from "../../../lib/catalog/project_query.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { finishPage } from "../../../lib/http/pagination.ts";
import { ApiError, openApiErrorResponses } from "../../../lib/http/problem.ts";
import { decodeCursor } from "../../../lib/pagination.ts";
import { ListQuerySchema, OrgParamSchema, ProjectListPageSchema } from "../schemas.ts";
import { orgRef, project } from "../support.ts";

export const route = createRoute({
  operationId: "listProjects",
  method: "get",
  path: "/organizations/{org}/projects",
  tags: ["projects"],
  summary: "List projects",
  description:
    "Keyset-paginated, sorted projects of the organization, filtered by team, type, environment, " +
    "archived state, links, identifiers and blueprint attributes (`filter=field:op[:value]`). Unknown " +
    "parameters, fields, operators or uncoercible values are a 400. `sort=score` lists the lowest health " +
    "scores (and unscored projects) first: what needs attention.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: OrgParamSchema, query: ListQuerySchema },
  responses: {
    200: {
      description: "One page of projects",
      content: { "application/json": { schema: ProjectListPageSchema } },
    },
    ...openApiErrorResponses,
  },
});

const badCursor = () =>
  new ApiError({
    code: "BAD_REQUEST",
    detail: "The cursor is invalid; use next_cursor from a previous page unchanged.",
  });

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug } = c.req.valid("param");
  await requirePermission(c, "project:read", slug);
  const { limit, cursor, sort, fields, filter, ...rest } = c.req.valid("query");
  const raw = decodeCursor(cursor);
  if (raw && (raw.s !== sort || typeof raw.k !== "string" || typeof raw.i !== "string")) throw badCursor();
  const org = await orgRef(c, slug);
  const rows = await listProjects(
    c.get("services").graph,
    org,
    { ...rest, filter: filter === undefined ? [] : [filter].flat() },
    { sort, limit, after: raw ? { k: String(raw.k), i: String(raw.i) } : null },
  );
  const key = SORTS[sort][0];
  const page = finishPage(c, rows, limit, (p) => ({ s: sort, k: String(p[key] ?? -1), i: p.id }));
  return c.json({ ...page, data: page.data.map((p) => project(p, fields)) } as never, 200);
};
