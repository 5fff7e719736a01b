import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { publishRelease } from "../../../lib/releases/release_verbs.ts";
import { PublishReleaseSchema, ReleaseParamSchema, ReleaseSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "publishRelease",
  method: "post",
  path: "/organizations/{org}/projects/{project_id}/releases/{release_id}/publish",
  tags: ["releases"],
  summary: "Publish a release",
  description:
    "Marks the release published (when, by whom, whether as a pre-release), typically once a deployment " +
    "of it succeeded: the webhook gateway's `publish_release` action calls this with the tag as " +
    "`{release_id}`. A release is published once: publishing it again is a 409, and so is publishing a " +
    "release with open blockers (its `errors` list them, as a blocked deployment's do). The body is " +
    "optional. Needs project:deployment:write in the organization.",
  ...verbAccess(publishRelease),
  request: {
    params: ReleaseParamSchema,
    body: {
      description: "Publication options (optional: no body publishes a regular release)",
      required: false,
      content: { "application/json": { schema: PublishReleaseSchema, example: { prerelease: true } } },
    },
  },
  responses: {
    200: {
      description: "The published release",
      content: { "application/json": { schema: ReleaseSchema } },
    },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { project_id, release_id } = c.req.valid("param");
  const release = await publishRelease(ctxOf(c), {
    project: project_id,
    release: release_id,
    // No body (or an empty one) publishes a regular release.
    prerelease: c.req.valid("json")?.prerelease,
  });
  return c.json(release, 200);
};
