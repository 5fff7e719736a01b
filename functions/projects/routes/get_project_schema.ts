import { createRoute } from "@hono/zod-openapi";
import { getProjectSchema } from "../../../lib/catalog/project_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { EffectiveSchemaSchema, ProjectParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getProjectSchema",
  method: "get",
  path: "/organizations/{org}/projects/{id}/schema",
  tags: ["projects"],
  summary: "Get a project's blueprint schema",
  description: "The merged JSON Schema of the blueprints that apply to the project's types and environments.",
  ...verbAccess(getProjectSchema),
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
  const schema = await getProjectSchema(ctxOf(c), { id: c.req.valid("param").id });
  return c.json(schema as unknown as Record<string, unknown>, 200);
};
