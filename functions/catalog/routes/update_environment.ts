import { createRoute } from "@hono/zod-openapi";
import { getEnvironment, updateEnvironment } from "../../../lib/catalog/environments.ts";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { patchFieldsAndAttributes } from "../../../lib/core/patch.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { EnvironmentParamSchema, EnvironmentSchema, EnvironmentWritableSchema } from "../schemas.ts";

// The organization link and timestamps are the server's; a patch touching them is a 400.
const READ_ONLY = ["id", "org_id", "created_at", "updated_at"] as const;

export const route = createRoute({
  operationId: "updateEnvironment",
  method: "patch",
  path: "/organizations/{org}/environments/{environment}",
  tags: ["catalog"],
  summary: "Update an environment",
  description:
    "JSON Patch over slug, name, description, sort_order, label_color, can_deploy, can_promote and the blueprint attributes (re-validated against the Environment blueprints; a removed attribute is deleted). Needs environment:update in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["environment:update"],
  request: {
    params: EnvironmentParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the environment's writable fields"),
  },
  responses: {
    200: {
      description: "The updated environment",
      content: { "application/json": { schema: EnvironmentSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, environment } = c.req.valid("param");
  const actor = await requirePermission(c, "environment:update", org);
  const s = c.get("services");
  const ref = await resolveOrg(s.graph, org);
  const current = await getEnvironment(s.graph, ref, environment);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, current);
  const next = patchFieldsAndAttributes(current, c.req.valid("json"), READ_ONLY, EnvironmentWritableSchema);
  // With If-Match the write only applies if nobody changed it since the check (else 412).
  const updated = await updateEnvironment(
    s.graph,
    ref,
    environment,
    next.fields,
    unchangedSince(ifMatch, current.updated_at),
    next.attributes,
  );
  s.audit({ event: "environment_updated", actor: actor.email, organization: org, subject: updated.slug });
  return c.json(await withEtag(c, updated), 200);
};
