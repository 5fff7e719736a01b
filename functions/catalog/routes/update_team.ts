import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { getTeam, updateTeam } from "../../../lib/catalog/teams.ts";
import { patchFieldsAndAttributes } from "../../../lib/core/patch.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { TeamParamSchema, TeamSchema, TeamWritableSchema } from "../schemas.ts";

// The organization link and timestamps are the server's; a patch touching them is a 400.
const READ_ONLY = ["id", "org_id", "created_at", "updated_at"] as const;

export const route = createRoute({
  operationId: "updateTeam",
  method: "patch",
  path: "/organizations/{org}/teams/{team}",
  tags: ["catalog"],
  summary: "Update a team",
  description:
    "JSON Patch over slug, name, description and the blueprint attributes (re-validated against the Team blueprints; a removed attribute is deleted). Needs team:update in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["team:update"],
  request: {
    params: TeamParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the team's writable fields"),
  },
  responses: {
    200: { description: "The updated team", content: { "application/json": { schema: TeamSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, team } = c.req.valid("param");
  const actor = await requirePermission(c, "team:update", org);
  const s = c.get("services");
  const ref = await resolveOrg(s.graph, org);
  const current = await getTeam(s.graph, ref, team);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, current);
  const next = patchFieldsAndAttributes(current, c.req.valid("json"), READ_ONLY, TeamWritableSchema);
  // With If-Match the write only applies if nobody changed it since the check (else 412).
  const updated = await updateTeam(
    s.graph,
    ref,
    team,
    next.fields,
    unchangedSince(ifMatch, current.updated_at),
    next.attributes,
  );
  s.audit({ event: "team_updated", actor: actor.email, organization: org, subject: updated.slug });
  return c.json(await withEtag(c, updated), 200);
};
