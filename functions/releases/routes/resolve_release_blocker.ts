import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { resolveReleaseBlocker } from "../../../lib/releases/release_verbs.ts";
import { BlockerParamSchema, BlockerSchema, ResolveBlockerSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "resolveReleaseBlocker",
  method: "post",
  path: "/organizations/{org}/projects/{project_id}/releases/{release_id}/blockers/{blocker_id}/resolve",
  tags: ["releases"],
  summary: "Resolve a release blocker",
  description:
    "Resolves an open blocker of the release (by id or version), keeping its record (409 when already " +
    "resolved). The release can be deployed and published once none is open. Needs " +
    "project:deployment:write in the organization.",
  ...verbAccess(resolveReleaseBlocker),
  request: {
    params: BlockerParamSchema,
    body: {
      description: "An optional resolution note",
      required: true,
      content: { "application/json": { schema: ResolveBlockerSchema } },
    },
  },
  responses: {
    200: { description: "Resolved", content: { "application/json": { schema: BlockerSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { project_id, release_id, blocker_id } = c.req.valid("param");
  const blocker = await resolveReleaseBlocker(ctxOf(c), {
    project: project_id,
    release: release_id,
    blocker: blocker_id,
    note: c.req.valid("json").note,
  });
  return c.json(blocker, 200);
};
