import { createRoute } from "@hono/zod-openapi";
import { getProject } from "../../../lib/catalog/project_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { GetQuerySchema, ProjectParamSchema, ProjectSchema } from "../schemas.ts";
import { withProjectEtag } from "../support.ts";

export const route = createRoute({
  operationId: "getProject",
  method: "get",
  path: "/organizations/{org}/projects/{id}",
  tags: ["projects"],
  summary: "Get a project",
  description:
    "The project with its team, types and environments; `fields` projects the body (the ETag is the whole " +
    "project's); `breakdown=true` adds the live score breakdown.",
  ...verbAccess(getProject),
  request: { params: ProjectParamSchema, query: GetQuerySchema },
  responses: {
    200: { description: "The project", content: { "application/json": { schema: ProjectSchema.partial() } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const q = c.req.valid("query");
  const { project, score_breakdown } = await getProject(ctxOf(c), {
    id: c.req.valid("param").id,
    breakdown: q.breakdown === "true",
  });
  const body = await withProjectEtag(c, project, q.fields);
  return c.json(score_breakdown ? { ...body, score_breakdown } : body, 200);
};
