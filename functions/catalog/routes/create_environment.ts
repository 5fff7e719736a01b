import { createRoute } from "@hono/zod-openapi";
import { createEnvironment } from "../../../lib/catalog/environment_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { CreateEnvironmentSchema, EnvironmentSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createEnvironment",
  method: "post",
  path: "/organizations/{org}/environments",
  tags: ["catalog"],
  summary: "Create an environment",
  description:
    "Creates an environment in the organization; the slug must be unused there (409 otherwise). Needs environment:create in that organization.",
  ...verbAccess(createEnvironment),
  request: {
    params: OrgParamSchema,
    body: {
      description: "The new environment",
      required: true,
      content: { "application/json": { schema: CreateEnvironmentSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: EnvironmentSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const created = await createEnvironment(ctxOf(c), c.req.valid("json"));
  c.header(
    "Location",
    locationOf(c, "organizations", c.req.valid("param").org, "environments", created.slug),
  );
  return c.json(await withEtag(c, created), 201);
};
