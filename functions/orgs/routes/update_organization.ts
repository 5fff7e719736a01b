import { createRoute } from "@hono/zod-openapi";
import { patchFieldsAndAttributes } from "../../../lib/core/patch.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { getOrganization, updateOrganization } from "../../../lib/identity/organizations.ts";
import { OrganizationSchema, OrganizationWritableSchema, OrgParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "updateOrganization",
  method: "patch",
  path: "/organizations/{org}",
  tags: ["orgs"],
  summary: "Update an organization",
  description:
    "JSON Patch over slug, name, description and the blueprint attributes (re-validated against the Organization blueprints; a removed attribute is deleted). Needs organization:update in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["organization:update"],
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
  const { org } = c.req.valid("param");
  const actor = await requirePermission(c, "organization:update", org);
  const s = c.get("services");
  const current = await getOrganization(s.graph, org);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, current);
  const next = patchFieldsAndAttributes(
    current,
    c.req.valid("json"),
    ["id", "created_at", "updated_at"],
    OrganizationWritableSchema,
  );
  // With If-Match the write only applies if nobody changed it since the check (else 412).
  const updated = await updateOrganization(
    s.graph,
    org,
    next.fields,
    next.attributes,
    unchangedSince(ifMatch, current.updated_at),
  );
  s.audit({
    event: "organization_updated",
    actor: actor.email,
    organization: updated.slug,
    subject: updated.id,
  });
  return c.json(await withEtag(c, updated), 200);
};
