import { createRoute } from "@hono/zod-openapi";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { createOrganization } from "../../../lib/identity/organizations.ts";
import { CreateOrganizationSchema, OrganizationSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createOrganization",
  method: "post",
  path: "/organizations",
  tags: ["orgs"],
  summary: "Create an organization",
  description: "Creates an organization; the slug must be unused (409 otherwise). Administrators only.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["organization:create"],
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
  const actor = await requirePermission(c, "organization:create");
  const s = c.get("services");
  const org = await createOrganization(s.graph, c.req.valid("json"));
  s.audit({ event: "organization_created", actor: actor.email, organization: org.slug, subject: org.id });
  c.header("Location", locationOf(c, "organizations", org.slug));
  return c.json(await withEtag(c, org), 201);
};
