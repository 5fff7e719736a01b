import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { updateOrganization } from "../../../lib/identity/organization_verbs.ts";
import { OrganizationSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateOrganization",
  method: "patch",
  path: "/organizations/{org}",
  tags: ["orgs"],
  summary: "Update an organization",
  description:
    "JSON Patch over slug, name, description and the blueprint attributes (re-validated against the Organization blueprints; a removed attribute is deleted). Needs organization:update in that organization.",
  ...verbAccess(updateOrganization),
  request: {
    params: OrgParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the organization's writable fields"),
  },
  responses: {
    200: {
      description: "The updated organization",
      content: { "application/json": { schema: OrganizationSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const updated = await updateOrganization(ctxOf(c), {
    patch: c.req.valid("json"),
    ifMatch: c.req.valid("header")["if-match"],
  });
  return c.json(await withEtag(c, updated), 200);
};
