import { createRoute } from "@hono/zod-openapi";
import { deleteEnvironment } from "../../../lib/catalog/environments.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import { CascadeQuerySchema } from "../../../lib/http/fields.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { EnvironmentParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteEnvironment",
  method: "delete",
  path: "/organizations/{org}/environments/{environment}",
  tags: ["catalog"],
  summary: "Delete an environment",
  description:
    "Deletes the environment. 409 while projects are deployed in it, unless `cascade=true`, which removes those DEPLOYED_IN edges (the projects stay). Needs environment:delete in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["environment:delete"],
  request: { params: EnvironmentParamSchema, query: CascadeQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, environment } = c.req.valid("param");
  const actor = await requirePermission(c, "environment:delete", org);
  const s = c.get("services");
  await deleteEnvironment(s.graph, await resolveOrg(s.graph, org), environment, {
    cascade: c.req.valid("query").cascade === "true",
  });
  s.audit({ event: "environment_deleted", actor: actor.email, organization: org, subject: environment });
  return c.body(null, 204);
};
