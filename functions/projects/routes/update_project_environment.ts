import { createRoute } from "@hono/zod-openapi";
import { setEnvironment } from "../../../lib/catalog/project_write.ts";
import { etagBasis, getProject } from "../../../lib/catalog/projects.ts";
import { checkIfMatch, unchangedSince } from "../../../lib/etag.ts";
import { requirePermission } from "../../../lib/http/auth.ts";
import type { AppRouteHandler } from "../../../lib/http/openapi.ts";
import { ApiError, openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { IfMatchHeaderSchema } from "../../../lib/http/routes.ts";
import { applyJsonPatch, type JsonPatch } from "../../../lib/json_patch.ts";
import { EnvironmentBodySchema, EnvParamSchema, ProjectSchema } from "../schemas.ts";
import { orgRef, recordChange, withProjectEtag } from "../support.ts";

export const route = createRoute({
  operationId: "updateProjectEnvironment",
  method: "patch",
  path: "/organizations/{org}/projects/{id}/environments/{env}",
  tags: ["projects"],
  summary: "Update a project's environment edge",
  description:
    "JSON Patch (array) or merge object on one DEPLOYED_IN edge's properties (url and blueprint edge " +
    "fields); creates the edge when the project is not yet deployed there. Returns the project.",
  security: [{ bearer: [] }],
  "x-imbi-permission": ["project:write"],
  request: {
    params: EnvParamSchema,
    headers: IfMatchHeaderSchema,
    body: {
      description: "Operations or a merge object",
      required: true,
      content: {
        "application/json-patch+json": { schema: EnvironmentBodySchema },
        "application/merge-patch+json": { schema: EnvironmentBodySchema },
        "application/json": { schema: EnvironmentBodySchema },
      },
    },
  },
  responses: {
    200: { description: "The updated project", content: { "application/json": { schema: ProjectSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org: slug, id, env } = c.req.valid("param");
  const principal = await requirePermission(c, "project:write", slug);
  const graph = c.get("services").graph;
  const org = await orgRef(c, slug);
  const current = await getProject(graph, org, id);
  const ifMatch = c.req.valid("header")["if-match"];
  await checkIfMatch(ifMatch, etagBasis(current));
  const body = c.req.valid("json");
  const edge = current.environments[env] ?? {};
  let props: Record<string, unknown>;
  if (Array.isArray(body)) props = applyJsonPatch(edge, body as JsonPatch);
  else {
    props = { ...edge };
    for (const [k, v] of Object.entries(body)) {
      if (v === null) delete props[k];
      else props[k] = v;
    }
  }
  if (typeof props !== "object" || props === null || Array.isArray(props))
    throw new ApiError({
      code: "VALIDATION_FAILED",
      detail: "The environment properties must stay an object.",
    });
  if (props.url !== undefined && typeof props.url !== "string")
    throw new ApiError({
      code: "VALIDATION_FAILED",
      detail: "url must be a string.",
      errors: [{ location: "json.url", message: "must be a string" }],
    });
  const updated = await setEnvironment(
    graph,
    org,
    current,
    env,
    props,
    unchangedSince(ifMatch, current.updated_at),
  );
  await recordChange(c, org, principal, "updated", current, updated);
  return c.json(await withProjectEtag(c, updated), 200);
};
