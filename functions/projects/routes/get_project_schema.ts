import { createRoute } from "@hono/zod-openapi";
import { effectiveSchema } from "../../../lib/blueprints/effective.ts";
import { getProject } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { EffectiveSchemaSchema, ProjectParamSchema } from "../schemas.ts";
import { orgRef } from "../support.ts";

export const route = createRoute({
  operationId: "getProjectSchema",
  method: "get",
  path: "/organizations/{org}/projects/{id}/schema",
  tags: ["projects"],
  summary: "Get a project's blueprint schema",
  description: "The merged JSON Schema of the blueprints that apply to the project's types and environments.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:read"],
  request: { params: ProjectParamSchema },
  responses: {
    200: {
      description: "The effective schema",
      content: { "application/json": { schema: EffectiveSchemaSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug, id } = c.req.valid("param");
  await requirePermission(c, "project:read", slug);
  const graph = c.get("services").graph;
  const p = await getProject(graph, await orgRef(c, slug), id);
  const schema = await effectiveSchema(graph, {
    type: "Project",
    projectTypes: p.project_types,
    environments: Object.keys(p.environments),
  });
  return c.json(schema as unknown as Record<string, unknown>, 200);
};
