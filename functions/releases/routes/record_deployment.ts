import { createRoute } from "@hono/zod-openapi";
import { ctxOf } from "../../../lib/http/ctx.ts";
import { type AppRouteHandler, verbAccess } from "../../../lib/http/openapi.ts";
import { openApiErrorResponses, openApiWriteErrorResponses } from "../../../lib/http/problem.ts";
import { locationOf } from "../../../lib/http/routes.ts";
import { recordDeployment } from "../../../lib/releases/deployment_verbs.ts";
import { DeploymentSchema, ProjectParamSchema, RecordDeploymentSchema } from "../schemas.ts";

export const route = createRoute({
  operationId: "recordDeployment",
  method: "post",
  path: "/organizations/{org}/projects/{project_id}/deployments",
  tags: ["releases"],
  summary: "Record a deployment or its new status",
  description:
    "Records a deployment of a release (by release_id or version) or of a bare tag/sha (ref: unattached " +
    "until a release names it) to an environment. With external_run_id, a run already recorded is " +
    "updated instead (200): CI systems report every state of a run, and redeliveries are harmless; a " +
    "non-terminal status after a terminal one is ignored as late. A new deployment of a release with " +
    "open blockers is a 409 listing them. Reaching success, failed or rolled_back writes an " +
    "operations-log entry; every change is a change event and re-queues the project's score. Needs " +
    "project:deployment:write in the organization.",
  ...verbAccess(recordDeployment),
  request: {
    params: ProjectParamSchema,
    body: {
      description: "The deployment report",
      required: true,
      content: { "application/json": { schema: RecordDeploymentSchema } },
    },
  },
  responses: {
    200: {
      description: "The run was already recorded: its deployment, updated (or unchanged)",
      content: { "application/json": { schema: DeploymentSchema } },
    },
    201: { description: "Recorded", content: { "application/json": { schema: DeploymentSchema } } },
    ...openApiErrorResponses,
    ...openApiWriteErrorResponses,
  },
});

export const handler: AppRouteHandler<typeof route> = async (c) => {
  const { org, project_id } = c.req.valid("param");
  const { deployment, created } = await recordDeployment(ctxOf(c), {
    ...c.req.valid("json"),
    project: project_id,
  });
  c.header(
    "Location",
    locationOf(c, "organizations", org, "projects", deployment.project_id, "deployments", deployment.id),
  );
  return created ? c.json(deployment, 201) : c.json(deployment, 200);
};
