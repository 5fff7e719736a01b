import { createRoute } from "@hono/zod-openapi";
import { createLinkDefinition } from "../../../lib/catalog/link_definition_verbs.ts";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
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
  ...verbAccess(createLinkDefinition),
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
  const created = await createLinkDefinition(ctxOf(c), c.req.valid("json"));
  c.header(
    "Location",
    locationOf(c, "organizations", c.req.valid("param").org, "link-definitions", created.slug),
  );
  return c.json(await withEtag(c, created), 201);
};
