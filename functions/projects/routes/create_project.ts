import { createRoute } from "@hono/zod-openapi";
import { createProject } from "../../../lib/catalog/project_write.ts";
import type { ProjectInput } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
import { CreateProjectSchema, OrgParamSchema, ProjectSchema } from "../schemas.ts";
import { orgRef, recordChange, withProjectEtag } from "../support.ts";

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
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:create"],
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
  const { org: slug } = c.req.valid("param");
  const principal = await requirePermission(c, "project:create", slug);
  const body = c.req.valid("json");
  const org = await orgRef(c, slug);
  const input = {
    ...body,
    description: body.description ?? "",
    environments: body.environments ?? {},
    links: body.links ?? {},
    identifiers: body.identifiers ?? {},
  } as ProjectInput;
  const p = await createProject(c.get("services").graph, org, input);
  await recordChange(c, org, principal, "created", null, p);
  c.header("Location", locationOf(c, "organizations", slug, "projects", p.id));
  return c.json(await withProjectEtag(c, p), 201);
};
