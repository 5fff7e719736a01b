import { createRoute } from "@hono/zod-openapi";
import { deleteProject } from "../../../lib/catalog/project_write.ts";
import { etagBasis, getProject } from "../../../lib/catalog/projects.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema } from "../../../lib/http/routes.ts";
import { neighboursToRescore } from "../../../lib/scoring/triggers.ts";
import { ProjectParamSchema } from "../schemas.ts";
import { orgRef, recordChange } from "../support.ts";

export const route = createRoute({
  operationId: "deleteProject",
  method: "delete",
  path: "/organizations/{org}/projects/{id}",
  tags: ["projects"],
  summary: "Delete a project",
  description: "Deletes the project and every edge touching it, including dependencies.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:delete"],
  request: { params: ProjectParamSchema, headers: IfMatchHeaderSchema },
  responses: {
    204: { description: "Deleted" },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug, id } = c.req.valid("param");
  const principal = await requirePermission(c, "project:delete", slug);
  const graph = c.get("services").graph;
  const org = await orgRef(c, slug);
  const current = await getProject(graph, org, id);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, etagBasis(current));
  // Looked up before the edges go: projects whose relationship conditions counted this one.
  const neighbours = await neighboursToRescore(graph, current.id);
  await deleteProject(graph, org, current.id, unchangedSince(ifMatch, current.updated_at));
  c.get("services").rescore(neighbours, "dependency_change", principal.email);
  await recordChange(c, org, principal, "deleted", current, null);
  return c.body(null, 204);
};
