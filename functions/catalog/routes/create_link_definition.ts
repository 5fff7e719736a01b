import { createRoute } from "@hono/zod-openapi";
import { createLinkDefinition } from "../../../lib/catalog/link_definitions.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { CreateLinkDefinitionSchema, LinkDefinitionSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createLinkDefinition",
  method: "post",
  path: "/organizations/{org}/link-definitions",
  tags: ["catalog"],
  summary: "Create a link definition",
  description:
    "Creates a link definition in the organization; the slug must be unused there (409 otherwise) and the URL template must be valid. Needs link_definition:create in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["link_definition:create"],
  request: {
    params: OrgParamSchema,
    body: {
      description: "The new link definition",
      required: true,
      content: { "application/json": { schema: CreateLinkDefinitionSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: LinkDefinitionSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org } = c.req.valid("param");
  const actor = await requirePermission(c, "link_definition:create", org);
  const s = c.get("services");
  const created = await createLinkDefinition(s.graph, await resolveOrg(s.graph, org), c.req.valid("json"));
  s.audit({ event: "link_definition_created", actor: actor.email, organization: org, subject: created.slug });
  c.header("Location", locationOf(c, "organizations", org, "link-definitions", created.slug));
  return c.json(await withEtag(c, created), 201);
};
