import { createRoute } from "@hono/zod-openapi";
import { resolveOrg } from "../../../lib/catalog/org.ts";
import { getProjectType, updateProjectType } from "../../../lib/catalog/project_types.ts";
import { patchFieldsAndAttributes } from "../../../lib/core/patch.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody, withEtag } from "../../../lib/http/routes.ts";
import { ProjectTypeParamSchema, ProjectTypeSchema, ProjectTypeWritableSchema } from "../schemas.ts";

// The organization link and timestamps are the server's; a patch touching them is a 400.
const READ_ONLY = ["id", "org_id", "created_at", "updated_at"] as const;

export const route = createRoute({
  operationId: "updateProjectType",
  method: "patch",
  path: "/organizations/{org}/project-types/{project_type}",
  tags: ["catalog"],
  summary: "Update a project type",
  description:
    "JSON Patch over slug, name, description, deployable, releasable and the blueprint attributes (re-validated against the ProjectType blueprints; a removed attribute is deleted). Needs project_type:update in that organization.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project_type:update"],
  request: {
    params: ProjectTypeParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the project type's writable fields"),
  },
  responses: {
    200: {
      description: "The updated project type",
      content: { "application/json": { schema: ProjectTypeSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, project_type } = c.req.valid("param");
  const actor = await requirePermission(c, "project_type:update", org);
  const s = c.get("services");
  const ref = await resolveOrg(s.graph, org);
  const current = await getProjectType(s.graph, ref, project_type);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, current);
  const next = patchFieldsAndAttributes(current, c.req.valid("json"), READ_ONLY, ProjectTypeWritableSchema);
  // With If-Match the write only applies if nobody changed it since the check (else 412).
  const updated = await updateProjectType(
    s.graph,
    ref,
    project_type,
    next.fields,
    unchangedSince(ifMatch, current.updated_at),
    next.attributes,
  );
  s.audit({ event: "project_type_updated", actor: actor.email, organization: org, subject: updated.slug });
  return c.json(await withEtag(c, updated), 200);
};
