import { createRoute } from "@hono/zod-openapi";
import { updateProject } from "../../../lib/catalog/project_write.ts";
import { etagBasis, getProject } from "../../../lib/catalog/projects.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema, jsonPatchBody } from "../../../lib/http/routes.ts";
import { ProjectParamSchema, ProjectSchema } from "../schemas.ts";
import { orgRef, patchProject, recordChange, withProjectEtag } from "../support.ts";

export const route = createRoute({
  operationId: "updateProject",
  method: "patch",
  path: "/organizations/{org}/projects/{id}",
  tags: ["projects"],
  summary: "Update a project",
  description:
    "JSON Patch over the project document (name, slug, description, team, project_types, environments, " +
    "links, identifiers and blueprint attributes). /id, /org_id, /created_at, /updated_at and /archived " +
    "are read-only (use the archive routes). Attributes are re-validated against the new types' blueprints.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:write"],
  request: {
    params: ProjectParamSchema,
    headers: IfMatchHeaderSchema,
    body: jsonPatchBody("Operations on the project document"),
  },
  responses: {
    200: { description: "The updated project", content: { "application/json": { schema: ProjectSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug, id } = c.req.valid("param");
  const principal = await requirePermission(c, "project:write", slug);
  const graph = c.get("services").graph;
  const org = await orgRef(c, slug);
  const current = await getProject(graph, org, id);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, etagBasis(current));
  const next = patchProject(current, c.req.valid("json"));
  // With If-Match the write only applies if nobody changed it since the check (else 412).
  const updated = await updateProject(graph, org, current, next, unchangedSince(ifMatch, current.updated_at));
  await recordChange(c, org, principal, "updated", current, updated);
  return c.json(await withProjectEtag(c, updated), 200);
};
