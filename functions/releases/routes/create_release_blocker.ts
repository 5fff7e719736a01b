import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
import { createReleaseBlocker } from "../../../lib/releases/release_verbs.ts";
import { BlockerSchema, CreateBlockerSchema, ReleaseParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createReleaseBlocker",
  method: "post",
  path: "/organizations/{org}/projects/{project_id}/releases/{release_id}/blockers",
  tags: ["releases"],
  summary: "Block a release",
  description:
    "Files a blocker against the release (by id or version): until it is resolved, recording a new " +
    "deployment of the release, or publishing it, is a 409 listing its open blockers. Needs " +
    "project:deployment:write in the organization.",
  ...verbAccess(createReleaseBlocker),
  request: {
    params: ReleaseParamSchema,
    body: {
      description: "The blocker",
      required: true,
      content: { "application/json": { schema: CreateBlockerSchema } },
    },
  },
  responses: {
    201: { description: "Filed", content: { "application/json": { schema: BlockerSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, project_id, release_id } = c.req.valid("param");
  const blocker = await createReleaseBlocker(ctxOf(c), {
    project: project_id,
    release: release_id,
    reason: c.req.valid("json").reason,
  });
  // The release's id, not the version it may have been named by: the canonical address.
  c.header(
    "Location",
    locationOf(c, "organizations", org, "projects", project_id, "releases", blocker.release_id, "blockers"),
  );
  return c.json(blocker, 201);
};
