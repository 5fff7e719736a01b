import { createRoute } from "@hono/zod-openapi";
import { getLinkDefinition } from "../../../lib/catalog/link_definitions.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { LinkDefinitionParamSchema, LinkDefinitionSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getLinkDefinition",
  method: "get",
  path: "/organizations/{org}/link-definitions/{link_definition}",
  tags: ["catalog"],
  summary: "Get a link definition",
  description: "Needs link_definition:read in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["link_definition:read"],
  request: { params: LinkDefinitionParamSchema },
  responses: {
    200: {
      description: "The link definition",
      content: { "application/json": { schema: LinkDefinitionSchema } },
    },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, link_definition } = c.req.valid("param");
  await requirePermission(c, "link_definition:read", org);
  const { graph } = c.get("services");
  return c.json(
    await withEtag(c, await getLinkDefinition(graph, await resolveOrg(graph, org), link_definition)),
    200,
  );
};
