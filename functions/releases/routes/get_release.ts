import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { withEtag } from "../../../lib/http/routes.ts";
import { getRelease } from "../../../lib/releases/release_verbs.ts";
import { ReleaseParamSchema, ReleaseSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getRelease",
  method: "get",
  path: "/organizations/{org}/projects/{project_id}/releases/{release_id}",
  tags: ["releases"],
  summary: "Get a release",
  description:
    "One release, by id or version (`…/releases/1.4.0`), with its count of open blockers and whether it " +
    "was published. Needs project:read in the organization.",
  ...verbAccess(getRelease),
  request: { params: ReleaseParamSchema },
  responses: {
    200: { description: "The release", content: { "application/json": { schema: ReleaseSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { project_id, release_id } = c.req.valid("param");
  const release = await getRelease(ctxOf(c), { project: project_id, release: release_id });
  return c.json(await withEtag(c, release), 200);
};
