import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf, withEtag } from "../../../lib/http/routes.ts";
import { createRelease } from "../../../lib/releases/release_verbs.ts";
import { CreatedReleaseSchema, CreateReleaseSchema, ProjectParamSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "createRelease",
  method: "post",
  path: "/organizations/{org}/projects/{project_id}/releases",
  tags: ["releases"],
  summary: "Create a release",
  description:
    "Records a release of the project. The version must be in the server's IMBI_RELEASES_VERSION_FORMAT " +
    "(semver by default; 400 naming the rule otherwise) and new for the project (409). Deployments " +
    "recorded earlier with only a tag or sha naming this release are attached to it. Needs project:write.",
  ...verbAccess(createRelease),
  request: {
    params: ProjectParamSchema,
    body: {
      description: "The release",
      required: true,
      content: { "application/json": { schema: CreateReleaseSchema } },
    },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CreatedReleaseSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, project_id } = c.req.valid("param");
  const release = await createRelease(ctxOf(c), { ...c.req.valid("json"), project: project_id });
  c.header(
    "Location",
    locationOf(c, "organizations", org, "projects", release.project_id, "releases", release.id),
  );
  return c.json(await withEtag(c, release), 201);
};
