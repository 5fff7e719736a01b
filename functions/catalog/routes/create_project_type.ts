import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { createProjectType } from "../../../lib/catalog/project_types.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
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
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project_type:create"],
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
  const { org } = c.req.valid("param");
  const actor = await requirePermission(c, "project_type:create", org);
  const s = c.get("services");
  const created = await createProjectType(s.graph, await resolveOrg(s.graph, org), c.req.valid("json"));
  s.audit({ event: "project_type_created", actor: actor.email, organization: org, subject: created.slug });
  c.header("Location", locationOf(c, "organizations", org, "project-types", created.slug));
  return c.json(await withEtag(c, created), 201);
};
