import { createRoute } from "@hono/zod-openapi";
import { setArchived } from "../../../lib/catalog/project_write.ts";
import { getProject } from "../../../lib/catalog/projects.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { ProjectParamSchema, ProjectSchema } from "../schemas.ts";
import { orgRef, recordChange, withProjectEtag } from "../support.ts";

export const route = createRoute({
  operationId: "unarchiveProject",
  method: "post",
  path: "/organizations/{org}/projects/{id}/unarchive",
  tags: ["projects"],
  summary: "Unarchive a project",
  description: "Unarchives the project (back in default lists); idempotent.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:write"],
  request: { params: ProjectParamSchema },
  responses: {
    200: { description: "The project", content: { "application/json": { schema: ProjectSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug, id } = c.req.valid("param");
  const principal = await requirePermission(c, "project:write", slug);
  const graph = c.get("services").graph;
  const org = await orgRef(c, slug);
  const before = await getProject(graph, org, id);
  const after = await setArchived(graph, org, before.id, false);
  await recordChange(c, org, principal, "updated", before, after);
  return c.json(await withProjectEtag(c, after), 200);
};
