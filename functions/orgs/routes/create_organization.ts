import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { createOrganization } from "../../../lib/identity/organization_verbs.ts";
import { CreateOrganizationSchema, OrganizationSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createOrganization",
  method: "post",
  path: "/organizations",
  tags: ["orgs"],
  summary: "Create an organization",
  description:
    "Creates an organization; the slug must be unused (409 otherwise). Needs organization:create globally (an administrator, or a role in the system organization).",
  ...verbAccess(createOrganization),
  request: {
    body: {
      description: "The new organization",
      required: true,
      content: { "application/json": { schema: CreateOrganizationSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: OrganizationSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const org = await createOrganization(ctxOf(c), c.req.valid("json"));
  c.header("Location", locationOf(c, "organizations", org.slug));
  return c.json(await withEtag(c, org), 201);
};
