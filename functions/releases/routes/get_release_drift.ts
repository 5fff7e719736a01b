import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses } from "../../../lib/http/problem.ts";
import { getReleaseDrift } from "../../../lib/releases/deployment_verbs.ts";
import { DriftQuerySchema, ProjectParamSchema, ReleaseDriftSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "getReleaseDrift",
  method: "get",
  path: "/organizations/{org}/projects/{project_id}/releases/drift",
  tags: ["releases"],
  summary: "Release drift between two environments",
  description:
    "Which releases one environment has had deployed successfully that the other never had (e.g. " +
    "staging ahead of production), and whether both run the same release now. Needs " +
    "project:deployment:read in the organization.",
  ...verbAccess(getReleaseDrift),
  request: { params: ProjectParamSchema, query: DriftQuerySchema },
  responses: {
    200: { description: "The drift", content: { "application/json": { schema: ReleaseDriftSchema } } },
    ...openApiErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) =>
  c.json(
    await getReleaseDrift(ctxOf(c), { ...c.req.valid("query"), project: c.req.valid("param").project_id }),
    200,
  );
