import { createRoute } from "@hono/zod-openapi";
import { createProjectType } from "../../../lib/catalog/project_type_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { CreateProjectTypeSchema, OrgParamSchema, ProjectTypeSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createProjectType",
  method: "post",
  path: "/organizations/{org}/project-types",
  tags: ["catalog"],
  summary: "Create a project type",
  description:
    "Creates a project type in the organization; the slug must be unused there (409 otherwise). Needs project_type:create in that organization.",
  ...verbAccess(createProjectType),
  request: {
    params: OrgParamSchema,
    body: {
      description: "The new project type",
      required: true,
      content: { "application/json": { schema: CreateProjectTypeSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: ProjectTypeSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const created = await createProjectType(ctxOf(c), c.req.valid("json"));
  c.header(
    "Location",
    locationOf(c, "organizations", c.req.valid("param").org, "project-types", created.slug),
  );
  return c.json(await withEtag(c, created), 201);
};
