import { createRoute } from "@hono/zod-openapi";
import { deleteLinkDefinition } from "../../../lib/catalog/link_definitions.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { LinkDefinitionParamSchema, NoQuerySchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "deleteLinkDefinition",
  method: "delete",
  path: "/organizations/{org}/link-definitions/{link_definition}",
  tags: ["catalog"],
  summary: "Delete a link definition",
  description:
    "Deletes the link definition. 409 while any project of the organization has a link under its slug; remove those links first. Needs link_definition:delete in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["link_definition:delete"],
  request: { params: LinkDefinitionParamSchema, query: NoQuerySchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, link_definition } = c.req.valid("param");
  const actor = await requirePermission(c, "link_definition:delete", org);
  const s = c.get("services");
  await deleteLinkDefinition(s.graph, await resolveOrg(s.graph, org), link_definition);
  s.audit({
    event: "link_definition_deleted",
    actor: actor.email,
    organization: org,
    subject: link_definition,
  });
  return c.body(null, 204);
};
