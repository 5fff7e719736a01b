import { createRoute } from "@hono/zod-openapi";
import { createEnvironment } from "../../../lib/catalog/environments.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
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
  security: [{ bearer: [] }],
  "x-imbi-permission": ["environment:create"],
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
  const { org } = c.req.valid("param");
  const actor = await requirePermission(c, "environment:create", org);
  const s = c.get("services");
  const created = await createEnvironment(s.graph, await resolveOrg(s.graph, org), c.req.valid("json"));
  s.audit({ event: "environment_created", actor: actor.email, organization: org, subject: created.slug });
  c.header("Location", locationOf(c, "organizations", org, "environments", created.slug));
  return c.json(await withEtag(c, created), 201);
};
