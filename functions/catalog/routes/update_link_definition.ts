import { createRoute } from "@hono/zod-openapi";
import { getLinkDefinition, updateLinkDefinition } from "../../../lib/catalog/link_definitions.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { patchFields } from "../../../lib/core/patch.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { LinkDefinitionParamSchema, LinkDefinitionSchema, LinkDefinitionWritableSchema } from "../schemas.ts";

// The organization link and timestamps are the server's; a patch touching them is a 400.
const READ_ONLY = ["id", "org_id", "created_at", "updated_at"] as const;

export const route = createRoute({
  operationId: "updateLinkDefinition",
  method: "patch",
  path: "/organizations/{org}/link-definitions/{link_definition}",
  tags: ["catalog"],
  summary: "Update a link definition",
  description:
    "JSON Patch over slug, name, description and url_template (a slug change is refused while projects use it). Needs link_definition:write in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["link_definition:write"],
  request: {
    params: LinkDefinitionParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the link definition's writable fields"),
  },
  responses: {
    200: {
      description: "The updated link definition",
      content: { "application/json": { schema: LinkDefinitionSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, link_definition } = c.req.valid("param");
  const actor = await requirePermission(c, "link_definition:write", org);
  const s = c.get("services");
  const ref = await resolveOrg(s.graph, org);
  const current = await getLinkDefinition(s.graph, ref, link_definition);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, current);
  const next = patchFields(current, c.req.valid("json"), READ_ONLY, LinkDefinitionWritableSchema);
  // With If-Match the write only applies if nobody changed it since the check (else 412).
  const updated = await updateLinkDefinition(
    s.graph,
    ref,
    link_definition,
    next,
    unchangedSince(ifMatch, current.updated_at),
  );
  s.audit({ event: "link_definition_updated", actor: actor.email, organization: org, subject: updated.slug });
  return c.json(await withEtag(c, updated), 200);
};
