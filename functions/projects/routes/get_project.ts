import { createRoute } from "@hono/zod-openapi";
import { getProject } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { projectScore } from "../../../lib/scoring/reads.ts";
import { GetQuerySchema, ProjectParamSchema, ProjectSchema } from "../schemas.ts";
import { orgRef, withProjectEtag } from "../support.ts";

export const route = createRoute({
  operationId: "getProject",
  method: "get",
  path: "/organizations/{org}/projects/{id}",
  tags: ["projects"],
  summary: "Get a project",
  description:
    "The project with its team, types and environments; `fields` projects the body (the ETag is the whole " +
    "project's); `breakdown=true` adds the live score breakdown.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: ProjectParamSchema, query: GetQuerySchema },
  responses: {
    200: { description: "The project", content: { "application/json": { schema: ProjectSchema.partial() } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug, id } = c.req.valid("param");
  await requirePermission(c, "project:read", slug);
  const org = await orgRef(c, slug);
  const { graph } = c.get("services");
  const p = await getProject(graph, org, id);
  const q = c.req.valid("query");
  const body = await withProjectEtag(c, p, q.fields);
  if (q.breakdown === "true")
    return c.json({ ...body, score_breakdown: await projectScore(graph, org, p.id) }, 200);
  return c.json(body, 200);
};
