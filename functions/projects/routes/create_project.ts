import { createRoute } from "@hono/zod-openapi";
import { createProject } from "../../../lib/catalog/project_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
import { CreateProjectSchema, OrgParamSchema, ProjectSchema } from "../schemas.ts";
import { withProjectEtag } from "../support.ts";

export const route = createRoute({
  operationId: "createProject",
  method: "post",
  path: "/organizations/{org}/projects",
  tags: ["projects"],
  summary: "Create a project",
  description:
    "Creates a project owned by a team, with its types, environments, links, identifiers and blueprint " +
    "attributes (validated against the blueprints of its types; defaults applied). Unknown team, type, " +
    "environment or link-definition slugs are a 400; a duplicate slug in the organization is a 409.",
  ...verbAccess(createProject),
  request: {
    params: OrgParamSchema,
    body: {
      description: "The new project",
      required: true,
      content: { "application/json": { schema: CreateProjectSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: ProjectSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const created = await createProject(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "organizations", c.req.valid("param").org, "projects", created.id));
  return c.json(await withProjectEtag(c, created), 201);
};
